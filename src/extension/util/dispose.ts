// Disposable base class: everything a component creates is registered once and torn down in
// reverse order. Structurally compatible with vscode.Disposable (no vscode import, so pure
// modules can use it and be unit-tested under plain node).

export interface IDisposable {
  dispose(): void;
}

export function toDisposable(fn: () => void): IDisposable {
  let done = false;
  return {
    dispose: () => {
      if (!done) {
        done = true;
        fn();
      }
    },
  };
}

export function disposeAll(items: IDisposable[]): void {
  // Reverse order: later resources may depend on earlier ones.
  while (items.length) {
    const d = items.pop();
    try {
      d?.dispose();
    } catch (err) {
      console.error('[gan-studio] dispose failed', err);
    }
  }
}

export abstract class Disposable implements IDisposable {
  private _disposables: IDisposable[] = [];
  private _isDisposed = false;

  get isDisposed(): boolean {
    return this._isDisposed;
  }

  dispose(): void {
    if (this._isDisposed) return;
    this._isDisposed = true;
    disposeAll(this._disposables);
  }

  /** Registers `d` for disposal with this object; disposes it at once if this is already gone. */
  protected _register<T extends IDisposable>(d: T): T {
    if (this._isDisposed) d.dispose();
    else this._disposables.push(d);
    return d;
  }
}
