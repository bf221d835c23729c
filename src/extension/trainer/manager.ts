// All training sessions of this window: starts them (one per config or run dir), connects
// them to the log, the progress notification, context keys and crash reporting, and tells
// the views which run is in focus.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { BackendName } from '../../shared/backends';
import { runPaths } from '../../shared/runDir';
import { Disposable } from '../util/dispose';
import type { TrainingLog } from '../log';
import * as settings from '../settings';
import { progressText } from './progressMath';
import { TrainingSession, type SessionEnd } from './session';

export interface StartRequest {
  key: string;
  name: string;
  configPath: string;
  runDir: string;
  backend: BackendName;
  resume?: boolean;
}

export const CONTEXT = {
  isTraining: 'ganStudio.isTraining',
  canPause: 'ganStudio.canPause',
  canResume: 'ganStudio.canResume',
} as const;

export class TrainingManager extends Disposable {
  private readonly _onDidChangeSessions = this._register(new vscode.EventEmitter<void>());
  private readonly _onDidChangeFocus = this._register(new vscode.EventEmitter<TrainingSession | undefined>());
  /** A session started, ended or changed status. */
  readonly onDidChangeSessions = this._onDidChangeSessions.event;
  /** The run the Live Preview and status bar follow changed. */
  readonly onDidChangeFocus = this._onDidChangeFocus.event;

