// A tiny typed event emitter with the same shape as vscode.EventEmitter, for modules that must
// stay free of the `vscode` import (they run in unit tests under plain node).
import { toDisposable, type IDisposable } from './dispose';

export type Listener<T> = (e: T) => void;
export type Event<T> = (listener: Listener<T>) => IDisposable;

export class Emitter<T> implements IDisposable {
  private listeners = new Set<Listener<T>>();
  private disposed = false;

  readonly event: Event<T> = (listener) => {
    if (this.disposed) return toDisposable(() => undefined);
    this.listeners.add(listener);
    return toDisposable(() => this.listeners.delete(listener));
  };

  fire(e: T): void {
    for (const l of [...this.listeners]) {
      try {
        l(e);
      } catch (err) {
        // One broken listener must not starve the others (or crash the IPC handler).
        console.error('[gan-studio] listener failed', err);
      }
    }
  }

  dispose(): void {
    this.disposed = true;
    this.listeners.clear();
  }
}
