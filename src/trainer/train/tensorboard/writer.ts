// A run's TensorBoard events file, <run>/tb/events.out.tfevents.<unix-seconds>.<hostname>:
// every metrics record as scalars and every sample grid as an image, so
// `tensorboard --logdir runs` shows the runs. Each start of the trainer (a new run or a resume)
// opens a new file; older files are never rewritten. Events are queued and written out at
// flush() (each logged step, each grid) and close(). TensorBoard is a convenience: the first
// failure to write is reported once through `warn` and the writer goes quiet, training goes on.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { MetricsRecord } from '../../../shared/runDir';
import { describeFsError } from '../checkpoint';
import { encodeEvent, type EventMessage, type SummaryValue } from './proto';
import { frameRecord } from './records';

export const FILE_VERSION = 'brain.Event:2';

/** The tag the sample grids are shown under. */
export const SAMPLES_TAG = 'samples';

/** `events.out.tfevents.<seconds>.<host>`, with `.<n>` added if a file of that second exists already. */
function newEventsFile(dir: string, seconds: number): { file: string; fd: number } {
  const base = path.join(dir, `events.out.tfevents.${seconds}.${os.hostname()}`);
  for (let n = 1; ; n++) {
    const file = n === 1 ? base : `${base}.${n}`;
    try {
      return { file, fd: fs.openSync(file, 'wx') };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST' || n >= 100) throw e;
    }
  }
}

/** Every number of a metrics line, by the name it has there (the losses by their own names). */
export function metricScalars(r: MetricsRecord): SummaryValue[] {
  const named: Record<string, unknown> = {
    ...r.losses,
    ...r.scores,
    epoch: r.epoch,
    msPerStep: r.msPerStep,
    dReal: r.dReal,
    dFake: r.dFake,
    lr: r.lr,
    numTensors: r.numTensors,
    rssMB: r.rssMB,
  };
  return (
    Object.entries(named)
      .filter((e): e is [string, number] => typeof e[1] === 'number' || e[1] === null)
      // metrics.jsonl keeps a NaN loss as null; TensorBoard gets the NaN.
      .map(([tag, value]) => ({ tag, value: value ?? NaN }))
  );
}

/** Width, height and TensorBoard colorspace from a PNG's header. */
export function pngInfo(png: Uint8Array): { width: number; height: number; colorspace: number } {
  const b = Buffer.from(png.buffer, png.byteOffset, png.byteLength);
  if (b.length < 26 || b.toString('latin1', 12, 16) !== 'IHDR') throw new Error('not a PNG');
  // PNG colour type -> channels: 0 grey, 2 RGB, 3 palette (RGB), 4 grey+alpha, 6 RGBA.
  const colorspace = ({ 0: 1, 2: 3, 3: 3, 4: 2, 6: 4 } as Record<number, number>)[b[25]] ?? 3;
  return { width: b.readUInt32BE(16), height: b.readUInt32BE(20), colorspace };
}

export class TensorBoardWriter {
  private pending: Buffer[] = [];
  private failed = false;

  private constructor(
    private fd: number | undefined,
    readonly file: string,
    private readonly warn: (line: string) => void,
  ) {}

  /** Creates `dir` and a new events file in it, its file_version event written at once. */
  static open(dir: string, warn: (line: string) => void, now = Date.now()): TensorBoardWriter {
    let w: TensorBoardWriter;
    try {
      fs.mkdirSync(dir, { recursive: true });
      const { file, fd } = newEventsFile(dir, Math.floor(now / 1000));
      w = new TensorBoardWriter(fd, file, warn);
    } catch (e) {
      w = new TensorBoardWriter(undefined, dir, warn);
      w.fail(e);
      return w;
    }
    w.add({ wallTime: now / 1000, step: 0, fileVersion: FILE_VERSION });
    w.flush();
    return w;
  }

  /**
   * A resumed run restarts at `step`: steps an earlier file logged past the checkpoint (a run
   * killed between checkpoints) are retrained, so TensorBoard is told to drop its old copies.
   */
  restartAt(step: number): void {
    this.add({ wallTime: Date.now() / 1000, step, sessionStart: true });
    this.flush();
  }

  /** One event with every number of a metrics line, at its step and time. */
  metrics(r: MetricsRecord): void {
    const t = Date.parse(r.time);
    this.add({ wallTime: (Number.isFinite(t) ? t : Date.now()) / 1000, step: r.step, summary: metricScalars(r) });
  }

  /** A sample grid (PNG bytes) at `step`. */
  image(step: number, png: Uint8Array, tag = SAMPLES_TAG): void {
    if (this.failed) return;
    try {
      this.add({ wallTime: Date.now() / 1000, step, summary: [{ tag, image: { ...pngInfo(png), png } }] });
    } catch (e) {
      this.fail(e);
    }
  }

  /** A sample grid already written to `file`. */
  imageFile(step: number, file: string): void {
    if (this.failed) return;
    try {
      this.image(step, fs.readFileSync(file));
    } catch (e) {
      this.fail(e);
    }
  }

  /** Writes what is queued. */
  flush(): void {
    if (this.failed || this.fd === undefined || !this.pending.length) return;
    const data = Buffer.concat(this.pending);
    this.pending = [];
    try {
      for (let off = 0; off < data.length;) off += fs.writeSync(this.fd, data, off);
    } catch (e) {
      this.fail(e);
    }
  }

  close(): void {
    this.flush();
    if (this.fd === undefined) return;
    try {
      fs.closeSync(this.fd);
    } catch {
      /* nothing left to save */
    }
    this.fd = undefined;
  }

  private add(e: EventMessage): void {
    if (!this.failed) this.pending.push(frameRecord(encodeEvent(e)));
  }

  private fail(e: unknown): void {
    if (this.failed) return;
    this.failed = true;
    this.pending = [];
    const err = e as NodeJS.ErrnoException;
    const why = err && typeof err.code === 'string' ? describeFsError(err) : String((e as Error)?.message ?? e);
    this.warn(`cannot write TensorBoard events (${path.basename(this.file)}): ${why}; training goes on without them`);
  }
}
