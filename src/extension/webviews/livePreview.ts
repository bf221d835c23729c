// The "Live Preview" webview view: the focused run's newest sample grid, a loss sparkline,
// D(x)/D(G(z)) and status. The page keeps what it shows in its own state (getState/setState);
// when it is re-shown it says what it has and gets only what is newer: no replay, no flicker.
import * as vscode from 'vscode';
import { isInsideDir } from '../../shared/pathGuard';
import { parseWebviewMessage, type HostMessage, type WebviewMessage } from '../../shared/webviewProtocol';
import { Disposable, type IDisposable } from '../util/dispose';
import * as settings from '../settings';
import type { TrainingManager } from '../trainer/manager';
import type { TrainingSession } from '../trainer/session';
import { ViewFeed } from './feed';
import { readMetrics, type RunSummary } from '../runIndex/runsIndex';
import type { RunsTreeProvider } from '../runIndex/runsTree';
import { openRunFile, runAction, sampleRef, setHtml, webviewOptions } from './common';

/** The sparkline's window: the page keeps at most this many points. */
export const PREVIEW_POINTS = 300;

export class LivePreviewProvider extends Disposable implements vscode.WebviewViewProvider {
  static readonly viewId = 'ganStudio.livePreview';

  private view: vscode.WebviewView | undefined;
  private ready = false;
  private feed: ViewFeed | undefined;
  private sessionSub: IDisposable | undefined;
  private roots: string[] = [];
  /** The last point step sent for the focused run (to send only newer ones). */
  private sentStep = -1;

