// Run Comparison entry (bundled to dist/webview/runs.js): several runs' metrics overlaid, the
// config keys that differ, and their sample grids at one step.
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-checkbox/index.js';
import uplotCss from 'uplot/dist/uPlot.min.css';
import { adoptCss } from './lib/dom';
import { connect } from './lib/vscodeApi';
import { RunComparisonApp } from './lib/runComparisonApp';
import { uplotChart } from './lib/lossChart';
import commonCss from './styles/common.css';
import dashboardCss from './styles/dashboard.css';
import runsCss from './styles/runs.css';

adoptCss(uplotCss, commonCss, dashboardCss, runsCss);
new RunComparisonApp(document.getElementById('app') as HTMLElement, connect(), uplotChart);
