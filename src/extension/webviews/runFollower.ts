// One run as a page sees it: its history on disk merged with its live session, then what the
// session adds (status, points, sample grids) into a ViewFeed. It follows the run's session
// across resumes (a resume starts a new session for the same folder). The dashboard follows
// one run with it, the Run Comparison several.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { runPaths } from '../../shared/runDir';
import type { MetricPoint, RunInfo, SampleRef } from '../../shared/webviewProtocol';
import { Disposable, type IDisposable } from '../util/dispose';
import { listSamples, readMetrics, readRun } from '../runIndex/runsIndex';
import type { TrainingManager } from '../trainer/manager';
import type { TrainingSession } from '../trainer/session';
import type { ViewFeed } from './feed';

export interface RunHistory {
  run: RunInfo;
  points: MetricPoint[];
  samples: SampleRef[];
  /** config.json as parsed, else the live session's copy, else undefined. */
  config: unknown;
}

export class RunFollower extends Disposable {
  private session: TrainingSession | undefined;
  private sessionSub: IDisposable | undefined;
  private sentStep = -1;
  private sentSamples = new Set<number>();

  /** `isReady`: whether the page can take messages now (nothing is queued while it cannot). */
  constructor(
    private readonly manager: TrainingManager,
    readonly runDir: string,
    private readonly feed: ViewFeed,
    private readonly toRef: (s: { step: number; path: string }) => SampleRef,
    private readonly isReady: () => boolean,
  ) {
    super();
    this._register(manager.onDidChangeSessions(() => this.attach()));
    this._register({
      dispose: () => {
        this.sessionSub?.dispose();
        this.feed.dispose();
      },
    });
    this.attach();
  }

  private attach(): void {
    const s = this.manager.byRunDir(this.runDir);
    if (s === this.session) return;
    this.sessionSub?.dispose();
    this.session = s;
    this.sessionSub = s?.onDidChange((c) => this.onSessionChange(s, c));
    if (s && this.isReady()) this.feed.status(s.info());
  }

  private onSessionChange(s: TrainingSession, c: string): void {
    if (!this.isReady()) return;
    if (c === 'status') this.feed.status(s.info());
    if (c === 'points') {
      const pts = s.points.since((p) => p.step > this.sentStep);
      if (pts.length) {
        this.sentStep = pts[pts.length - 1].step;
        this.feed.addPoints(this.runDir, pts);
      }
    }
    if (c === 'sample') {
      for (const x of s.samples) {
        if (this.sentSamples.has(x.step)) continue;
        this.sentSamples.add(x.step);
        this.feed.addSample(this.runDir, this.toRef(x));
      }
    }
  }

  /** Everything the run has now; what streams afterwards is only what is newer. */
  async history(): Promise<RunHistory> {
    this.feed.clear();
    const [filePoints, samples, summary, configText] = await Promise.all([
      readMetrics(this.runDir),
      listSamples(this.runDir),
      readRun(this.runDir),
      fs.readFile(runPaths(this.runDir).config, 'utf8').catch(() => undefined),
    ]);
    const s = this.session;
    const lastFileStep = filePoints[filePoints.length - 1]?.step ?? -1;
    const points: MetricPoint[] = [...filePoints, ...(s ? s.points.since((p) => p.step > lastFileStep) : [])];
    const sampleList = [...samples];
    for (const x of s?.samples ?? []) if (!sampleList.some((y) => y.step === x.step)) sampleList.push(x);
    sampleList.sort((a, b) => a.step - b.step);
    let config: unknown = s?.config;
    try {
      if (configText) config = JSON.parse(configText);
    } catch {
      // a half-written config: keep the session's copy
    }
    const run: RunInfo = s?.info() ?? {
      runDir: this.runDir,
      name: path.basename(this.runDir),
      status: summary?.status ?? 'incomplete',
      step: summary?.step ?? 0,
      totalSteps: summary?.totalSteps ?? 0,
      live: false,
      backend: summary?.backend,
      stepsPerSec: summary?.msPerStep ? 1000 / summary.msPerStep : undefined,
      message: summary?.note,
    };
    this.sentStep = points[points.length - 1]?.step ?? -1;
    this.sentSamples = new Set(sampleList.map((x) => x.step));
    return { run, points, samples: sampleList.map(this.toRef), config };
  }
}
