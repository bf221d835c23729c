// CodeLens on gan.config.json: "Train" (or "Stop" while it trains), "Check dataset" and
// "Open dashboard" for the config's last run. Lenses are listed at once and their run lookup
// (a folder scan) happens in resolve, so typing in the file stays cheap.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { Disposable, toDisposable } from '../util/dispose';
import * as settings from '../settings';
import type { TrainingManager } from '../trainer/manager';
import type { TrainingSession } from '../trainer/session';
import { configName, findLastRun } from './lastRun';

export const CONFIG_SELECTOR: vscode.DocumentSelector = [
  { scheme: 'file', pattern: '**/gan.config.json' },
  { scheme: 'file', pattern: '**/*.gan.config.json' },
];

/** Where a config's runs can be: the workspace's runs folder and runs/ next to the config. */
export function runRootsOf(configPath: string): string[] {
  return [settings.runsFolderForConfig(configPath), path.join(path.dirname(configPath), 'runs')];
}

/** The run "Open dashboard" shows: the live one of this config, else the newest on disk. */
export async function lastRunOf(
  manager: TrainingManager,
  configPath: string,
  text: string,
): Promise<string | undefined> {
  const live = manager.liveByKey(configPath);
  if (live) return live.runDir;
  return findLastRun(runRootsOf(configPath), configName(text, configPath));
}

class DashboardLens extends vscode.CodeLens {
  constructor(
    range: vscode.Range,
    readonly doc: vscode.TextDocument,
  ) {
    super(range);
  }
}

export class ConfigCodeLensProvider extends Disposable implements vscode.CodeLensProvider {
  private readonly changed = this._register(new vscode.EventEmitter<void>());
  readonly onDidChangeCodeLenses = this.changed.event;

  private readonly watched = new WeakSet<TrainingSession>();
  private stepTimer: ReturnType<typeof setTimeout> | undefined;
  /** What the lenses last drew of the live runs (see redrawIfChanged). */
  private drawn = '';

  /** @param stepRefreshMs how often at most the step in "Stop (step n/N)" is redrawn */
  constructor(
    private readonly manager: TrainingManager,
    private readonly stepRefreshMs = 2000,
  ) {
    super();
    // A run starting or ending changes "Train"/"Stop" and what "Open dashboard" opens.
    this._register(
      manager.onDidChangeSessions(() => {
        this.watchLive();
        this.redrawIfChanged();
      }),
    );
    this._register(toDisposable(() => clearTimeout(this.stepTimer)));
  }

  /** Follows each live run's steps; the listener goes with the session's own emitter. */
  private watchLive(): void {
    for (const s of this.manager.live()) {
      if (this.watched.has(s)) continue;
      this.watched.add(s);
      s.onDidChange((c) => {
        if (c === 'status') this.refreshStepSoon();
      });
    }
  }

  /** Metrics arrive many times a second: redraw the lenses at most every stepRefreshMs. */
  private refreshStepSoon(): void {
    if (this.stepTimer || this.isDisposed) return;
    this.stepTimer = setTimeout(() => {
      this.stepTimer = undefined;
      this.redrawIfChanged();
    }, this.stepRefreshMs);
  }

  /**
   * Redraws only when a live run started, ended or moved on. Each redraw releases the commands
   * of the lenses on screen, and a click that lands just then fails with "command not found",
   * so the last status of a stopped run must not redraw "Open dashboard" a second time.
   */
  private redrawIfChanged(): void {
    const now = this.manager
      .live()
      .map((s) => `${s.runDir} ${s.step}/${s.totalSteps}`)
      .join('\n');
    if (now === this.drawn) return;
    this.drawn = now;
    this.changed.fire();
  }

  refresh(): void {
    this.changed.fire();
  }

  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    const range = new vscode.Range(0, 0, 0, 0);
    const live = this.manager.liveByKey(doc.uri.fsPath);
    return [
      live
        ? new vscode.CodeLens(range, {
            title: `$(debug-stop) Stop (step ${live.step}/${live.totalSteps || '?'})`,
            command: 'ganStudio.stopTraining',
            arguments: [live.runDir],
            tooltip: 'Stop training: checkpoint, then exit',
          })
        : new vscode.CodeLens(range, {
            title: '$(play) Train',
            command: 'ganStudio.train',
            arguments: [doc.uri],
            tooltip: 'Train a GAN from this config',
          }),
      new vscode.CodeLens(range, {
        title: '$(checklist) Check dataset',
        command: 'ganStudio.checkDataset',
        arguments: [doc.uri],
        tooltip: 'Count and read the images this config trains on',
      }),
      new DashboardLens(range, doc),
    ];
  }

  async resolveCodeLens(lens: vscode.CodeLens): Promise<vscode.CodeLens> {
    if (!(lens instanceof DashboardLens)) return lens;
    const runDir = await lastRunOf(this.manager, lens.doc.uri.fsPath, lens.doc.getText());
    lens.command = runDir
      ? {
          title: '$(graph-line) Open dashboard',
          command: 'ganStudio.openDashboard',
          arguments: [runDir],
          tooltip: `Training dashboard of ${path.basename(runDir)}`,
        }
      : { title: '$(graph-line) No runs yet', command: '', tooltip: 'Train once to get a dashboard' };
    return lens;
  }
}