  /** The newest run on disk, shown when nothing trains in this window (e.g. after a reload). */
  private diskRun: RunSummary | undefined;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly manager: TrainingManager,
    private readonly runs: RunsTreeProvider,
  ) {
    super();
    this._register(runs.onDidChangeTreeData(() => this.onRunsChanged()));
    this._register(manager.onDidChangeFocus(() => this.follow(true)));
    this._register(manager.onDidChangeSessions(() => this.updateRoots()));
    this._register({
      dispose: () => {
        this.sessionSub?.dispose();
        this.feed?.dispose();
      },
    });
  }

  /** Shows the view (starting a run reveals it). */
  async reveal(): Promise<void> {
    await vscode.commands.executeCommand(`${LivePreviewProvider.viewId}.focus`, { preserveFocus: true });
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    this.view = view;
    this.ready = false;
    this.roots = this.wantedRoots();
    view.webview.options = webviewOptions(this.extensionUri, this.roots);
    setHtml(view.webview, this.extensionUri, 'preview', 'Live Preview');
    this.feed?.dispose();
    this.feed = new ViewFeed((m) => this.post(m), { intervalMs: 300, latestSampleOnly: true });
    const subs = [
      view.webview.onDidReceiveMessage((m) => this.onMessage(m)),
      // A hidden view's page is torn down; it says "ready" again when shown.
      view.onDidChangeVisibility(() => {
        if (!view.visible) this.ready = false;
      }),
    ];
    view.onDidDispose(() => {
      subs.forEach((d) => d.dispose());
      if (this.view === view) this.view = undefined;
      this.ready = false;
    });
    this.follow(false);
  }

  private wantedRoots(): string[] {
    return [...new Set([...settings.allRunsFolders(), ...this.manager.all().map((s) => s.runDir)])];
  }

  private updateRoots(): void {
    if (!this.view) return;
    const wanted = this.wantedRoots();
    if (wanted.every((r) => this.roots.includes(r))) return;
    this.roots = wanted;
    this.view.webview.options = webviewOptions(this.extensionUri, wanted);
  }

  private allowPath(p: string): boolean {
    return (
      this.manager.all().some((s) => isInsideDir(s.runDir, p, true)) ||
      (!!this.diskRun && isInsideDir(this.diskRun.runDir, p, true))
    );
  }

  private onRunsChanged(): void {
    if (this.manager.focused) return;
    const newest = this.runs.list()[0];
    // Only a different run (or a different step of it) is worth a repaint.
    if (newest?.runDir === this.diskRun?.runDir && newest?.step === this.diskRun?.step) return;
    this.diskRun = newest;
    if (this.ready) void this.sendDiskRun();
  }

  /** A finished or stopped run from disk: its last points and newest grid, no live updates. */
  private async sendDiskRun(): Promise<void> {
    const r = this.diskRun;
    if (!r || !this.view) {
      this.post({ type: 'reset', run: null, points: [], samples: [] });
      return;
    }
    const points = (await readMetrics(r.runDir)).slice(-PREVIEW_POINTS);
    if (this.manager.focused || this.diskRun !== r || !this.view) return;
    const last = r.samples[r.samples.length - 1];
    this.post({
      type: 'reset',
      run: {
        runDir: r.runDir,
        name: r.name,
        status: r.status,
        step: r.step,
        totalSteps: r.totalSteps,
        live: false,
        backend: r.backend,
      },
      points,
      samples: last ? [sampleRef(this.view.webview, last)] : [],
    });
  }

  private onMessage(raw: unknown): void {
    const m = parseWebviewMessage(raw, { allowPath: (p) => this.allowPath(p) });
    if (!m) return;
    switch (m.type) {
      case 'ready':
        this.ready = true;
        this.sync(m);
        break;
      case 'action':
        runAction(m.action, m.runDir);
        break;
      case 'openFile':
        openRunFile(m.path);
        break;
    }
  }

  /** Subscribes to the focused session; `reset` when the focus moved to another run. */
  private follow(reset: boolean): void {
    this.sessionSub?.dispose();
    const s = this.manager.focused;
    this.sessionSub = s?.onDidChange((c) => this.onSessionChange(s, c));
    this.updateRoots();
    if (reset && this.ready) this.sendReset(s);
  }

  private onSessionChange(s: TrainingSession, c: string): void {
    if (!this.ready || !this.feed || !this.view) return;
    if (c === 'points') {
      const pts = this.pointsAfter(s, this.sentStep);
      if (pts.length) {
        this.sentStep = pts[pts.length - 1].step;
        this.feed.addPoints(s.runDir, pts);
      }
    } else if (c === 'sample') {
      const last = s.samples[s.samples.length - 1];
      if (last) this.feed.addSample(s.runDir, sampleRef(this.view.webview, last));
    } else if (c === 'status') {
      this.feed.status(s.info());
    }
  }

  private pointsAfter(s: TrainingSession, step: number) {
    return s.points.since((p) => p.step > step).slice(-PREVIEW_POINTS);
  }

  private sync(m: Extract<WebviewMessage, { type: 'ready' }>): void {
    const s = this.manager.focused;
    if (!s && this.diskRun && m.runDir === this.diskRun.runDir && m.lastStep >= this.diskRun.step) return; // already shown
    if (!s || m.runDir !== s.runDir) {
      this.sendReset(s);
      return;
    }
    // Same run as the page restored from its state: only what it has not seen.
    this.feed?.clear();
    this.post({ type: 'status', run: s.info() });
    const pts = this.pointsAfter(s, m.lastStep);
    if (pts.length) this.post({ type: 'points', runDir: s.runDir, points: pts });
    this.sentStep = Math.max(m.lastStep, pts[pts.length - 1]?.step ?? -1);
    const last = s.samples[s.samples.length - 1];
    if (last && last.step > m.lastSampleStep && this.view) {
      this.post({ type: 'samples', runDir: s.runDir, samples: [sampleRef(this.view.webview, last)] });
    }
  }

  private sendReset(s: TrainingSession | undefined): void {
    this.feed?.clear();
    if (!s || !this.view) {
      this.sentStep = -1;
      this.diskRun = this.runs.list()[0];
      void this.sendDiskRun();
      return;
    }
    const pts = this.pointsAfter(s, -1);
    this.sentStep = pts[pts.length - 1]?.step ?? -1;
    const last = s.samples[s.samples.length - 1];
    this.post({ type: 'reset', run: s.info(), points: pts, samples: last ? [sampleRef(this.view.webview, last)] : [] });
  }

  private post(m: HostMessage): void {
    if (this.view && this.ready) void this.view.webview.postMessage(m);
  }
}