  private readonly sessions = new Map<string, TrainingSession>();
  private _focused: TrainingSession | undefined;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly log: TrainingLog,
    private readonly hooks: { onStarted(s: TrainingSession): void; resume(runDir: string): void },
  ) {
    super();
    this.updateContext();
  }

  get focused(): TrainingSession | undefined {
    return this._focused;
  }

  /** Live sessions first (most recent first), then the ended ones still kept for display. */
  all(): TrainingSession[] {
    return [...this.sessions.values()].sort((a, b) => Number(b.isLive) - Number(a.isLive) || b.startedAt - a.startedAt);
  }
  live(): TrainingSession[] {
    return this.all().filter((s) => s.isLive);
  }
  byRunDir(runDir: string): TrainingSession | undefined {
    const want = path.resolve(runDir);
    return this.all().find((s) => path.resolve(s.runDir) === want);
  }
  liveByKey(key: string): TrainingSession | undefined {
    const s = this.sessions.get(key);
    return s?.isLive ? s : undefined;
  }

  focus(s: TrainingSession | undefined): void {
    if (this._focused === s) return;
    this._focused = s;
    this._onDidChangeFocus.fire(s);
  }

  async start(req: StartRequest): Promise<TrainingSession | undefined> {
    const clash =
      this.liveByKey(req.key) ?? this.live().find((s) => path.resolve(s.runDir) === path.resolve(req.runDir));
    if (clash) {
      void vscode.window.showWarningMessage(`"${clash.name}" is already training. Stop it first to start it again.`);
      return undefined;
    }
    this.sessions.get(req.key)?.dispose();
    const session = new TrainingSession({
      key: req.key,
      name: req.name,
      start: {
        configPath: req.configPath,
        runDir: req.runDir,
        backend: req.backend,
        resume: req.resume,
        threads: settings.trainerThreads(),
      },
      process: {
        script: vscode.Uri.joinPath(this.extensionUri, 'dist', 'trainer.js').fsPath,
        cwd: path.dirname(req.configPath),
        execPath: settings.trainerNodePath(),
        env: { GAN_STUDIO_TRAINER: '1' },
      },
    });
    this.sessions.set(req.key, session);
    this.wire(session);
    // The backend asked for, said as a request: `auto` resolves in the trainer, which logs its choice.
    this.log.line(
      session.name,
      `${req.resume ? 'resuming' : 'starting'} ${req.configPath} -> ${req.runDir} (backend ${req.backend} requested)`,
    );
    try {
      await session.start();
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      this.log.line(session.name, `could not start the trainer: ${message}`, 'error');
      void vscode.window
        .showErrorMessage(`GAN Studio could not start the trainer: ${message}`, 'Show Log')
        .then((c) => {
          if (c) this.log.show();
        });
      session.dispose();
      this.sessions.delete(req.key);
      this.changed();
      return undefined;
    }
    this.focus(session);
    this.showProgress(session);
    this.hooks.onStarted(session);
    this.changed();
    return session;
  }

  /** Stop every live session with a checkpoint; used by "Stop Training" with several runs. */
  async stop(s: TrainingSession): Promise<void> {
    this.log.line(s.name, 'stopping: writing a checkpoint');
    await s.stop();
  }

  /** Deactivation: ask every trainer to checkpoint and exit, wait a little, leave the rest to them. */
  async shutdown(waitMs = 4000): Promise<void> {
    const live = this.live();
    for (const s of live) s.requestStop();
    // The children also stop by themselves when the IPC channel closes (see child.ts).
    await Promise.race([
      Promise.all(
        live.map(
          (s) =>
            new Promise<void>((r) => {
              if (!s.isLive) r();
              else s.onDidEnd(() => r());
            }),
        ),
      ),
      new Promise((r) => setTimeout(r, waitMs)),
    ]);
  }

  private wire(s: TrainingSession): void {
    // These listeners live on the session's own emitters: disposing the session drops them.
    let lastStatus = s.status;
    s.onLog(({ line, level }) => this.log.line(s.name, line, level));
    s.onDidChange((c) => {
      // 'status' also fires for every metrics record: only real transitions matter here.
      if (c === 'status' && s.status !== lastStatus) {
        lastStatus = s.status;
        this.changed();
      }
      if (c === 'checkpoint')
        this.log.line(s.name, `checkpoint saved at step ${s.checkpoints[s.checkpoints.length - 1]?.step}`);
    });
    const timer = this.sampleTimer(s);
    s.onDidEnd((end) => {
      timer.dispose();
      this.onEnded(s, end);
    });
  }

  /** Asks for an extra sample grid now and then (the "sample interval" setting). */
  private sampleTimer(s: TrainingSession): { dispose(): void } {
    const secs = settings.sampleIntervalSeconds();
    if (!secs) return { dispose: () => undefined };
    // An early one so a new run shows a picture within seconds, then one every interval.
    const first = setTimeout(
      () => {
        if (!s.samples.length) void s.sampleNow().catch(() => undefined);
      },
      Math.min(secs, 15) * 1000,
    );
    const every = setInterval(() => void s.sampleNow().catch(() => undefined), secs * 1000);
    return {
      dispose: () => {
        clearTimeout(first);
        clearInterval(every);
      },
    };
  }

  private showProgress(s: TrainingSession): void {
    void vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Training ${s.name}`, cancellable: true },
      (progress, token) =>
        new Promise<void>((resolve) => {
          let lastPct = 0;
          const report = () => {
            const pct = s.totalSteps ? Math.min(100, (100 * s.step) / s.totalSteps) : 0;
            progress.report({
              increment: pct > lastPct ? pct - lastPct : undefined,
              message:
                s.status === 'starting'
                  ? 'starting the trainer…'
                  : s.status === 'stopping'
                    ? 'stopping: saving a checkpoint…'
                    : progressText({
                        step: s.step,
                        totalSteps: s.totalSteps,
                        rate: s.stepsPerSec,
                        eta: s.etaSec,
                        backend: s.backend,
                        paused: s.status === 'paused',
                      }),
            });
            lastPct = Math.max(lastPct, pct);
          };
          report();
          // Throttle: metrics can arrive many times a second.
          const timer = setInterval(report, 1000);
          const cancel = token.onCancellationRequested(() => void this.stop(s));
          const done = s.onDidEnd(() => {
            clearInterval(timer);
            cancel.dispose();
            done.dispose();
            resolve();
          });
        }),
    );
  }

  private onEnded(s: TrainingSession, end: SessionEnd): void {
    this.log.line(
      s.name,
      `${end.status} at step ${s.step}${end.message ? `: ${end.message}` : ''}`,
      end.status === 'failed' ? 'error' : 'info',
    );
    if (end.status === 'failed') {
      for (const l of end.stderrTail) this.log.line(s.name, l, 'error');
      const canResume = fs.existsSync(runPaths(s.runDir).latest);
      const actions = canResume ? ['Show Log', 'Resume'] : ['Show Log'];
      void vscode.window
        .showErrorMessage(`Training "${s.name}" failed: ${end.message ?? 'unknown error'}`, ...actions)
        .then((c) => {
          if (c === 'Show Log') this.log.show(false);
          if (c === 'Resume') this.hooks.resume(s.runDir);
        });
    } else if (end.status === 'finished') {
      void vscode.window
        .showInformationMessage(`Training "${s.name}" finished (${s.step} steps).`, 'Open Dashboard')
        .then((c) => {
          if (c) void vscode.commands.executeCommand('ganStudio.openDashboard', s.runDir);
        });
    } else {
      void vscode.window.showInformationMessage(
        `Training "${s.name}" stopped at step ${s.step}; the checkpoint can be resumed.`,
      );
    }
    this.changed();
  }

  private changed(): void {
    this.updateContext();
    this._onDidChangeSessions.fire();
  }

  private updateContext(): void {
    const live = this.live();
    void vscode.commands.executeCommand('setContext', CONTEXT.isTraining, live.length > 0);
    void vscode.commands.executeCommand(
      'setContext',
      CONTEXT.canPause,
      live.some((s) => s.status === 'running'),
    );
    void vscode.commands.executeCommand(
      'setContext',
      CONTEXT.canResume,
      live.some((s) => s.status === 'paused'),
    );
  }

  override dispose(): void {
    for (const s of this.sessions.values()) s.dispose();
    this.sessions.clear();
    super.dispose();
  }
}
