// The Training Dashboard: one editor panel per run, live or finished. Loss curves for every
// reported loss, the sample history with a step scrubber and filmstrip, config and speed.
// History comes from the run dir (metrics.jsonl, samples/); a live run streams on top.
// A serializer brings panels back after a window reload.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { isInsideDir } from '../../shared/pathGuard';
import { runPaths } from '../../shared/runDir';
import { parseDashboardState, parseWebviewMessage, type HostMessage } from '../../shared/webviewProtocol';
import { Disposable } from '../util/dispose';
import { readRun } from '../runIndex/runsIndex';
import type { TrainingManager } from '../trainer/manager';
import { ViewFeed } from './feed';
import { RunFollower } from './runFollower';
import { openRunFile, runAction, sampleRef, setHtml, webviewOptions } from './common';

export class DashboardPanel extends Disposable {
  static readonly viewType = 'ganStudio.dashboard';
  private static readonly panels = new Map<string, DashboardPanel>();

  /** Opens (or reveals) the dashboard of a run. */
  static show(extensionUri: vscode.Uri, manager: TrainingManager, runDir: string): DashboardPanel {
    const key = path.resolve(runDir);
    const existing = DashboardPanel.panels.get(key);
    if (existing) {
      existing.panel.reveal(undefined, false);
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(
      DashboardPanel.viewType,
      `GAN: ${path.basename(runDir)}`,
      { viewColumn: vscode.ViewColumn.Active, preserveFocus: false },
      webviewOptions(extensionUri, [key]),
    );
    return new DashboardPanel(extensionUri, manager, panel, key);
  }

  static registerSerializer(extensionUri: vscode.Uri, manager: TrainingManager): vscode.Disposable {
    return vscode.window.registerWebviewPanelSerializer(DashboardPanel.viewType, {
      async deserializeWebviewPanel(panel, state) {
        // The state was written by our page, but check it like any other page input.
        const s = parseDashboardState(state);
        const run = s && path.isAbsolute(s.runDir) ? await readRun(s.runDir) : undefined;
        if (!s || !run || DashboardPanel.panels.has(path.resolve(s.runDir))) {
          panel.dispose();
          return;
        }
        panel.webview.options = webviewOptions(extensionUri, [path.resolve(s.runDir)]);
        new DashboardPanel(extensionUri, manager, panel, path.resolve(s.runDir));
      },
    });
  }

  private readonly follower: RunFollower;
  private ready = false;

  private constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly manager: TrainingManager,
    private readonly panel: vscode.WebviewPanel,
    readonly runDir: string,
  ) {
    super();
    DashboardPanel.panels.set(runDir, this);
    const feed = new ViewFeed((m) => this.post(m), { intervalMs: 500 });
    this.follower = this._register(
      new RunFollower(
        manager,
        runDir,
        feed,
        (x) => sampleRef(panel.webview, x),
        () => this.ready,
      ),
    );
    setHtml(panel.webview, extensionUri, 'dashboard', `GAN: ${path.basename(runDir)}`);
    this._register(panel.webview.onDidReceiveMessage((m) => void this.onMessage(m)));
    this._register(
      panel.onDidChangeViewState(() => {
        if (!panel.visible) this.ready = false;
      }),
    );
    this._register(panel.onDidDispose(() => this.dispose()));
  }

  override dispose(): void {
    if (this.isDisposed) return;
    DashboardPanel.panels.delete(this.runDir);
    super.dispose();
    this.panel.dispose();
  }

  private async onMessage(raw: unknown): Promise<void> {
    const m = parseWebviewMessage(raw, { allowPath: (p) => isInsideDir(this.runDir, p, true) });
    if (!m) return;
    if (m.type === 'ready') {
      this.ready = true;
      await this.sendAll();
    } else if (m.type === 'action') {
      runAction(m.action, m.runDir ?? this.runDir);
    } else if (m.type === 'openFile') {
      openRunFile(m.path);
    }
  }

  /** Everything the run has: history from disk merged with what the live session holds. */
  private async sendAll(): Promise<void> {
    const { run, points, samples, config } = await this.follower.history();
    this.post({ type: 'reset', run, points, samples, config, configPath: runPaths(this.runDir).config });
  }

  private post(m: HostMessage): void {
    if (this.ready) void this.panel.webview.postMessage(m);
  }
}
