// Every page's end of the channel to the extension host: typed post and state over
// acquireVsCodeApi, and `validated` for what arrives (a page must not break on a bad message:
// each page checks with its protocol's parser, src/shared/*Protocol.ts).
import type { WebviewMessage } from '../../src/shared/webviewProtocol';

interface VsCodeApi {
  postMessage(msg: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

/** A page's channel: `Out` is what it sends, `S` the state it keeps across hide and reload. */
export interface Channel<Out, S> {
  post(m: Out): void;
  /** The state saved last: unknown, as it may come from an older version of the page. */
  getState(): unknown;
  setState(s: S): void;
  /** Raw messages from the host: hand them to the page through `validated`. */
  onMessage(fn: (m: unknown) => void): void;
}

/** The channel of the pages that show a training run (Live Preview, dashboard). */
export type RunViewChannel<S> = Channel<WebviewMessage, S>;

let api: VsCodeApi | undefined;

export function connect<Out, S>(): Channel<Out, S> {
  // VS Code hands the API out once per page.
  const vscode = (api ??= acquireVsCodeApi());
  return {
    post: (m) => vscode.postMessage(m),
    getState: () => vscode.getState(),
    setState: (s) => vscode.setState(s),
    onMessage: (fn) => window.addEventListener('message', (e: MessageEvent) => fn(e.data)),
  };
}

/** Only messages `parse` accepts reach `fn`; anything else is logged and dropped. */
export function validated<T>(parse: (m: unknown) => T | undefined, fn: (m: T) => void): (m: unknown) => void {
  return (raw) => {
    const m = parse(raw);
    if (m === undefined) console.warn('[gan-studio] ignored a malformed message');
    else fn(m);
  };
}
