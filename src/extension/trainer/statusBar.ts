// Status-bar item for the focused run: step, steps/s, ETA, backend. Clicking opens its dashboard.
import * as vscode from 'vscode';
import { Disposable } from '../util/dispose';
import { formatDuration, formatRate } from './progressMath';
import type { TrainingManager } from './manager';
import type { TrainingSession } from './session';

const ICONS: Record<string, string> = {
  starting: '$(loading~spin)',
  running: '$(sync~spin)',
  paused: '$(debug-pause)',
  stopping: '$(loading~spin)',
  finished: '$(pass)',
  stopped: '$(debug-stop)',
  failed: '$(error)',
};

export class TrainingStatusBar extends Disposable {
  private readonly item = this._register(
    vscode.window.createStatusBarItem('ganStudio.training', vscode.StatusBarAlignment.Left, 50),
  );
  private hideTimer: NodeJS.Timeout | undefined;

  constructor(private readonly manager: TrainingManager) {
    super();
    this.item.name = 'GAN Training';
    // Re-render once a second at most: metrics may arrive much faster.
    const tick = setInterval(() => this.render(), 1000);
    this._register({ dispose: () => clearInterval(tick) });
    this._register(manager.onDidChangeSessions(() => this.render()));
    this._register(manager.onDidChangeFocus(() => this.render()));
    this._register({ dispose: () => clearTimeout(this.hideTimer) });
  }

  private render(): void {
    const s = this.manager.focused;
    if (!s) {
      this.item.hide();
      return;
    }
    const others = this.manager.live().filter((x) => x !== s).length;
    this.item.text = `${ICONS[s.status] ?? ''} GAN ${this.summary(s)}${others ? ` (+${others})` : ''}`;
    this.item.tooltip = this.tooltip(s, others);
    this.item.command = { title: 'Open Training Dashboard', command: 'ganStudio.openDashboard', arguments: [s.runDir] };
    this.item.backgroundColor =
      s.status === 'failed' ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
    this.item.show();
    if (s.isLive) {
      clearTimeout(this.hideTimer);
      this.hideTimer = undefined;
    } else if (!this.hideTimer) {
      // An ended run stays visible for a while, then the item goes away.
      this.hideTimer = setTimeout(() => {
        if (!this.manager.focused?.isLive) this.item.hide();
      }, 60_000);
    }
  }

  private summary(s: TrainingSession): string {
    const steps = `${s.step}/${s.totalSteps || '?'}`;
    switch (s.status) {
      case 'running':
        return `${steps} · ${formatRate(s.stepsPerSec)} · ETA ${formatDuration(s.etaSec)}${s.backend ? ` · ${s.backend}` : ''}`;
      case 'starting':
        return 'starting…';
      case 'stopping':
        return `${steps} · saving checkpoint…`;
      default:
        return `${s.status} ${steps}`;
    }
  }

  private tooltip(s: TrainingSession, others: number): vscode.MarkdownString {
    const md = new vscode.MarkdownString(undefined, true);
    md.appendMarkdown(`**${s.name}** — ${s.status}\n\n`);
    md.appendMarkdown(
      `step ${s.step} of ${s.totalSteps || '?'}  \n${formatRate(s.stepsPerSec)}, ETA ${formatDuration(s.etaSec)}  \n`,
    );
    if (s.backend) md.appendMarkdown(`backend: ${s.backend}  \n`);
    if (s.message) md.appendText(`\n${s.message}\n`);
    if (others) md.appendMarkdown(`\n${others} more run${others > 1 ? 's' : ''} training`);
    md.appendMarkdown('\n\nClick to open the training dashboard.');
    return md;
  }
}
