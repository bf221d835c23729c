// The host's end of one forked child that speaks a typed protocol (the trainer, the inference
// process): start-up, request ids and their answers, validation of every message, the last
// lines of stderr for error messages, exit handling and disposal, written once. A subclass
// names its protocol (src/shared/*Protocol.ts), validates with its parser and adds its typed
// methods. No `vscode` import: unit-tested under plain node.
import { fork, type ChildProcess } from 'node:child_process';
import type { EventEmitter } from 'node:events';
import { RingBuffer } from '../../shared/ringBuffer';
import { Disposable, disposeAll, toDisposable, type IDisposable } from '../util/dispose';
import { Emitter } from '../util/emitter';

export interface ChildClientOptions {
  /** Absolute path of the bundled child entry (dist/trainer.js). */
  script: string;
  cwd?: string;
  /** Node (or Electron) binary; default: the host's own, run as plain node. */
  execPath?: string;
  env?: NodeJS.ProcessEnv;
  /** Read stdout as lines (onOutput); otherwise it is discarded. stderr is always read. */
  stdout?: boolean;
  /** How many trailing stderr lines to keep for error messages and crash reports. */
  stderrLines?: number;
}

export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
  stderrTail: string[];
}

export interface OutputLine {
  line: string;
  stream: 'stdout' | 'stderr';
}

/** A request without its id: the id is assigned here. */
export type RequestBody<Req> = Req extends unknown ? Omit<Req, 'id'> : never;
/** Every request is answered by one `response` event carrying its id. */
export type ResponseOf<Ev> = Extract<Ev, { type: 'response'; id: number }>;

interface Pending<Res, C> {
  resolve(r: Res): void;
  reject(e: Error): void;
  timer?: NodeJS.Timeout;
  context: C;
}

/** How long after 'exit' a missing 'close' ends the child anyway. */
const CLOSE_GRACE_MS = 200;

type Listener = Parameters<EventEmitter['on']>[1];

function listen(target: EventEmitter, event: string, fn: Listener): IDisposable {
  target.on(event, fn);
  return toDisposable(() => target.off(event, fn));
}

export abstract class ChildClient<
  Req extends { type: string; id: number },
  Ev extends { type: string },
  C = undefined,
