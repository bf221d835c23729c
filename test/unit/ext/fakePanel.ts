// A webview panel for host tests on the mocked `vscode`: records what the host posts and sets,
// and lets a test fire the page's messages, close the panel, or hide it.
type Uri = { fsPath: string };

export class FakeEvent<T> {
  readonly listeners = new Set<(e: T) => void>();
  readonly event = (l: (e: T) => void) => {
    this.listeners.add(l);
    return { dispose: () => this.listeners.delete(l) };
  };
  fire(e: T): void {
    for (const l of [...this.listeners]) l(e);
  }
}

export function fakePanel() {
  const message = new FakeEvent<unknown>();
  const disposed = new FakeEvent<void>();
  const viewState = new FakeEvent<void>();
  const posted: unknown[] = [];
  return {
    message,
    disposed,
    viewState,
    posted,
    title: '',
    revealed: 0,
    closed: false,
    visible: true,
    webview: {
      options: {} as { localResourceRoots?: Uri[] },
      html: '',
      cspSource: 'https://csp',
      asWebviewUri: (u: Uri) => ({ toString: () => `https://file+.vscode-resource.vscode-cdn.net${u.fsPath}` }),
      onDidReceiveMessage: message.event,
      postMessage: async (m: unknown) => posted.push(m) > 0,
    },
    onDidDispose: disposed.event,
    onDidChangeViewState: viewState.event,
    reveal() {
      this.revealed++;
    },
    dispose() {
      if (this.closed) return;
      this.closed = true;
      disposed.fire();
    },
  };
}

/** Waits until `cond` holds (the host answers "ready" after reading files). */
export async function until(cond: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !cond(); i++) await new Promise((r) => setTimeout(r, 5));
}
