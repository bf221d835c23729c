// The "Explore Latent Space" panel (page `explore`), one per checkpoint: the webview's end of an
// ExploreSession. Images arrive as data: URLs, so the page needs no file roots beyond its bundle;
// every image is drawn by the inference child on the user's backend, never here.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ExploreHostMessage } from '../../shared/exploreProtocol';
import type { InferService } from '../infer/inferService';
import { Disposable } from '../util/dispose';
import { setHtml, webviewOptions } from '../webviews/common';
import { ExploreSession } from './exploreSession';
import type { LatentCheckpoint } from './latentCheckpoint';

export const EXPLORE_VIEW_TYPE = 'ganStudio.exploreLatent';

export class ExplorePanel extends Disposable {
  private static readonly open = new Map<string, ExplorePanel>();

  /** Shows the explorer of `ck`, reusing its panel if it is open. */
  static show(extensionUri: vscode.Uri, service: InferService, ck: LatentCheckpoint): void {
    const cur = ExplorePanel.open.get(ck.dir);
    if (cur) {
      cur.panel.reveal(undefined, false);
      return;
    }
    const panel = vscode.window.createWebviewPanel(
      EXPLORE_VIEW_TYPE,
      `Explore: ${ck.info.title}`,
      vscode.ViewColumn.Active,
      {},
    );
    new ExplorePanel(extensionUri, service, panel, ck);
  }

  private constructor(
    extensionUri: vscode.Uri,
    service: InferService,
    private readonly panel: vscode.WebviewPanel,
    ck: LatentCheckpoint,
  ) {
    super();
    ExplorePanel.open.set(ck.dir, this);
    const session = this._register(
      new ExploreSession(ck, {
        submit: (job) => service.submit(job),
        post: (m: ExploreHostMessage) => void panel.webview.postMessage(m),
        saved: (file) => void notifySaved(file),
        failed: (message) => void vscode.window.showErrorMessage(message),
      }),
    );
    panel.webview.options = webviewOptions(extensionUri, []);
    this._register(panel.webview.onDidReceiveMessage((m) => void session.onMessage(m)));
    this._register(panel.onDidDispose(() => this.dispose()));
    setHtml(panel.webview, extensionUri, 'explore', `Explore ${ck.info.title}`, false);
  }

  override dispose(): void {
    if (this.isDisposed) return;
    for (const [k, v] of ExplorePanel.open) if (v === this) ExplorePanel.open.delete(k);
    super.dispose();
    this.panel.dispose();
  }
}

async function notifySaved(file: string): Promise<void> {
  const pick = await vscode.window.showInformationMessage(
    `Saved ${path.basename(file)} in ${path.dirname(file)}`,
    'Open',
    'Reveal',
  );
  if (pick === 'Open')
    void vscode.commands.executeCommand('vscode.open', vscode.Uri.file(file), {
      preview: true,
      viewColumn: vscode.ViewColumn.Beside,
    });
  else if (pick === 'Reveal') void vscode.commands.executeCommand('revealFileInOS', vscode.Uri.file(file));
}
