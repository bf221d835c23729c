// One training run driven from the host: owns its TrainerProcess, tracks status, speed and
// the recent metrics, and turns child events into a few coarse change events for the UI.
// No `vscode` import: the VS Code-facing parts (notifications, context keys) live in manager.ts.
import { Disposable } from '../util/dispose';
import { Emitter } from '../util/emitter';
import { RingBuffer } from '../../shared/ringBuffer';
import type { ActiveBackend } from '../../shared/backends';
import type { LogLevel, StartOptions, TrainerEvent } from '../../shared/trainerProtocol';
import type { MetricPoint, RunInfo, RunStatus } from '../../shared/webviewProtocol';
import { TrainerProcess, type ExitInfo, type TrainerProcessOptions } from './trainerProcess';
import { RateEstimator, etaSeconds, stepsPerSecond } from './progressMath';

export interface SessionOptions {
  /** What makes two sessions "the same run": the config path (or the run dir when resuming). */
  key: string;
  name: string;
  start: StartOptions & { runDir: string };
  process: Omit<TrainerProcessOptions, 'runDir'>;
  /** How many recent points to keep for views that (re)attach. */
  historySize?: number;
}

export interface SessionEnd {
  status: 'finished' | 'stopped' | 'failed';
  message?: string;
  stderrTail: string[];
}

export type SessionChange = 'status' | 'points' | 'sample' | 'checkpoint';

export class TrainingSession extends Disposable {
  private readonly _onDidChange = this._register(new Emitter<SessionChange>());
  private readonly _onLog = this._register(new Emitter<{ line: string; level: LogLevel }>());
  private readonly _onDidEnd = this._register(new Emitter<SessionEnd>());
  readonly onDidChange = this._onDidChange.event;
  readonly onLog = this._onLog.event;
  readonly onDidEnd = this._onDidEnd.event;

  readonly key: string;
  readonly name: string;
  readonly runDir: string;
  readonly configPath: string;
  status: RunStatus = 'starting';
  step = 0;
  totalSteps = 0;
  /** The backend the trainer runs on (from `started`: never `auto`); unknown until then. */
  backend: ActiveBackend | undefined;
  config: unknown;
  message: string | undefined;
  stepsPerSec: number | undefined;
  etaSec: number | undefined;
  lastMsPerStep: number | undefined;
  readonly points: RingBuffer<MetricPoint>;
  readonly samples: { step: number; path: string }[] = [];
  readonly checkpoints: { step: number; path: string }[] = [];
  readonly startedAt = Date.now();

  private readonly proc: TrainerProcess;
  private readonly rate = new RateEstimator();
  private ended: SessionEnd | undefined;
  private failure: string | undefined;

  constructor(private readonly opts: SessionOptions) {
    super();
    this.key = opts.key;
    this.name = opts.name;
    this.runDir = opts.start.runDir;
    this.configPath = opts.start.configPath;
    this.points = new RingBuffer(opts.historySize ?? 2000);
    this.proc = this._register(new TrainerProcess({ ...opts.process, runDir: this.runDir }));
    this._register(this.proc.onEvent((e) => this.onEvent(e)));
    this._register(
      this.proc.onOutput(({ line, stream }) =>
        this._onLog.fire({ line, level: stream === 'stderr' ? 'warn' : 'info' }),
      ),
    );
    this._register(
      this.proc.onInvalidMessage((m) => {
        this._onLog.fire({ line: `ignored a malformed trainer message: ${safePreview(m)}`, level: 'warn' });
      }),
    );
    this._register(this.proc.onExit((info) => this.onExit(info)));
  }

  get isLive(): boolean {
    return this.ended === undefined;
  }
  get endInfo(): SessionEnd | undefined {
    return this.ended;
  }
  get pid(): number | undefined {
    return this.proc.pid;
  }

  info(): RunInfo {
    return {
      runDir: this.runDir,
      name: this.name,
      status: this.status,
      step: this.step,
      totalSteps: this.totalSteps,
      live: this.isLive,
      backend: this.backend,
      stepsPerSec: this.stepsPerSec,
      etaSec: this.etaSec,
      message: this.message,
    };
  }

  async start(): Promise<void> {
    await this.proc.spawn();
    await this.proc.request({ type: 'start', options: this.opts.start });
  }

  async pause(): Promise<void> {
    if (this.status !== 'running') return;
    await this.proc.request({ type: 'pause' });
    this.setPaused(true);
  }

  async resume(): Promise<void> {
    if (this.status !== 'paused') return;
    await this.proc.request({ type: 'resume' });
    this.setPaused(false);
  }

  async sampleNow(): Promise<void> {
    if (this.status === 'running' || this.status === 'paused') await this.proc.request({ type: 'sample-now' });
  }

