// The host's end of the inference child: the trainer bundle in inference mode, speaking the
// inference protocol (src/shared/inferProtocol.ts) over the generic child client. Sends
// `run`/`cancel`, accepts only results naming the file the job asked for and routes progress
// to the job it belongs to. No `vscode` import: unit-tested under node.
import { ChildClient } from '../process/childClient';
import {
  parseInferEvent,
  writeTargetOf,
  type AnyInferJob,
  type InferEvent,
  type InferRequest,
  type JobResult,
  type RunOptions,
} from '../../shared/inferProtocol';

export interface InferProcessOptions {
  script: string;
  execPath?: string;
  env?: NodeJS.ProcessEnv;
  onLog?(line: string, level: 'info' | 'warn' | 'error'): void;
}

export type JobResponse =
  { ok: true; result?: JobResult } | { ok: false; cancelled: boolean; error: string; kind: 'input' | 'internal' };

/** What the client keeps with each running job. */
interface Job {
  /** Where the job may write (`writeTargetOf`; none: a latent job that writes no grid). */
  output?: string;
  onProgress(done: number, total: number): void;
}

export class InferProcess extends ChildClient<InferRequest, InferEvent, Job> {
  constructor(opts: InferProcessOptions) {
    super('the inference process', {
      script: opts.script,
      execPath: opts.execPath,
      env: { ...opts.env, GAN_STUDIO_INFER: '1' },
    });
    this._register(
      this.onEvent((e) => {
        if (e.type === 'log') opts.onLog?.(e.line, e.level);
        else if (e.type === 'progress') this.contextOf(e.id)?.onProgress(e.done, e.total);
      }),
    );
    this._register(
      this.onInvalidMessage(() => opts.onLog?.('ignored an invalid message from the inference process', 'warn')),
    );
  }

  /** Takes jobs: alive with its channel open (a stopping one finishes its job, takes no more). */
  get isRunning(): boolean {
    return this.isConnected;
  }

  /** Forks the child; a failure to start fails the jobs sent meanwhile. */
  start(): void {
    this.spawn().catch(() => undefined);
  }

  /** Sends a job; resolves with its one response (or a failure if the child dies first). */
  run(
    job: AnyInferJob,
    options: RunOptions,
    onProgress: (done: number, total: number) => void,
  ): { id: number; done: Promise<JobResponse> } {
    const { id, response } = this.call(
      { type: 'run', job, options },
      { context: { output: writeTargetOf(job), onProgress } },
    );
    const done = response.then(
      (r): JobResponse =>
        r.ok ? { ok: true, result: r.result } : { ok: false, cancelled: r.cancelled, error: r.error, kind: r.kind },
      (err: Error): JobResponse => ({ ok: false, cancelled: false, error: err.message, kind: 'internal' }),
    );
    return { id, done };
  }

  cancel(id: number): void {
    if (this.contextOf(id)) this.notify({ type: 'cancel', target: id });
  }

  /**
   * Stops the child. With a job running, closing the channel makes the child cancel it (the
   * engine removes its partial file) and exit by itself; a kill follows only if it does not.
   */
  stop(graceMs = 5000): void {
    if (!this.isAlive) return;
    if (!this.pendingCount || !this.isConnected) return this.kill();
    this.disconnect();
    setTimeout(() => this.kill(), graceMs).unref();
  }

  protected parse(m: unknown): InferEvent | undefined {
    return parseInferEvent(m, (id) => this.contextOf(id)?.output);
  }
}
