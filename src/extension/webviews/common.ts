// What the webviews need from the host: options with narrow resource roots, the HTML shell of
// a page, sample URIs, and running the actions a run's page asks for.
import * as vscode from 'vscode';
import type { PageName, RunAction, SampleRef } from '../../shared/webviewProtocol';
import { makeNonce, webviewHtml } from './html';

export function bundleRoot(extensionUri: vscode.Uri): vscode.Uri {
  return vscode.Uri.joinPath(extensionUri, 'dist', 'webview');
}

export function webviewOptions(extensionUri: vscode.Uri, runRoots: string[]): vscode.WebviewOptions {
  return {
    enableScripts: true,
    enableCommandUris: false,
    localResourceRoots: [bundleRoot(extensionUri), ...runRoots.map((r) => vscode.Uri.file(r))],
  };
}

/** Loads page `view` (its bundled script, a fresh nonce). `live`: announce updates to screen readers. */
export function setHtml(
  webview: vscode.Webview,
  extensionUri: vscode.Uri,
  view: PageName,
  title: string,
  live?: boolean,
): void {
  const script = webview.asWebviewUri(vscode.Uri.joinPath(bundleRoot(extensionUri), `${view}.js`));
  webview.html = webviewHtml({
    cspSource: webview.cspSource,
    nonce: makeNonce(),
    scriptUri: script.toString(),
    title,
    view,
    live,
  });
}

export function sampleRef(webview: vscode.Webview, s: { step: number; path: string }): SampleRef {
  return { step: s.step, uri: webview.asWebviewUri(vscode.Uri.file(s.path)).toString() };
}

const ACTION_COMMANDS: Record<RunAction, string> = {
  stop: 'ganStudio.stopTraining',
  pause: 'ganStudio.pauseTraining',
  resume: 'ganStudio.resumeTraining',
  sampleNow: 'ganStudio.sampleNow',
  openDashboard: 'ganStudio.openDashboard',
  train: 'ganStudio.train',
  showLog: 'ganStudio.showLog',
  resumeRun: 'ganStudio.resumeRun',
};

/** Runs a page's button through the same command a user would run (same checks, same UI). */
export function runAction(action: RunAction, runDir: string | null): void {
  const args = runDir && action !== 'train' && action !== 'showLog' ? [runDir] : [];
  void vscode.commands.executeCommand(ACTION_COMMANDS[action], ...args);
}

/** Opens a file of a run: images in the image preview, the rest as text. */
export function openRunFile(p: string): void {
  void vscode.commands.executeCommand('vscode.open', vscode.Uri.file(p), {
    preview: true,
    viewColumn: vscode.ViewColumn.Beside,
  });
}
