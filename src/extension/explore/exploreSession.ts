// The explorer's logic between its page and the inference child, without `vscode`: turns the
// page's (validated) requests into latentSamples jobs, drops answers a newer request made stale,
// keeps what each view shows so "Save image" writes exactly those bytes and "Save grid" asks the
// child to write the same images as one PNG. Unit-tested with a fake or forked child.
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  parseExploreWebviewMessage,
  type ExploreGrid,
  type ExploreHostMessage,
  type ExplorePath,
  type ExploreView,
  type ExploreWebviewMessage,
} from '../../shared/exploreProtocol';
import type { LatentSamplesJob, LatentSamplesResult } from '../../shared/inferProtocol';
import { MAX_COUNTER, withCounter } from '../../shared/outputNames';
import { Disposable } from '../util/dispose';
import type { JobHandle, Outcome } from '../infer/jobQueue';
import { gridFileName, imageFileName, type LatentCheckpoint } from './latentCheckpoint';

export interface ExploreDeps {
  submit(job: LatentSamplesJob): JobHandle<LatentSamplesResult>;
  post(m: ExploreHostMessage): void;
  /** A file was written: tell the user (and offer to open or reveal it). */
  saved(file: string): void;
  /** A save failed: tell the user. */
  failed(message: string): void;
}

type Shown = { grid?: ExploreGrid; path?: ExplorePath };

/** Writes `bytes` under the first free counter variant of `file`, never over a file. */
export function writeNoOverwrite(file: string, bytes: Uint8Array): string {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  for (let n = 1; n <= MAX_COUNTER; n++) {
    const target = withCounter(file, n);
    try {
      fs.writeFileSync(target, bytes, { flag: 'wx' });
      return target;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
  throw new Error(`no free file name for ${file}`);
}

export class ExploreSession extends Disposable {
  private readonly shown: Shown = {};
  private readonly running: Partial<Record<ExploreView, JobHandle<LatentSamplesResult>>> = {};

  constructor(
    readonly checkpoint: LatentCheckpoint,
    private readonly deps: ExploreDeps,
  ) {
    super();
    this._register({ dispose: () => Object.values(this.running).forEach((h) => h?.cancel()) });
  }

  private get labels(): number[] {
    return this.checkpoint.info.classes.map((_, k) => k);
  }

  /** A raw message from the page; anything malformed is ignored. */
  async onMessage(raw: unknown): Promise<void> {
    const m = parseExploreWebviewMessage(raw, {
      classCount: this.checkpoint.info.classes.length,
      shown: { grid: this.shown.grid?.images.length ?? 0, path: this.shown.path?.images.length ?? 0 },
    });
    if (!m || this.isDisposed) return;
    switch (m.type) {
      case 'ready':
        return this.deps.post({ type: 'init', info: this.checkpoint.info });
      case 'grid':
        return this.drawGrid(m);
      case 'interpolate':
        return this.drawPath(m);
      case 'saveImage':
        return this.saveImage(m.view, m.index);
      case 'saveGrid':
        return this.saveGrid(m.view);
    }
  }

  private gridJob(g: Pick<ExploreGrid, 'seeds' | 'truncation' | 'labels'>): LatentSamplesJob {
    return {
      kind: 'latentSamples',
      checkpoint: this.checkpoint.dir,
      seeds: g.seeds,
      truncation: g.truncation,
      ...(g.labels.length ? { labels: g.labels } : {}),
    };
  }

  private pathJob(p: Pick<ExplorePath, 'from' | 'to' | 'steps' | 'truncation' | 'label'>): LatentSamplesJob {
    const conditional = this.checkpoint.info.classes.length > 0;
    return {
      kind: 'latentSamples',
      checkpoint: this.checkpoint.dir,
      seeds: [p.from],
      truncation: p.truncation,
      interpolate: { from: p.from, to: p.to, steps: p.steps },
      ...(conditional ? { labels: [p.label ?? 0] } : {}),
    };
  }

  private async drawGrid(m: Extract<ExploreWebviewMessage, { type: 'grid' }>): Promise<void> {
    const labels = this.labels;
    const r = await this.run('grid', this.gridJob({ ...m, labels }));
    if (r)
      this.show({
        type: 'grid',
        seeds: m.seeds,
        labels,
        truncation: m.truncation,
        width: r.width,
        height: r.height,
        images: r.images,
      });
  }

  private async drawPath(m: Extract<ExploreWebviewMessage, { type: 'interpolate' }>): Promise<void> {
    const label = this.labels.length ? (m.label ?? 0) : undefined;
    const r = await this.run('path', this.pathJob({ ...m, label }));
    if (r) {
      this.show({
        type: 'path',
        from: m.from,
        to: m.to,
        steps: m.steps,
        truncation: m.truncation,
        width: r.width,
        height: r.height,
        images: r.images,
        ...(label !== undefined ? { label } : {}),
      });
    }
  }

  private show(v: ExploreGrid | ExplorePath): void {
    if (v.type === 'grid') this.shown.grid = v;
    else this.shown.path = v;
    this.deps.post(v);
  }

  /** Runs a view's job; a newer request for the same view cancels this one (undefined: stale or failed). */
  private async run(view: ExploreView, job: LatentSamplesJob): Promise<LatentSamplesResult | undefined> {
    this.running[view]?.cancel();
    const h = this.deps.submit(job);
    this.running[view] = h;
    this.deps.post({ type: 'busy', view });
    const o = await h.result;
    if (this.running[view] !== h || this.isDisposed) return undefined;
    this.running[view] = undefined;
    if (o.status === 'done') return o.result;
    this.deps.post({ type: 'error', view, message: o.status === 'failed' ? o.error.split('\n')[0] : 'cancelled' });
    return undefined;
  }

  private saveImage(view: ExploreView, index: number): void {
    const shown = this.shown[view];
    if (!shown) return;
    try {
      const file = writeNoOverwrite(
        path.join(this.checkpoint.outDir, imageFileName(shown, index, this.checkpoint)),
        Buffer.from(shown.images[index], 'base64'),
      );
      this.done(file);
    } catch (e) {
      this.deps.failed(`Could not save the image: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  private async saveGrid(view: ExploreView): Promise<void> {
    const shown = this.shown[view];
    if (!shown) return;
    const output = path.join(this.checkpoint.outDir, gridFileName(shown, this.checkpoint));
    const job = shown.type === 'grid' ? this.gridJob(shown) : this.pathJob(shown);
    // One row per class (cGAN), else rows of up to 8; a path is one row.
    const cols =
      shown.type === 'path' ? shown.steps : shown.labels.length ? shown.seeds.length : Math.min(8, shown.seeds.length);
    const o: Outcome<LatentSamplesResult> = await this.deps.submit({ ...job, output, cols }).result;
    if (o.status === 'done' && o.result.output) this.done(o.result.output);
    else if (o.status === 'failed') this.deps.failed(`Could not save the grid: ${o.error.split('\n')[0]}`);
  }

  private done(file: string): void {
    this.deps.post({ type: 'saved', name: path.basename(file) });
    this.deps.saved(file);
  }
}
