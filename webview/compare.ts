// Compare view entry (bundled to dist/webview/compare.js): before/after slider, side by side,
// synchronized zoom and pan, 1:1 pixels, PSNR-Y and sizes.
import { adoptCss } from './lib/dom';
import { connect } from './lib/vscodeApi';
import { CompareApp } from './lib/compareApp';
import commonCss from './styles/common.css';
import compareCss from './styles/compare.css';

adoptCss(commonCss, compareCss);
new CompareApp(document.getElementById('app') as HTMLElement, connect());
