// The webview side of the channel: typed post/state over acquireVsCodeApi, and validated
// incoming messages (a page must not break on a bad message).
import { parseHostMessage, type HostMessage, type WebviewMessage } from '../../src/shared/webviewProtocol';

interface VsCodeApi<S> {
  postMessage(msg: unknown): void;
  getState(): S | undefined;
  setState(state: S): void;
}
declare function acquireVsCodeApi<S>(): VsCodeApi<S>;

export interface Channel<S> {
  post(m: WebviewMessage): void;
  getState(): S | undefined;
  setState(s: S): void;
  onMessage(fn: (m: HostMessage) => void): void;
}

export function connect<S>(): Channel<S> {
  const api = acquireVsCodeApi<S>();
  return {
    post: (m) => api.postMessage(m),
    getState: () => api.getState(),
    setState: (s) => api.setState(s),
    onMessage: (fn) => window.addEventListener('message', (e: MessageEvent) => {
      const m = parseHostMessage(e.data);
      if (m) fn(m);
      else console.warn('[gan-studio] ignored a malformed message');
    }),
  };
}
