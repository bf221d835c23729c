// Training Dashboard webview entry (bundled to dist/webview/dashboard.js).
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-checkbox/index.js';
import uplotCss from 'uplot/dist/uPlot.min.css';
import { adoptCss } from './lib/dom';
import { connect } from './lib/vscodeApi';
import { DashboardApp } from './lib/dashboardApp';
import { uplotChart } from './lib/lossChart';
import commonCss from './styles/common.css';
import dashboardCss from './styles/dashboard.css';

adoptCss(uplotCss, commonCss, dashboardCss);
new DashboardApp(document.getElementById('app') as HTMLElement, connect(), uplotChart);
