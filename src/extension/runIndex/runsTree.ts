// The "Runs" tree: one node per run directory under the runs folder(s), live runs merged in,
// with checkpoints and samples as children. Refreshes on file changes (debounced) and on
// session changes.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { RunStatus } from '../../shared/webviewProtocol';
import { Disposable } from '../util/dispose';
import * as settings from '../settings';
import type { TrainingManager } from '../trainer/manager';
import { formatRate } from '../trainer/progressMath';
import { familyInfo } from '../../trainer/models/infos';
import { listRuns, readRun, type CheckpointInfo, type RunSummary, type SampleInfo } from './runsIndex';

export type RunsNode =
  | { kind: 'run'; run: RunSummary }
  | { kind: 'group'; run: RunSummary; group: 'checkpoints' | 'samples' }
  | { kind: 'checkpoint'; run: RunSummary; checkpoint: CheckpointInfo }
  | { kind: 'sample'; run: RunSummary; sample: SampleInfo };

const STATUS_ICON: Record<RunStatus, [string, string?]> = {
  starting: ['loading~spin'],
  running: ['sync~spin', 'charts.blue'],
  paused: ['debug-pause', 'charts.yellow'],
  stopping: ['loading~spin'],
  finished: ['pass', 'charts.green'],
  stopped: ['debug-stop'],
  failed: ['error', 'errorForeground'],
  incomplete: ['circle-outline'],
};

export function lossSummary(losses: Record<string, number>, max = 3): string {
  return Object.entries(losses)
    .slice(0, max)
    .map(([k, v]) => `${k} ${Number.isFinite(v) ? v.toFixed(3) : 'NaN'}`)
    .join(' ');
}

export class RunsTreeProvider extends Disposable implements vscode.TreeDataProvider<RunsNode> {
  static readonly viewId = 'ganStudio.runs';
  private readonly _onDidChange = this._register(new vscode.EventEmitter<RunsNode | undefined>());
  readonly onDidChangeTreeData = this._onDidChange.event;
  private runs: RunSummary[] = [];
  private timer: NodeJS.Timeout | undefined;
  private watchers: vscode.Disposable[] = [];

