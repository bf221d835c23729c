// First come, first served: one inference job runs at a time (it uses every core), later
// requests wait in order and are never dropped. Cancelling a waiting job just removes it;
// cancelling the running one aborts it through its signal and waits for the runner to say it
// stopped (so "cancelled" means "nothing was written"). Pure: unit-tested.

export type Outcome<R> =
  | { status: 'done'; result: R }
  | { status: 'cancelled' }
  | { status: 'failed'; error: string; kind: 'input' | 'internal' };

export interface JobControl {
  signal: AbortSignal;
  progress(done: number, total: number): void;
}

/** Runs one job; resolves with its outcome (a throw counts as an internal failure). */
export type Runner<J, R> = (job: J, ctl: JobControl) => Promise<Outcome<R>>;

export interface JobListener {
  /** The job left the queue and started. */
  onStart?(): void;
  onProgress?(done: number, total: number): void;
  /** Jobs ahead of this one changed (0 = it runs now). */
  onPosition?(ahead: number): void;
}

export interface JobHandle<R> {
  readonly id: number;
  readonly result: Promise<Outcome<R>>;
  cancel(): void;
}

interface Entry<J, R> {
  id: number;
  job: J;
  listener: JobListener;
  abort: AbortController;
  resolve(o: Outcome<R>): void;
}

export class JobQueue<J, R> {
  private readonly waiting: Entry<J, R>[] = [];
  private running: Entry<J, R> | undefined;
  private nextId = 1;
  private idleListeners: (() => void)[] = [];

  constructor(private readonly runner: Runner<J, R>) {}

  /** Jobs waiting plus the one running. */
  get size(): number {
    return this.waiting.length + (this.running ? 1 : 0);
  }

  get isBusy(): boolean {
    return !!this.running;
  }

  /** Called whenever the queue becomes empty. */
  onIdle(fn: () => void): void {
    this.idleListeners.push(fn);
  }

  enqueue(job: J, listener: JobListener = {}): JobHandle<R> {
    let resolve!: (o: Outcome<R>) => void;
    const result = new Promise<Outcome<R>>((r) => (resolve = r));
    const entry: Entry<J, R> = { id: this.nextId++, job, listener, abort: new AbortController(), resolve };
    this.waiting.push(entry);
    listener.onPosition?.(this.waiting.length - 1 + (this.running ? 1 : 0));
    this.pump();
    return { id: entry.id, result, cancel: () => this.cancel(entry) };
  }

  /** Cancels every job, waiting and running. */
  cancelAll(): void {
    for (const e of [...this.waiting]) this.cancel(e);
    if (this.running) this.cancel(this.running);
  }

  private cancel(e: Entry<J, R>): void {
    const i = this.waiting.indexOf(e);
    if (i >= 0) {
      this.waiting.splice(i, 1);
      e.resolve({ status: 'cancelled' });
      this.positions();
      if (!this.size) this.idle();
    } else if (this.running === e) {
      e.abort.abort();
    }
  }

  private pump(): void {
    if (this.running || !this.waiting.length) return;
    const e = this.waiting.shift() as Entry<J, R>;
    this.running = e;
    this.positions();
    e.listener.onPosition?.(0);
    e.listener.onStart?.();
    const ctl: JobControl = { signal: e.abort.signal, progress: (d, t) => e.listener.onProgress?.(d, t) };
    let p: Promise<Outcome<R>>;
    try {
      p = this.runner(e.job, ctl);
    } catch (err) {
      p = Promise.reject(err);
    }
    void p
      .catch((err: unknown): Outcome<R> => ({
        status: 'failed',
        error: err instanceof Error ? err.message : String(err),
        kind: 'internal',
      }))
      .then((o) => {
        this.running = undefined;
        // A job aborted after it had already finished still counts as done: its file exists.
        e.resolve(o);
        if (this.waiting.length) this.pump();
        else this.idle();
      });
  }

  private positions(): void {
    const base = this.running ? 1 : 0;
    this.waiting.forEach((w, i) => w.listener.onPosition?.(base + i));
  }

  private idle(): void {
    for (const fn of this.idleListeners) fn();
  }
}
