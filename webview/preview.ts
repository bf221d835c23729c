// Live Preview webview entry (bundled to dist/webview/preview.js).
import '@vscode-elements/elements/dist/vscode-button/index.js';
import { adoptCss } from './lib/dom';
import { connect } from './lib/vscodeApi';
import { PreviewApp } from './lib/previewApp';
import commonCss from './styles/common.css';
import previewCss from './styles/preview.css';

adoptCss(commonCss, previewCss);
new PreviewApp(document.getElementById('app') as HTMLElement, connect());
