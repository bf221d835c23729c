// "Dataset Check" webview entry (bundled to dist/webview/datasetCheck.js).
import '@vscode-elements/elements/dist/vscode-button/index.js';
import type { CheckHostMessage, CheckPageMessage } from '../src/shared/datasetCheckProtocol';
import { adoptCss } from './lib/dom';
import { DatasetCheckApp } from './lib/datasetCheckApp';
import commonCss from './styles/common.css';
import checkCss from './styles/datasetCheck.css';

declare function acquireVsCodeApi(): { postMessage(m: unknown): void; getState(): unknown; setState(s: unknown): void };

adoptCss(commonCss, checkCss);
const api = acquireVsCodeApi();
new DatasetCheckApp(document.getElementById('app') as HTMLElement, {
  post: (m: CheckPageMessage) => api.postMessage(m),
  getState: () => api.getState(),
  setState: (s: CheckHostMessage) => api.setState(s),
  onMessage: (fn) => window.addEventListener('message', (e: MessageEvent) => fn(e.data)),
});
