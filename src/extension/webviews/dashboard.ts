// The Training Dashboard: one editor panel per run, live or finished. Loss curves for every
// reported loss, the sample history with a step scrubber and filmstrip, config and speed.
// History comes from the run dir (metrics.jsonl, samples/); a live run streams on top.
// A serializer brings panels back after a window reload.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { isInsideDir } from '../../shared/pathGuard';
import { runPaths } from '../../shared/runDir';
import {
  parseDashboardState, parseWebviewMessage, type HostMessage, type MetricPoint, type RunInfo,
} from '../../shared/webviewProtocol';
import { Disposable, type IDisposable } from '../util/dispose';
import { listSamples, readMetrics, readRun } from '../runIndex/runsIndex';
import type { TrainingManager } from '../trainer/manager';
import type { TrainingSession } from '../trainer/session';
import { ViewFeed } from './feed';
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
    const panel = vscode.window.createWebviewPanel(DashboardPanel.viewType, `GAN: ${path.basename(runDir)}`,
      { viewColumn: vscode.ViewColumn.Active, preserveFocus: false }, webviewOptions(extensionUri, [key]));
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

  private readonly feed: ViewFeed;
  private ready = false;
  private session: TrainingSession | undefined;
  private sessionSub: IDisposable | undefined;
  private sentStep = -1;
  private sentSamples = new Set<number>();

  private constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly manager: TrainingManager,
    private readonly panel: vscode.WebviewPanel,
    readonly runDir: string,
  ) {
    super();
    DashboardPanel.panels.set(runDir, this);
    this.feed = new ViewFeed((m) => this.post(m), { intervalMs: 500 });
    setHtml(panel.webview, extensionUri, 'dashboard', `GAN: ${path.basename(runDir)}`);
    this._register(panel.webview.onDidReceiveMessage((m) => void this.onMessage(m)));
    this._register(panel.onDidChangeViewState(() => { if (!panel.visible) this.ready = false; }));
    this._register(panel.onDidDispose(() => this.dispose()));
    this._register(manager.onDidChangeSessions(() => this.attach()));
    this._register({ dispose: () => { this.sessionSub?.dispose(); this.feed.dispose(); } });
    this.attach();
  }

  override dispose(): void {
    if (this.isDisposed) return;
    DashboardPanel.panels.delete(this.runDir);
    super.dispose();
    this.panel.dispose();
  }

  /** Follows the live session of this run (a resume starts a new one for the same dir). */
  private attach(): void {
    const s = this.manager.byRunDir(this.runDir);
    if (s === this.session) return;
    this.sessionSub?.dispose();
    this.session = s;
    this.sessionSub = s?.onDidChange((c) => this.onSessionChange(s, c));
    if (s && this.ready) this.feed.status(s.info());
  }

  private onSessionChange(s: TrainingSession, c: string): void {
    if (!this.ready) return;
    if (c === 'status') this.feed.status(s.info());
    if (c === 'points') {
      const pts = s.points.since((p) => p.step > this.sentStep);
      if (pts.length) {
        this.sentStep = pts[pts.length - 1].step;
        this.feed.addPoints(this.runDir, pts);
      }
    }
    if (c === 'sample') {
      for (const x of s.samples) {
        if (this.sentSamples.has(x.step)) continue;
        this.sentSamples.add(x.step);
        this.feed.addSample(this.runDir, sampleRef(this.panel.webview, x));
      }
    }
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
    this.feed.clear();
    const [filePoints, samples, summary, configText] = await Promise.all([
      readMetrics(this.runDir), listSamples(this.runDir), readRun(this.runDir),
      fs.readFile(runPaths(this.runDir).config, 'utf8').catch(() => undefined),
    ]);
    const s = this.session;
    const lastFileStep = filePoints[filePoints.length - 1]?.step ?? -1;
    const points: MetricPoint[] = [...filePoints, ...(s ? s.points.since((p) => p.step > lastFileStep) : [])];
    const sampleList = [...samples];
    for (const x of s?.samples ?? []) if (!sampleList.some((y) => y.step === x.step)) sampleList.push(x);
    sampleList.sort((a, b) => a.step - b.step);
    let config: unknown = s?.config;
    try {
      if (configText) config = JSON.parse(configText);
    } catch {
      // a half-written config: keep the session's copy
    }
    const run: RunInfo = s?.info() ?? {
      runDir: this.runDir, name: path.basename(this.runDir), status: summary?.status ?? 'incomplete',
      step: summary?.step ?? 0, totalSteps: summary?.totalSteps ?? 0, live: false, backend: summary?.backend,
      stepsPerSec: summary?.msPerStep ? 1000 / summary.msPerStep : undefined, message: summary?.note,
    };
    this.sentStep = points[points.length - 1]?.step ?? -1;
    this.sentSamples = new Set(sampleList.map((x) => x.step));
    this.post({
      type: 'reset', run, points, config, configPath: runPaths(this.runDir).config,
      samples: sampleList.map((x) => sampleRef(this.panel.webview, x)),
    });
  }

  private post(m: HostMessage): void {
    if (this.ready) void this.panel.webview.postMessage(m);
  }
}
