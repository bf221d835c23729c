// The inference service of this window: one queue, one child process started on the first
// job and stopped after a few idle minutes (a loaded model holds memory), restarted after a
// crash or when the backend setting changes. No `vscode` import: unit-tested with a fake child.
import {
  resultKindOf,
  type AnyInferJob,
  type JobResult,
  type ResultOf,
  type RunOptions,
} from '../../shared/inferProtocol';
import { InferProcess, type InferProcessOptions } from './inferProcess';
import { JobQueue, type JobHandle, type JobListener, type Outcome } from './jobQueue';

export interface InferServiceOptions extends InferProcessOptions {
  /** Current backend/threads settings, read when a job starts. */
  runOptions(): RunOptions;
  idleMs?: number;
}

export class InferService {
  private readonly queue: JobQueue<AnyInferJob, JobResult>;
  private proc: InferProcess | undefined;
  private procOptions = '';
  private idleTimer: NodeJS.Timeout | undefined;

  constructor(private readonly opts: InferServiceOptions) {
    this.queue = new JobQueue((job, ctl) => this.runJob(job, ctl.signal, ctl.progress));
    this.queue.onIdle(() => {
      clearTimeout(this.idleTimer);
      this.idleTimer = setTimeout(() => this.stopProcess(), opts.idleMs ?? 3 * 60_000);
      this.idleTimer.unref?.();
    });
  }

  /** Jobs waiting or running. */
  get pending(): number {
    return this.queue.size;
  }

  submit<J extends AnyInferJob>(job: J, listener?: JobListener): JobHandle<ResultOf<J>> {
    clearTimeout(this.idleTimer);
    // runJob checks that the result is of the job's kind, so the narrowing holds.
    return this.queue.enqueue(job, listener) as JobHandle<ResultOf<J>>;
  }

  dispose(): void {
    clearTimeout(this.idleTimer);
    this.queue.cancelAll();
    this.stopProcess();
  }

  private ensureProcess(options: RunOptions): InferProcess {
    const key = JSON.stringify(options);
    if (this.proc?.isRunning && this.procOptions === key) return this.proc;
    // The backend is initialised once per process: a changed setting needs a fresh one.
    this.stopProcess();
    const p = new InferProcess(this.opts);
    // Gone (crashed, stopped or killed): forget it; its listeners go with it.
    p.onExit(() => {
      if (this.proc === p) this.proc = undefined;
      p.dispose();
    });
    p.start();
    this.proc = p;
    this.procOptions = key;
    return p;
  }

  private stopProcess(): void {
    this.proc?.stop();
    this.proc = undefined;
  }

  private async runJob(
    job: AnyInferJob,
    signal: AbortSignal,
    progress: (d: number, t: number) => void,
  ): Promise<Outcome<JobResult>> {
    if (signal.aborted) return { status: 'cancelled' };
    const options = this.opts.runOptions();
    const proc = this.ensureProcess(options);
    const { id, done } = proc.run(job, options, progress);
    const onAbort = () => proc.cancel(id);
    signal.addEventListener('abort', onAbort);
    try {
      const r = await done;
      if (r.ok) {
        const kind = r.result && 'kind' in r.result ? r.result.kind : undefined;
        if (!r.result || kind !== resultKindOf(job))
          return { status: 'failed', error: 'the inference process returned no result', kind: 'internal' };
        return { status: 'done', result: r.result };
      }
      // Aborted and then stopped (the window closing disconnects the child): still a cancel.
      if (r.cancelled || signal.aborted) return { status: 'cancelled' };
      return { status: 'failed', error: r.error, kind: r.kind };
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
  }
}
