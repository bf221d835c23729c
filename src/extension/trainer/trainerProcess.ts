// The host's end of one trainer child process: forks dist/trainer.js, sends typed requests
// (each answered by one `response` with the same id), validates every event, and keeps the
// last lines of stderr for crash reports. No `vscode` import: unit-tested under plain node.
import { fork, type ChildProcess } from 'node:child_process';
import { Disposable } from '../util/dispose';
import { Emitter } from '../util/emitter';
import {
  parseTrainerEvent, type TrainerEvent, type TrainerRequest, type ProbeResult,
} from '../../shared/trainerProtocol';

export interface TrainerProcessOptions {
  /** Absolute path of the bundled child entry (dist/trainer.js). */
  script: string;
  cwd?: string;
  /** Node (or Electron) binary; default: the host's own, run as plain node. */
  execPath?: string;
  /** The run directory the child will announce; sample/checkpoint paths must lie inside it. */
  runDir?: string;
  env?: NodeJS.ProcessEnv;
  /** How many trailing stderr lines to keep for crash reports. */
  stderrLines?: number;
}

export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
  stderrTail: string[];
}

type Response = Extract<TrainerEvent, { type: 'response' }>;
type Pending = { resolve: (r: Response) => void; reject: (e: Error) => void; timer: NodeJS.Timeout };
/** Request without its id: the id is assigned here. */
export type RequestBody = TrainerRequest extends infer R ? (R extends TrainerRequest ? Omit<R, 'id'> : never) : never;

export class TrainerProcess extends Disposable {
  private readonly _onEvent = this._register(new Emitter<TrainerEvent>());
  private readonly _onExit = this._register(new Emitter<ExitInfo>());
  private readonly _onOutput = this._register(new Emitter<{ line: string; stream: 'stdout' | 'stderr' }>());
  private readonly _onInvalid = this._register(new Emitter<unknown>());
  readonly onEvent = this._onEvent.event;
  readonly onExit = this._onExit.event;
  readonly onOutput = this._onOutput.event;
  /** A message that failed validation (logged by the caller, otherwise ignored). */
  readonly onInvalidMessage = this._onInvalid.event;

  private child: ChildProcess | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly stderrTail: string[] = [];
  private runDir: string | undefined;
  private exited: Promise<ExitInfo> | undefined;
  private released = false;

  constructor(private readonly opts: TrainerProcessOptions) {
    super();
    this.runDir = opts.runDir;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }
  get isRunning(): boolean {
    return !!this.child && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Forks the child. Resolves once it is spawned; events and exit arrive through the emitters. */
  spawn(): Promise<void> {
    if (this.child) throw new Error('trainer already spawned');
    const env = { ...process.env, ...this.opts.env, ELECTRON_RUN_AS_NODE: '1' };
    const child = fork(this.opts.script, [], {
      cwd: this.opts.cwd,
      execPath: this.opts.execPath,
      // Never inherit the extension host's --inspect flags: the port would clash.
      execArgv: [],
      env,
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      serialization: 'json',
    });
    this.child = child;
    this.pipeLines(child.stdout, 'stdout');
    this.pipeLines(child.stderr, 'stderr');
    child.on('message', (m) => this.onMessage(m));
    this.exited = new Promise((resolve) => {
      // 'close' rather than 'exit': by then stderr is drained, so the crash tail is complete.
      child.once('close', (code, signal) => {
        const info: ExitInfo = { code, signal, stderrTail: [...this.stderrTail] };
        this.rejectAll(new Error(`trainer exited (${signal ?? `code ${code}`})`));
        resolve(info);
        this._onExit.fire(info);
      });
    });
    return new Promise((resolve, reject) => {
      child.once('spawn', () => resolve());
      child.once('error', (err) => {
        reject(err);
      });
    });
  }

  /** Resolves with the exit info once the child is gone (immediately if it already is). */
  waitForExit(): Promise<ExitInfo> {
    return this.exited ?? Promise.resolve({ code: null, signal: null, stderrTail: [] });
  }

  /** Sends a request and resolves with its response; rejects on timeout, exit or `ok: false`. */
  async request(body: RequestBody, timeoutMs = 15_000): Promise<{ probe?: ProbeResult }> {
    const child = this.child;
    if (!child || !this.isRunning || !child.connected) throw new Error('trainer is not running');
    const id = this.nextId++;
    const response = await new Promise<Response>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`trainer did not answer "${body.type}" within ${Math.round(timeoutMs / 1000)} s`));
      }, timeoutMs);
      this.pending.set(id, { resolve, reject, timer });
      child.send({ ...body, id }, (err) => {
        if (err) {
          clearTimeout(timer);
          this.pending.delete(id);
          reject(err);
        }
      });
    });
    if (!response.ok) throw new Error(response.error ?? `trainer refused "${body.type}"`);
    return { probe: response.probe };
  }

  /** Hard stop (no checkpoint): only when a graceful stop timed out or on disposal. */
  kill(signal: NodeJS.Signals = 'SIGKILL'): void {
    if (this.isRunning) this.child?.kill(signal);
  }

  /**
   * Lets go of a running child without killing it: closing the IPC channel makes it save a
   * checkpoint and exit by itself (child.ts, 'disconnect'). Used when the window closes.
   */
  release(): void {
    const child = this.child;
    if (!child || !this.isRunning) return;
    this.released = true;
    child.stdout?.destroy();
    child.stderr?.destroy();
    if (child.connected) child.disconnect();
    child.unref();
  }

  override dispose(): void {
    if (!this.released) this.kill();
    this.rejectAll(new Error('trainer disposed'));
    super.dispose();
  }

  private onMessage(m: unknown): void {
    const event = parseTrainerEvent(m, this.runDir);
    if (!event) {
      this._onInvalid.fire(m);
      return;
    }
    if (event.type === 'started') this.runDir = event.runDir;
    if (event.type === 'response') {
      const p = this.pending.get(event.id);
      if (p) {
        clearTimeout(p.timer);
        this.pending.delete(event.id);
        p.resolve(event);
      }
      return;
    }
    this._onEvent.fire(event);
  }

  private rejectAll(err: Error): void {
    for (const [id, p] of this.pending) {
      clearTimeout(p.timer);
      this.pending.delete(id);
      p.reject(err);
    }
  }

  private pipeLines(stream: NodeJS.ReadableStream | null, name: 'stdout' | 'stderr'): void {
    if (!stream) return;
    let buf = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      buf += chunk;
      // Bound the partial line: a child printing megabytes without newlines must not grow this.
      if (buf.length > 256 * 1024) buf = buf.slice(-64 * 1024);
      const lines = buf.split(/\r?\n/);
      buf = lines.pop() ?? '';
      for (const line of lines) this.emitLine(line, name);
    });
    stream.on('end', () => {
      if (buf) this.emitLine(buf, name);
      buf = '';
    });
  }

  private emitLine(line: string, stream: 'stdout' | 'stderr'): void {
    if (stream === 'stderr') {
      this.stderrTail.push(line);
      const keep = this.opts.stderrLines ?? 40;
      if (this.stderrTail.length > keep) this.stderrTail.splice(0, this.stderrTail.length - keep);
    }
    this._onOutput.fire({ line, stream });
  }
}
