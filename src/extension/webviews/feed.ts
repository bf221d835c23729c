// Coalesces what a run produces into at most one batch of messages per interval for a webview:
// the latest status, the new points, the new samples (or only the newest one). A fast trainer
// must not flood the extension host <-> webview channel. Pure: unit-tested.
import type { HostMessage, MetricPoint, RunInfo, SampleRef } from '../../shared/webviewProtocol';

export interface FeedOptions {
  intervalMs?: number;
  /** The Live Preview only ever shows the newest grid. */
  latestSampleOnly?: boolean;
  /** Cap on points held between flushes (older ones are dropped first). */
  maxPoints?: number;
}

export class ViewFeed {
  private run: RunInfo | undefined;
  private points: MetricPoint[] = [];
  private samples: SampleRef[] = [];
  private runDir: string | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private lastFlush = 0;

  constructor(
    private readonly post: (m: HostMessage) => void,
    private readonly opts: FeedOptions = {},
  ) {}

  status(run: RunInfo): void {
    this.switchRun(run.runDir);
    this.run = run;
    this.schedule();
  }

  addPoints(runDir: string, points: MetricPoint[]): void {
    if (!points.length) return;
    this.switchRun(runDir);
    this.points.push(...points);
    const max = this.opts.maxPoints ?? 5000;
    if (this.points.length > max) this.points.splice(0, this.points.length - max);
    this.schedule();
  }

  addSample(runDir: string, sample: SampleRef): void {
    this.switchRun(runDir);
    if (this.opts.latestSampleOnly) this.samples = [sample];
    else this.samples.push(sample);
    this.schedule();
  }

  /** Sends whatever is pending now. */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.lastFlush = Date.now();
    const runDir = this.runDir;
    if (this.run) this.post({ type: 'status', run: this.run });
    if (runDir && this.points.length) this.post({ type: 'points', runDir, points: this.points });
    if (runDir && this.samples.length) this.post({ type: 'samples', runDir, samples: this.samples });
    this.run = undefined;
    this.points = [];
    this.samples = [];
  }

  /** Drops everything pending (the view was reset or hidden). */
  clear(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.run = undefined;
    this.points = [];
    this.samples = [];
  }

  dispose(): void {
    this.clear();
  }

  private switchRun(runDir: string): void {
    // Pending data of another run would be misattributed: drop it.
    if (this.runDir !== runDir) this.clear();
    this.runDir = runDir;
  }

  private schedule(): void {
    if (this.timer) return;
    const interval = this.opts.intervalMs ?? 250;
    const wait = Math.max(0, this.lastFlush + interval - Date.now());
    this.timer = setTimeout(() => this.flush(), wait);
  }
}
