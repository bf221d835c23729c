// Compare view entry (bundled to dist/webview/compare.js): before/after slider, side by side,
// synchronized zoom and pan, 1:1 pixels, PSNR-Y and sizes.
import type { CompareViewState, CompareWebviewMessage } from '../src/shared/compareProtocol';
import { adoptCss } from './lib/dom';
import { CompareApp } from './lib/compareApp';
import commonCss from './styles/common.css';
import compareCss from './styles/compare.css';

interface VsCodeApi {
  postMessage(msg: CompareWebviewMessage): void;
  getState(): unknown;
  setState(state: CompareViewState): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

adoptCss(commonCss, compareCss);
const api = acquireVsCodeApi();
new CompareApp(document.getElementById('app') as HTMLElement, {
  post: (m) => api.postMessage(m),
  getState: () => api.getState(),
  setState: (s) => api.setState(s),
  onMessage: (fn) => window.addEventListener('message', (e: MessageEvent) => fn(e.data)),
});
