// A jsdom document installed as the globals the webview code uses, plus a fake VS Code channel.
import { JSDOM } from 'jsdom';
import type { Channel } from '../../../../webview/lib/vscodeApi';
import type { HostMessage, WebviewMessage } from '../../../../src/shared/webviewProtocol';

export function installDom(): JSDOM {
  const dom = new JSDOM('<!DOCTYPE html><html><body><main id="app"></main></body></html>', { pretendToBeVisual: true });
  const g = globalThis as Record<string, unknown>;
  g.window = dom.window;
  g.document = dom.window.document;
  g.getComputedStyle = dom.window.getComputedStyle.bind(dom.window);
  g.Event = dom.window.Event;
  g.KeyboardEvent = dom.window.KeyboardEvent;
  // jsdom does not load images: this one "loads" on the next tick so preload paths run.
  g.Image = class {
    onload: (() => void) | null = null;
    onerror: (() => void) | null = null;
    set src(_v: string) {
      setTimeout(() => this.onload?.(), 0);
    }
  };
  return dom;
}

/** A page's channel; `Out`/`In` default to the run views' protocol (webviewProtocol.ts). */
export class FakeChannel<S, Out = WebviewMessage, In = HostMessage> implements Channel<Out, S> {
  posted: Out[] = [];
  state: S | undefined;
  private handler: ((m: In) => void) | undefined;
  constructor(state?: S) {
    this.state = state;
  }
  post(m: Out): void {
    this.posted.push(m);
  }
  getState(): S | undefined {
    return this.state === undefined ? undefined : JSON.parse(JSON.stringify(this.state));
  }
  setState(s: S): void {
    // Like VS Code: a serialised copy.
    this.state = JSON.parse(JSON.stringify(s));
  }
  onMessage(fn: (m: In) => void): void {
    this.handler = fn;
  }
  deliver(m: In): void {
    this.handler?.(m);
  }
}

export const tick = () => new Promise((r) => setTimeout(r, 5));
