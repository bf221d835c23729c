// "Dataset Check" webview entry (bundled to dist/webview/datasetCheck.js).
import '@vscode-elements/elements/dist/vscode-button/index.js';
import { adoptCss } from './lib/dom';
import { connect } from './lib/vscodeApi';
import { DatasetCheckApp } from './lib/datasetCheckApp';
import commonCss from './styles/common.css';
import checkCss from './styles/datasetCheck.css';

adoptCss(commonCss, checkCss);
new DatasetCheckApp(document.getElementById('app') as HTMLElement, connect());
