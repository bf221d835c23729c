// The host's end of the inference child: forks the trainer bundle in inference mode, sends
// `run`/`cancel`, validates every event (results may only name the file the job asked for)
// and routes progress to the job it belongs to. No `vscode` import: unit-tested under node.
import { fork, type ChildProcess } from 'node:child_process';
import {
  parseInferEvent, type InferEvent, type InferJob, type InferResult, type RunOptions,
} from '../../shared/inferProtocol';

export interface InferProcessOptions {
  script: string;
  execPath?: string;
  env?: NodeJS.ProcessEnv;
  onLog?(line: string, level: 'info' | 'warn' | 'error'): void;
}

export type JobResponse =
  | { ok: true; result?: InferResult }
  | { ok: false; cancelled: boolean; error: string; kind: 'input' | 'internal' };

interface Pending {
  output: string;
  onProgress(done: number, total: number): void;
  resolve(r: JobResponse): void;
}

export class InferProcess {
  private child: ChildProcess | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly stderrTail: string[] = [];
  private exitListeners: ((why: string) => void)[] = [];

  constructor(private readonly opts: InferProcessOptions) {}

  get isRunning(): boolean {
    return !!this.child && this.child.exitCode === null && this.child.signalCode === null && this.child.connected;
  }

  onExit(fn: (why: string) => void): void {
    this.exitListeners.push(fn);
  }

  start(): void {
    if (this.child) throw new Error('inference child already started');
    const child = fork(this.opts.script, [], {
      execPath: this.opts.execPath,
      execArgv: [],
      env: { ...process.env, ...this.opts.env, ELECTRON_RUN_AS_NODE: '1', GAN_STUDIO_INFER: '1' },
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      serialization: 'json',
    });
    this.child = child;
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (s: string) => {
      this.stderrTail.push(...s.split(/\r?\n/).filter(Boolean));
      this.stderrTail.splice(0, Math.max(0, this.stderrTail.length - 20));
    });
    child.on('message', (m) => this.onMessage(m));
    child.on('error', (e) => this.failAll(`could not start the inference process: ${e.message}`));
    let ended = false;
    const end = (code: number | null, signal: NodeJS.Signals | null) => {
      if (ended) return;
      ended = true;
      const tail = this.stderrTail.length ? `: ${this.stderrTail.slice(-3).join(' | ')}` : '';
      const why = `the inference process stopped (${signal ?? `code ${code}`})${tail}`;
      this.failAll(why);
      for (const l of this.exitListeners) l(why);
    };
    // 'close' (stderr drained) normally; after a disconnect Node may emit only 'exit', so that
    // one ends it too, a moment later for the last stderr lines.
    child.once('close', end);
    child.once('exit', (code, signal) => setTimeout(() => end(code, signal), 100));
  }

  /** Sends a job; resolves with its one response (or a failure if the child dies first). */
  run(job: InferJob, options: RunOptions, onProgress: (done: number, total: number) => void): { id: number; done: Promise<JobResponse> } {
    const id = this.nextId++;
    const done = new Promise<JobResponse>((resolve) => {
      if (!this.child || !this.isRunning) {
        resolve({ ok: false, cancelled: false, error: 'the inference process is not running', kind: 'internal' });
        return;
      }
      this.pending.set(id, { output: job.output, onProgress, resolve });
      this.child.send({ type: 'run', id, job, options }, (err) => {
        if (err) this.settle(id, { ok: false, cancelled: false, error: err.message, kind: 'internal' });
      });
    });
    return { id, done };
  }

  cancel(id: number): void {
    if (this.isRunning && this.pending.has(id)) this.child?.send({ type: 'cancel', id: this.nextId++, target: id });
  }

  kill(): void {
    if (this.child && this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
  }

  /**
   * Stops the child. With a job running, closing the channel makes the child cancel it (the
   * engine removes its partial file) and exit by itself; a kill follows only if it does not.
   */
  stop(graceMs = 5000): void {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    if (!this.pending.size || !child.connected) return this.kill();
    child.disconnect();
    setTimeout(() => this.kill(), graceMs).unref();
  }

  private onMessage(m: unknown): void {
    const e: InferEvent | undefined = parseInferEvent(m, (id) => this.pending.get(id)?.output);
    if (!e) {
      this.opts.onLog?.('ignored an invalid message from the inference process', 'warn');
      return;
    }
    if (e.type === 'log') this.opts.onLog?.(e.line, e.level);
    else if (e.type === 'progress') this.pending.get(e.id)?.onProgress(e.done, e.total);
    else if (e.ok) this.settle(e.id, { ok: true, result: e.result });
    else this.settle(e.id, { ok: false, cancelled: e.cancelled, error: e.error, kind: e.kind });
  }

  private settle(id: number, r: JobResponse): void {
    const p = this.pending.get(id);
    if (!p) return;
    this.pending.delete(id);
    p.resolve(r);
  }

  private failAll(error: string): void {
    for (const id of [...this.pending.keys()]) this.settle(id, { ok: false, cancelled: false, error, kind: 'internal' });
  }
}
