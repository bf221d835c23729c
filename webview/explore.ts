// Explore Latent Space entry (bundled to dist/webview/explore.js): a checkpoint's samples by
// seed, interpolations between them, truncation, saving.
import { adoptCss } from './lib/dom';
import { connect } from './lib/vscodeApi';
import { ExploreApp } from './lib/exploreApp';
import commonCss from './styles/common.css';
import exploreCss from './styles/explore.css';

adoptCss(commonCss, exploreCss);
new ExploreApp(document.getElementById('app') as HTMLElement, connect());