  /**
   * Stop = the trainer writes a checkpoint and exits. Waits up to `graceMs` for that, then kills
   * (the previous `latest` checkpoint survives a kill: checkpoints are written then renamed).
   */
  async stop(graceMs = 120_000): Promise<SessionEnd | undefined> {
    if (!this.isLive) return this.ended;
    if (this.status !== 'stopping') {
      this.status = 'stopping';
      this._onDidChange.fire('status');
      try {
        await this.proc.request({ type: 'stop' }, Math.min(graceMs, 15_000));
      } catch {
        // Not answering: the timeout below decides.
      }
    }
    const timer = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), graceMs).unref());
    if ((await Promise.race([this.proc.waitForExit(), timer])) === 'timeout') {
      this._onLog.fire({ line: `trainer did not stop within ${graceMs / 1000} s: killing it`, level: 'warn' });
      this.proc.kill();
      await this.proc.waitForExit();
    }
    return this.ended;
  }

  /** Disposes this session; a still-running trainer is released (it checkpoints and exits), not killed. */
  override dispose(): void {
    if (this.isLive) this.proc.release();
    super.dispose();
  }

  /** Sends stop and returns at once: used on deactivate, where the child finishes on its own. */
  requestStop(): void {
    if (!this.isLive || !this.proc.isRunning) return;
    this.status = 'stopping';
    this.proc.request({ type: 'stop' }, 5000).catch(() => undefined);
  }

  private setPaused(paused: boolean): void {
    const next: RunStatus = paused ? 'paused' : 'running';
    if (this.status === next || !this.isLive || this.status === 'stopping') return;
    this.status = next;
    this.rate.reset();
    if (paused) this.etaSec = undefined;
    this._onDidChange.fire('status');
  }

  private onEvent(e: TrainerEvent): void {
    switch (e.type) {
      case 'started':
        this.status = 'running';
        this.backend = e.backend;
        this.step = e.step;
        this.totalSteps = e.totalSteps;
        this.config = e.config;
        this.rate.reset();
        this.rate.add(e.step, Date.now());
        this._onDidChange.fire('status');
        break;
      case 'metrics': {
        const r = e.record;
        this.step = Math.max(this.step, r.step);
        this.lastMsPerStep = r.msPerStep;
        this.rate.add(r.step, Date.now());
        this.stepsPerSec = stepsPerSecond(this.rate.rate(), r.msPerStep);
        this.etaSec = etaSeconds(this.step, this.totalSteps, this.stepsPerSec);
        this.points.push({
          step: r.step,
          losses: r.losses,
          dReal: r.dReal,
          dFake: r.dFake,
          msPerStep: r.msPerStep,
          ...(r.scores ? { scores: r.scores } : {}),
        });
        this._onDidChange.fire('points');
        this._onDidChange.fire('status');
        break;
      }
      case 'sample':
        this.samples.push({ step: e.step, path: e.path });
        this._onDidChange.fire('sample');
        break;
      case 'checkpoint':
        this.checkpoints.push({ step: e.step, path: e.path });
        this._onDidChange.fire('checkpoint');
        break;
      case 'log':
        this._onLog.fire({ line: e.line, level: e.level });
        // Training warnings (D loss ≈ 0, mode collapse, skipped files) stay on the views.
        if (e.level === 'warn' && this.isLive) {
          this.message = `warning: ${e.line}`;
          this._onDidChange.fire('status');
        }
        break;
      case 'state':
        this.setPaused(e.paused);
        break;
      case 'finished':
        this.step = Math.max(this.step, e.step);
        this.ended = { status: e.status, stderrTail: [] };
        break;
      case 'failed':
        this.failure = e.message;
        if (e.stack) this._onLog.fire({ line: e.stack, level: 'error' });
        break;
      case 'response':
        break;
    }
  }

  private onExit(info: ExitInfo): void {
    // `finished` arrived first on a clean end; anything else is a crash or a kill.
    let end: SessionEnd;
    if (this.ended && !this.failure) {
      end = { ...this.ended, stderrTail: info.stderrTail };
    } else {
      const how = info.signal ? `killed by ${info.signal}` : `exited with code ${info.code}`;
      const lastErr = info.stderrTail.filter((l) => l.trim()).pop();
      const message = this.failure ?? (lastErr ? `${lastErr} (trainer ${how})` : `trainer ${how}`);
      // A stop that had to be killed still leaves the previous checkpoint: report it as stopped.
      end =
        this.status === 'stopping' && !this.failure
          ? { status: 'stopped', message, stderrTail: info.stderrTail }
          : { status: 'failed', message, stderrTail: info.stderrTail };
    }
    this.ended = end;
    this.status = end.status;
    this.message = end.message ?? this.message; // a clean end keeps the last warning
    this.etaSec = undefined;
    this._onDidChange.fire('status');
    this._onDidEnd.fire(end);
  }
}

function safePreview(m: unknown): string {
  try {
    return JSON.stringify(m)?.slice(0, 200) ?? String(m);
  } catch {
    return String(m);
  }
}
