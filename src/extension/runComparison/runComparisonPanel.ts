// The Run Comparison panel: several training runs in one webview (page `runs`). Each run is a
// RunFollower (its history, then what its live session adds) with its own ViewFeed, so live
// runs update in place. One panel: comparing another set replaces what it shows. A serializer
// brings it back after a window reload from the run folders kept in the page's state.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { configDiff } from '../../shared/configDiff';
import { isObj } from '../../shared/guards';
import { runPaths } from '../../shared/runDir';
import {
  parseRunComparisonState,
  parseRunComparisonWebviewMessage,
  type ComparedRun,
  type RunComparisonHostMessage,
} from '../../shared/runComparisonProtocol';
import { Disposable, disposeAll } from '../util/dispose';
import { readRun } from '../runIndex/runsIndex';
import type { TrainingManager } from '../trainer/manager';
import { ViewFeed } from '../webviews/feed';
import { RunFollower } from '../webviews/runFollower';
import { openRunFile, sampleRef, setHtml, webviewOptions } from '../webviews/common';

export const RUN_COMPARISON_VIEW_TYPE = 'ganStudio.runComparison';

export class RunComparisonPanel extends Disposable {
  private static current: RunComparisonPanel | undefined;
  private followers: RunFollower[] = [];
  private ready = false;
  /** Bumped on every load: a slow history read of an older set must not be posted. */
  private generation = 0;

  /** Shows `runDirs` (two or more) in the one Run Comparison panel. */
  static show(extensionUri: vscode.Uri, manager: TrainingManager, runDirs: string[]): void {
    const cur = RunComparisonPanel.current;
    if (cur) {
      cur.load(runDirs);
      cur.panel.reveal(undefined, false);
      return;
    }
    const panel = vscode.window.createWebviewPanel(
      RUN_COMPARISON_VIEW_TYPE,
      'Run Comparison',
      vscode.ViewColumn.Active,
      {},
    );
    new RunComparisonPanel(extensionUri, manager, panel, runDirs);
  }

  static registerSerializer(extensionUri: vscode.Uri, manager: TrainingManager): vscode.Disposable {
    return vscode.window.registerWebviewPanelSerializer(RUN_COMPARISON_VIEW_TYPE, {
      async deserializeWebviewPanel(panel, state) {
        // Written by our page, but checked like any page input: absolute run folders only.
        const dirs = parseRunComparisonState(state)?.runDirs.filter((d) => path.isAbsolute(d) && !d.includes('\0'));
        const runs = dirs ? (await Promise.all(dirs.map(readRun))).filter(Boolean) : [];
        if (!dirs || runs.length !== dirs.length || RunComparisonPanel.current) {
          panel.dispose();
          return;
        }
        new RunComparisonPanel(extensionUri, manager, panel, dirs);
      },
    });
  }

  private constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly manager: TrainingManager,
    private readonly panel: vscode.WebviewPanel,
    runDirs: string[],
  ) {
    super();
    RunComparisonPanel.current = this;
    this._register(panel.webview.onDidReceiveMessage((m) => void this.onMessage(m)));
    this._register(
      panel.onDidChangeViewState(() => {
        if (!panel.visible) this.ready = false;
      }),
    );
    this._register(panel.onDidDispose(() => this.dispose()));
    this._register({ dispose: () => disposeAll(this.followers) });
    this.load(runDirs);
  }

  override dispose(): void {
    if (this.isDisposed) return;
    if (RunComparisonPanel.current === this) RunComparisonPanel.current = undefined;
    super.dispose();
    this.panel.dispose();
  }

  private load(runDirs: string[]): void {
    disposeAll(this.followers);
    const dirs = [...new Set(runDirs.map((d) => path.resolve(d)))];
    const { webview } = this.panel;
    // Roots: the bundle and these run folders only (sample grids are all the page loads).
    webview.options = webviewOptions(this.extensionUri, dirs);
    this.followers = dirs.map((d) => {
      const feed = new ViewFeed(
        (m) => {
          if (m.type !== 'reset') this.post(m);
        },
        { intervalMs: 500 },
      );
      return new RunFollower(
        this.manager,
        d,
        feed,
        (x) => sampleRef(webview, x),
        () => this.ready,
      );
    });
    this.panel.title = `Run Comparison: ${dirs.map((d) => path.basename(d)).join(' · ')}`;
    this.ready = false;
    this.generation++;
    setHtml(webview, this.extensionUri, 'runs', 'Run Comparison');
  }

  private async onMessage(raw: unknown): Promise<void> {
    const m = parseRunComparisonWebviewMessage(raw, this.followers.length);
    if (!m) return;
    if (m.type === 'ready') {
      this.ready = true;
      await this.sendAll();
      return;
    }
    const runDir = this.followers[m.run].runDir;
    if (m.type === 'openDashboard') void vscode.commands.executeCommand('ganStudio.openDashboard', runDir);
    else if (m.type === 'openConfig') openRunFile(runPaths(runDir).config);
    else openRunFile(runPaths(runDir).sample(m.step));
  }

  private async sendAll(): Promise<void> {
    const generation = this.generation;
    const histories = await Promise.all(this.followers.map((f) => f.history()));
    if (generation !== this.generation || this.isDisposed) return;
    const runs: ComparedRun[] = histories.map((x) => ({
      info: x.run,
      points: x.points,
      samples: x.samples,
      family: isObj(x.config) && typeof x.config.model === 'string' ? x.config.model.slice(0, 64) : undefined,
    }));
    this.post({ type: 'reset', runs, configDiff: configDiff(histories.map((x) => x.config)) });
  }

  private post(m: RunComparisonHostMessage): void {
    if (this.ready) void this.panel.webview.postMessage(m);
  }
}
