// The compare view: one webview panel showing two images (before/after slider, side by side,
// synchronized zoom and pan, 1:1 pixels, PSNR and sizes). The page asks for nothing but
// "ready" and open/reveal of one of its two sides, and is restored after a reload from the
// two paths it keeps. Roots: the bundle and the two images' folders only.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  parseCompareWebviewMessage,
  type CompareHostMessage,
  type CompareImage,
  type Side,
} from '../../shared/compareProtocol';
import { isImagePath } from '../../shared/imageFiles';
import { isObj } from '../../shared/guards';
import { Disposable } from '../util/dispose';
import { setHtml, webviewOptions } from '../webviews/common';
import { inspectImage } from '../infer/targets';

export const COMPARE_VIEW_TYPE = 'ganStudio.compare';

interface Pair {
  before: string;
  after: string;
  note?: string;
}

/** Paths restored from a page's state are checked like any untrusted input. */
export function restoredPair(state: unknown): Pair | undefined {
  if (!isObj(state) || !isObj(state.files)) return undefined;
  const { before, after } = state.files;
  const ok = (p: unknown): p is string =>
    typeof p === 'string' && path.isAbsolute(p) && !p.includes('\0') && isImagePath(p);
  return ok(before) && ok(after) ? { before, after } : undefined;
}

export class ComparePanel extends Disposable {
  /** The one compare panel: a new pair replaces what it shows. */
  private static current: ComparePanel | undefined;
  private ready = false;
  private pair: Pair;

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    private readonly extensionUri: vscode.Uri,
    pair: Pair,
  ) {
    super();
    this.pair = pair;
    ComparePanel.current = this;
    this._register(panel.webview.onDidReceiveMessage((m) => this.onMessage(m)));
    this._register(panel.onDidDispose(() => this.dispose()));
    this.load();
  }

  override dispose(): void {
    if (this.isDisposed) return;
    if (ComparePanel.current === this) ComparePanel.current = undefined;
    super.dispose();
    this.panel.dispose();
  }

  /** Shows two files in the compare view (one panel, reused). */
  static show(extensionUri: vscode.Uri, before: string, after: string, note?: string): void {
    const pair = { before, after, note };
    const cur = ComparePanel.current;
    if (cur) {
      cur.pair = pair;
      cur.load();
      cur.panel.reveal(undefined, false);
      return;
    }
    const panel = vscode.window.createWebviewPanel(COMPARE_VIEW_TYPE, 'Compare', vscode.ViewColumn.Active, {
      retainContextWhenHidden: false,
    });
    new ComparePanel(panel, extensionUri, pair);
  }

  static registerSerializer(extensionUri: vscode.Uri): vscode.Disposable {
    return vscode.window.registerWebviewPanelSerializer(COMPARE_VIEW_TYPE, {
      async deserializeWebviewPanel(panel, state) {
        const pair = restoredPair(state);
        const exists =
          pair &&
          (
            await Promise.all(
              [pair.before, pair.after].map((p) =>
                fs.stat(p).then(
                  () => true,
                  () => false,
                ),
              ),
            )
          ).every(Boolean);
        if (!pair || !exists) {
          panel.dispose();
          return;
        }
        ComparePanel.current?.dispose();
        new ComparePanel(panel, extensionUri, pair);
      },
    });
  }

  private load(): void {
    const { webview } = this.panel;
    // Narrowest roots VS Code allows: the bundle folder and the two files' folders (a root must
    // be a folder: VS Code matches resources by "root path + separator" prefix).
    const folders = [...new Set([path.dirname(this.pair.before), path.dirname(this.pair.after)])];
    webview.options = webviewOptions(this.extensionUri, folders);
    this.panel.title = `${path.basename(this.pair.before)} ↔ ${path.basename(this.pair.after)}`;
    this.ready = false;
    // A fresh page for every pair: its roots and its state belong to these two files.
    setHtml(webview, this.extensionUri, 'compare', 'Compare images', false);
  }

  private async image(file: string): Promise<CompareImage> {
    const [stat, header] = await Promise.all([fs.stat(file).catch(() => undefined), inspectImage(file)]);
    const h = typeof header === 'string' ? undefined : header;
    const folder = vscode.workspace.getWorkspaceFolder(vscode.Uri.file(file));
    return {
      uri: this.panel.webview.asWebviewUri(vscode.Uri.file(file)).toString(),
      name: path.basename(file),
      label: folder ? path.relative(folder.uri.fsPath, file) : file,
      bytes: stat?.size ?? 0,
      width: h?.width,
      height: h?.height,
    };
  }

  private async send(): Promise<void> {
    const pair = this.pair;
    const [before, after] = await Promise.all([this.image(pair.before), this.image(pair.after)]);
    if (pair !== this.pair || !this.ready || this.isDisposed) return;
    const msg: CompareHostMessage = {
      type: 'show',
      before,
      after,
      note: pair.note,
      files: { before: pair.before, after: pair.after },
    };
    void this.panel.webview.postMessage(msg);
  }

  private onMessage(raw: unknown): void {
    const m = parseCompareWebviewMessage(raw);
    if (!m) return;
    if (m.type === 'ready') {
      this.ready = true;
      void this.send();
      return;
    }
    const file = this.fileOf(m.side);
    if (m.action === 'open')
      void vscode.commands.executeCommand('vscode.open', vscode.Uri.file(file), {
        viewColumn: vscode.ViewColumn.Beside,
        preview: true,
      });
    else void vscode.commands.executeCommand('revealInExplorer', vscode.Uri.file(file));
  }

  private fileOf(side: Side): string {
    return side === 'before' ? this.pair.before : this.pair.after;
  }
}