> extends Disposable {
  private readonly _onEvent = this._register(new Emitter<Ev>());
  private readonly _onExit = this._register(new Emitter<ExitInfo>());
  private readonly _onOutput = this._register(new Emitter<OutputLine>());
  private readonly _onInvalid = this._register(new Emitter<unknown>());
  /** Every valid message that is not a response. */
  readonly onEvent = this._onEvent.event;
  readonly onExit = this._onExit.event;
  readonly onOutput = this._onOutput.event;
  /** A message that failed validation (otherwise ignored). */
  readonly onInvalidMessage = this._onInvalid.event;

  private child: ChildProcess | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, Pending<ResponseOf<Ev>, C>>();
  private readonly stderrTail: RingBuffer<string>;
  /** Listeners on the child: messages and output go on disposal, exit ones when it has ended. */
  private readonly ioListeners: IDisposable[] = [];
  private readonly exitListeners: IDisposable[] = [];
  private exited: Promise<ExitInfo> | undefined;
  private released = false;

  /** `name` starts the error messages: "trainer is not running". */
  protected constructor(
    protected readonly name: string,
    private readonly opts: ChildClientOptions,
  ) {
    super();
    this.stderrTail = new RingBuffer(opts.stderrLines ?? 40);
  }

  /** Validates one message from the child; undefined for anything malformed. */
  protected abstract parse(m: unknown): Ev | undefined;

  get pid(): number | undefined {
    return this.child?.pid;
  }
  /** The process exists (it may have closed its channel and be finishing on its own). */
  get isAlive(): boolean {
    return !!this.child && this.child.exitCode === null && this.child.signalCode === null;
  }
  /** Alive with its channel open: it takes requests. */
  get isConnected(): boolean {
    return this.isAlive && !!this.child?.connected;
  }

  /** Forks the child; resolves once it runs. Events and the exit arrive through the emitters. */
  spawn(): Promise<void> {
    if (this.child) throw new Error(`${this.name} already started`);
    const child = fork(this.opts.script, [], {
      cwd: this.opts.cwd,
      execPath: this.opts.execPath,
      // Never inherit the extension host's --inspect flags: the port would clash.
      execArgv: [],
      env: { ...process.env, ...this.opts.env, ELECTRON_RUN_AS_NODE: '1' },
      stdio: ['ignore', this.opts.stdout ? 'pipe' : 'ignore', 'pipe', 'ipc'],
      serialization: 'json',
    });
    this.child = child;
    // An 'error' nobody listens to would throw in the extension host: this listener stays.
    child.on('error', () => undefined);
    this.readOutput(child.stdout, 'stdout');
    this.readOutput(child.stderr, 'stderr');
    this.ioListeners.push(listen(child, 'message', (m: unknown) => this.onMessage(m)));
    this.exited = new Promise((resolve) => {
      let grace: NodeJS.Timeout | undefined;
      const end = (code: number | null, signal: NodeJS.Signals | null) => {
        if (!this.exitListeners.length) return;
        clearTimeout(grace);
        disposeAll(this.exitListeners);
        disposeAll(this.ioListeners);
        const info: ExitInfo = { code, signal, stderrTail: this.stderrTail.toArray() };
        this.failAll(new Error(`${this.name} stopped (${signal ?? `code ${code}`})${this.tailText()}`));
        resolve(info);
        this._onExit.fire(info);
      };
      // 'close' normally: stderr is drained by then, so the tail is complete. After a disconnect
      // Node may emit only 'exit': that one ends it too, a moment later for the last lines.
      this.exitListeners.push(
        listen(child, 'close', end),
        listen(child, 'exit', (code: number | null, signal: NodeJS.Signals | null) => {
          grace = setTimeout(() => end(code, signal), CLOSE_GRACE_MS);
        }),
      );
    });
    return new Promise((resolve, reject) => {
      const failed = (err: Error) => {
        reject(err);
        this.failAll(new Error(`could not start ${this.name}: ${err.message}`));
      };
      child.once('error', failed);
      child.once('spawn', () => {
        child.off('error', failed);
        resolve();
      });
    });
  }

  /** Resolves with the exit info once the child is gone (at once if it never started). */
  waitForExit(): Promise<ExitInfo> {
    return this.exited ?? Promise.resolve({ code: null, signal: null, stderrTail: [] });
  }

  /**
   * Sends a request; `response` settles with its answer, or rejects on timeout, a failed send,
   * the child's exit (with the last stderr lines) or disposal. `context` stays with the request
   * until then (contextOf).
   */
  protected call(
    body: RequestBody<Req>,
    opts: { timeoutMs?: number; context?: C } = {},
  ): { id: number; response: Promise<ResponseOf<Ev>> } {
    const id = this.nextId++;
    const response = new Promise<ResponseOf<Ev>>((resolve, reject) => {
      const child = this.child;
      if (!child || !this.isConnected) return reject(new Error(`${this.name} is not running`));
      const p: Pending<ResponseOf<Ev>, C> = { resolve, reject, context: opts.context as C };
      const ms = opts.timeoutMs;
      if (ms !== undefined) {
        p.timer = setTimeout(
          () =>
            this.take(id)?.reject(
              new Error(`${this.name} did not answer "${body.type}" within ${Math.round(ms / 1000)} s`),
            ),
          ms,
        );
      }
      this.pending.set(id, p);
      child.send({ ...body, id }, (err) => {
        if (err) this.take(id)?.reject(err);
      });
    });
    return { id, response };
  }

  /** Sends a message no response answers (it still gets an id of its own). */
  protected notify(body: RequestBody<Req>): void {
    if (this.isConnected) this.child?.send({ ...body, id: this.nextId++ });
  }

  protected contextOf(id: number): C | undefined {
    return this.pending.get(id)?.context;
  }
  protected get pendingCount(): number {
    return this.pending.size;
  }

  /** Hard stop: no checkpoint, no clean-up in the child. */
  kill(signal: NodeJS.Signals = 'SIGKILL'): void {
    if (this.isAlive) this.child?.kill(signal);
  }

  /** Closes the channel: the child finishes what it is doing (cancels, checkpoints) and exits by itself. */
  disconnect(): void {
    if (this.isConnected) this.child?.disconnect();
  }

  /** Lets go of the child without killing it (it exits by itself, see disconnect); used when the window closes. */
  release(): void {
    const child = this.child;
    if (!child || !this.isAlive) return;
    this.released = true;
    child.stdout?.destroy();
    child.stderr?.destroy();
    this.disconnect();
    child.unref();
  }

  /** Kills the child unless it was released; pending requests reject; listeners come off. */
  override dispose(): void {
    if (this.isDisposed) return;
    if (!this.released) this.kill();
    this.failAll(new Error(`${this.name} disposed`));
    disposeAll(this.ioListeners);
    super.dispose();
  }

  private onMessage(m: unknown): void {
    const e = this.parse(m);
    if (!e) this._onInvalid.fire(m);
    else if (isResponse(e)) this.take(e.id)?.resolve(e);
    else this._onEvent.fire(e);
  }

  /** Removes a pending request (and its timer) and returns it to be settled. */
  private take(id: number): Pending<ResponseOf<Ev>, C> | undefined {
    const p = this.pending.get(id);
    if (!p) return undefined;
    clearTimeout(p.timer);
    this.pending.delete(id);
    return p;
  }

  private failAll(err: Error): void {
    for (const id of [...this.pending.keys()]) this.take(id)?.reject(err);
  }

  private tailText(): string {
    const last = this.stderrTail
      .toArray()
      .filter((l) => l.trim())
      .slice(-3);
    return last.length ? `: ${last.join(' | ')}` : '';
  }

  private readOutput(stream: NodeJS.ReadableStream | null, name: OutputLine['stream']): void {
    if (!stream) return;
    this.ioListeners.push(
      readLines(stream, (line) => {
        if (name === 'stderr') this.stderrTail.push(line);
        this._onOutput.fire({ line, stream: name });
      }),
    );
  }
}

/** Calls `onLine` for every line of a text stream (and its unterminated last one). */
function readLines(stream: NodeJS.ReadableStream, onLine: (line: string) => void): IDisposable {
  let buf = '';
  stream.setEncoding('utf8');
  const subs = [
    listen(stream, 'data', (chunk: string) => {
      buf += chunk;
      // Bound the partial line: a child printing megabytes without newlines must not grow this.
      if (buf.length > 256 * 1024) buf = buf.slice(-64 * 1024);
      const lines = buf.split(/\r?\n/);
      buf = lines.pop() ?? '';
      for (const line of lines) onLine(line);
    }),
    listen(stream, 'end', () => {
      if (buf) onLine(buf);
      buf = '';
    }),
  ];
  return toDisposable(() => disposeAll(subs));
}

function isResponse<Ev extends { type: string }>(e: Ev): e is ResponseOf<Ev> {
  return e.type === 'response' && typeof (e as { id?: unknown }).id === 'number';
}