  constructor(private readonly manager: TrainingManager) {
    super();
    this._register(manager.onDidChangeSessions(() => this.refreshSoon(300)));
    this._register(vscode.workspace.onDidChangeWorkspaceFolders(() => this.rewatch()));
    this._register(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('ganStudio.runsFolder')) this.rewatch();
      }),
    );
    this._register({
      dispose: () => {
        clearTimeout(this.timer);
        this.watchers.forEach((w) => w.dispose());
      },
    });
    this.rewatch();
  }

  /** Current runs (disk merged with live sessions), newest first. */
  list(): RunSummary[] {
    return this.runs;
  }

  refreshSoon(ms = 1500): void {
    // Metrics files change every few steps while training: coalesce.
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.refresh();
    }, ms);
  }

  async refresh(): Promise<void> {
    const found = (await Promise.all(settings.allRunsFolders().map(listRuns))).flat();
    // Live runs outside every runs folder (a config outside the workspace) still show.
    for (const s of this.manager.all()) {
      if (!found.some((r) => path.resolve(r.runDir) === path.resolve(s.runDir))) {
        const r = await readRun(s.runDir);
        if (r) found.push(r);
      }
    }
    this.runs = found.map((r) => this.merge(r)).sort((a, b) => b.modified - a.modified);
    void vscode.commands.executeCommand('setContext', 'ganStudio.hasRuns', this.runs.length > 0);
    this._onDidChange.fire(undefined);
  }

  private merge(r: RunSummary): RunSummary {
    const s = this.manager.byRunDir(r.runDir);
    if (!s?.isLive) return r;
    const last = s.points.last();
    return {
      ...r,
      status: s.status,
      step: Math.max(r.step, s.step),
      totalSteps: s.totalSteps || r.totalSteps,
      backend: s.backend ?? r.backend,
      lastLosses: last?.losses ?? r.lastLosses,
      modified: Date.now(),
    };
  }

  private rewatch(): void {
    this.watchers.forEach((w) => w.dispose());
    this.watchers = [];
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      const runs = settings.runsFolderOf(folder);
      const w = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(runs), '**'));
      const kick = () => this.refreshSoon();
      w.onDidCreate(kick);
      w.onDidDelete(kick);
      w.onDidChange(kick);
      this.watchers.push(w);
    }
    void this.refresh();
  }

  getTreeItem(n: RunsNode): vscode.TreeItem {
    switch (n.kind) {
      case 'run':
        return this.runItem(n.run);
      case 'group': {
        const count = n.group === 'checkpoints' ? n.run.checkpoints.length : n.run.samples.length;
        const item = new vscode.TreeItem(
          `${n.group === 'checkpoints' ? 'Checkpoints' : 'Samples'} (${count})`,
          vscode.TreeItemCollapsibleState.Collapsed,
        );
        item.iconPath = new vscode.ThemeIcon(n.group === 'checkpoints' ? 'save-all' : 'file-media');
        item.contextValue = `ganGroup`;
        item.id = `${n.run.runDir}#${n.group}`;
        return item;
      }
      case 'checkpoint': {
        const c = n.checkpoint;
        const item = new vscode.TreeItem(c.isLatest ? 'latest' : c.name, vscode.TreeItemCollapsibleState.None);
        item.description = c.step !== undefined ? `step ${c.step}` : undefined;
        item.iconPath = new vscode.ThemeIcon(c.isLatest ? 'history' : 'save');
        item.resourceUri = vscode.Uri.file(c.path);
        item.contextValue = ['ganCheckpoint', c.isLatest ? 'latest' : '', latentFlag(n.run)].filter(Boolean).join(' ');
        item.tooltip = c.path;
        item.id = c.path;
        return item;
      }
      case 'sample': {
        const uri = vscode.Uri.file(n.sample.path);
        const item = new vscode.TreeItem(`step ${n.sample.step}`, vscode.TreeItemCollapsibleState.None);
        item.iconPath = new vscode.ThemeIcon('file-media');
        item.resourceUri = uri;
        item.contextValue = 'ganSample';
        item.command = { title: 'Open Sample', command: 'vscode.open', arguments: [uri, { preview: true }] };
        item.id = n.sample.path;
        return item;
      }
    }
  }

  private runItem(r: RunSummary): vscode.TreeItem {
    const item = new vscode.TreeItem(r.name, vscode.TreeItemCollapsibleState.Collapsed);
    const steps = `${r.step}/${r.totalSteps || '?'}`;
    const losses = lossSummary(r.lastLosses);
    item.description = [r.status, steps, losses].filter(Boolean).join(' · ');
    const [icon, color] = STATUS_ICON[r.status];
    item.iconPath = new vscode.ThemeIcon(icon, color ? new vscode.ThemeColor(color) : undefined);
    const live = this.manager.byRunDir(r.runDir)?.isLive ?? false;
    // Space-separated flags, matched in package.json menus with regexes.
    item.contextValue = ['ganRun', live ? 'live' : 'idle', !live && r.hasLatest ? 'resumable' : '', latentFlag(r)]
      .filter(Boolean)
      .join(' ');
    item.id = r.runDir;
    item.resourceUri = vscode.Uri.file(r.runDir);
    const md = new vscode.MarkdownString();
    md.appendMarkdown(`**${r.name}** — ${r.status}\n\n`);
    md.appendText(`step ${steps}${r.model ? ` · ${r.model}` : ''}${r.backend ? ` · ${r.backend}` : ''}`);
    if (r.msPerStep) md.appendText(` · ${formatRate(1000 / r.msPerStep)}`);
    if (losses)
      md.appendText(
        `\n${Object.entries(r.lastLosses)
          .map(([k, v]) => `${k} ${v.toFixed(4)}`)
          .join(', ')}`,
      );
    if (r.dReal !== undefined || r.dFake !== undefined)
      md.appendText(`\nD(x) ${r.dReal?.toFixed(3) ?? '–'} · D(G(z)) ${r.dFake?.toFixed(3) ?? '–'}`);
    md.appendText(`\n${r.runDir}`);
    item.tooltip = md;
    item.command = { title: 'Open Training Dashboard', command: 'ganStudio.openDashboard', arguments: [r.runDir] };
    return item;
  }

  getChildren(n?: RunsNode): RunsNode[] {
    if (!n) return this.runs.map((run) => ({ kind: 'run', run }));
    if (n.kind === 'run') {
      const out: RunsNode[] = [];
      if (n.run.checkpoints.length) out.push({ kind: 'group', run: n.run, group: 'checkpoints' });
      if (n.run.samples.length) out.push({ kind: 'group', run: n.run, group: 'samples' });
      return out;
    }
    if (n.kind === 'group') {
      return n.group === 'checkpoints'
        ? n.run.checkpoints.map((checkpoint) => ({ kind: 'checkpoint', run: n.run, checkpoint }))
        : // newest grid first: that is the one people look for
          [...n.run.samples].reverse().map((sample) => ({ kind: 'sample', run: n.run, sample }));
    }
    return [];
  }
}

/** "latent" on rows of families that draw from noise (the latent-space explorer's menu item). */
const latentFlag = (r: RunSummary) => (familyInfo(r.model)?.latent ? 'latent' : '');
