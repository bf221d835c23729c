// Pieces both pages show: the status line and the run's action buttons.
import { formatDuration, formatRate } from '../../src/shared/format';
import type { RunAction, RunInfo, ViewKind } from '../../src/shared/webviewProtocol';
import { h } from './dom';

export function statusLine(run: RunInfo): HTMLElement {
  const parts = [`step ${run.step}/${run.totalSteps || '?'}`];
  if (run.status === 'running') parts.push(formatRate(run.stepsPerSec), `ETA ${formatDuration(run.etaSec)}`);
  if (run.backend) parts.push(run.backend);
  return h(
    'div',
    { class: 'status-line' },
    h('span', { class: `status-badge status-${run.status}`, text: run.status }),
    h('span', { class: 'status-text', text: parts.join(' · ') }),
  );
}

interface ButtonSpec {
  action: RunAction;
  label: string;
  secondary?: boolean;
  title?: string;
}

/** The buttons that make sense for a run in this state. */
export function actionsFor(run: RunInfo | null, view: ViewKind): ButtonSpec[] {
  if (!run) return [{ action: 'train', label: 'Train GAN' }];
  const out: ButtonSpec[] = [];
  if (run.live && run.status === 'running') out.push({ action: 'pause', label: 'Pause' });
  if (run.live && run.status === 'paused') out.push({ action: 'resume', label: 'Resume' });
  if (run.live && (run.status === 'running' || run.status === 'paused')) {
    out.push({ action: 'stop', label: 'Stop', secondary: true, title: 'Save a checkpoint and stop' });
    out.push({
      action: 'sampleNow',
      label: 'Sample now',
      secondary: true,
      title: 'Save a sample grid at the current step',
    });
  }
  if (!run.live && (run.status === 'stopped' || run.status === 'failed')) {
    out.push({ action: 'resumeRun', label: 'Resume from checkpoint' });
  }
  if (view === 'preview') out.push({ action: 'openDashboard', label: 'Dashboard', secondary: true });
  out.push({ action: 'showLog', label: 'Log', secondary: true, title: 'Show the GAN Training output' });
  return out;
}

/**
 * The run's action buttons, kept across status updates: the buttons are rebuilt only when the
 * set of actions changes, so a click whose mousedown and mouseup straddle an update (several a
 * second while training) is not lost, and a focused button keeps keyboard focus.
 */
export class ActionBar {
  readonly el = h('div', { class: 'actions', role: 'toolbar', 'aria-label': 'Run actions' });
  private shown = '';

  constructor(private readonly onAction: (a: RunAction) => void) {}

  update(specs: ButtonSpec[]): void {
    const key = JSON.stringify(specs);
    if (key === this.shown) return;
    this.shown = key;
    this.el.replaceChildren(
      ...specs.map((s) => {
        const b = h('vscode-button', {
          secondary: !!s.secondary,
          title: s.title,
          'data-action': s.action,
          text: s.label,
        });
        b.addEventListener('click', () => this.onAction(s.action));
        return b;
      }),
    );
  }
}
