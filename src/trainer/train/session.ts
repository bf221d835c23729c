// One run while it trains: what it was set up with, where it stands (networks, step, batch
// stream, metrics so far, the last saved step) and what it writes as it goes: metrics records,
// sample grids, loss.png, TensorBoard events and checkpoints. setup.ts fills it, loop.ts steps
// it, finish.ts ends it.
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { adam } from './adam';
import type { ActiveBackend } from '../../shared/backends';
import type { GanConfig } from '../../shared/config';
import { runPaths, type MetricsRecord } from '../../shared/runDir';
import type { LabelledImages } from '../data';
import type { ShuffledBatches } from '../data/batches';
import type { ImageBatch } from '../engine/imageGrid';
import { installAsMathRandom, Rng } from '../engine/rng';
import type { ModelFamily, ModelSpec, Networks, Optimizers } from '../models';
import type { TrainEvents, TrainOptions } from './api';
import { saveCheckpoint, type CheckpointState, type FoundCheckpoint } from './checkpoint';
import type { EventLog } from './eventLog';
import { CollapseWatch, meanPairwiseDistance } from './health';
import type { HeldOut } from './heldOut';
import { appendMetrics } from './metricsFile';
import type { SampleScoring } from './quality';
import { writeLossPlot, writeSampleGrid, type FixedSamples } from './samples';
import type { TensorBoardWriter } from './tensorboard/writer';
import type { WeightAverages } from './weightAverage';

/** A line the backend said while starting, logged once the log exists. */
export interface BackendNote {
  level: 'info' | 'warn';
  line: string;
}

/** A sample grid written to disk: its images and, at scheduled sample steps, their scores. */
export interface DrawnSample {
  file: string;
  images: ImageBatch;
  scores?: Record<string, number>;
}

/** What set-up decided before anything was written. */
export interface SessionStart {
  opts: TrainOptions;
  events: TrainEvents;
  cfg: GanConfig;
  family: ModelFamily;
  runDir: string;
  resume?: FoundCheckpoint;
  created: boolean;
  ds: LabelledImages;
  /** The step to train to (--max-steps, else the config's "steps"). */
  total: number;
  backend: ActiveBackend;
  backendNotes: BackendNote[];
  spec: ModelSpec;
}

export class TrainingSession {
  readonly opts: TrainOptions;
  readonly events: TrainEvents;
  readonly cfg: GanConfig;
  readonly family: ModelFamily;
  readonly runDir: string;
  readonly resume?: FoundCheckpoint;
  readonly created: boolean;
  readonly ds: LabelledImages;
  readonly total: number;
  readonly backend: ActiveBackend;
  readonly backendNotes: BackendNote[];
  readonly spec: ModelSpec;
  readonly paths: ReturnType<typeof runPaths>;
  /** The run's random stream: Math.random for tfjs while the run trains, noise for each step. */
  readonly rng: Rng;
  /** Seed of the fixed sample inputs: a resumed run keeps the one it started with. */
  readonly sampleSeed: number;
  private readonly restoreRandom: () => void;

  // Set up by openRun (setup.ts).
  log!: EventLog;
  nets: Networks = {};
  optimizers: Optimizers = {};
  batches!: ShuffledBatches;
  samples?: FixedSamples;
  heldOut?: HeldOut;
  /** The generator's weight average (params.emaDecay), for the samples. */
  averages?: WeightAverages;
  /** The webgpu adapter's name, recorded in every metrics line of a webgpu run. */
  gpu?: string;
  /** This start's TensorBoard events file (tb/). */
  tb?: TensorBoardWriter;
  /** Quality scores of the samples (quality/index.ts), for the families that have any. */
  quality?: SampleScoring;

  // Where the run stands.
  step = 0;
  epoch = 0;
  records: MetricsRecord[] = [];
  /** The step of the newest checkpoint to go back to, named by the failure lines (-1: none; a resumed run's is set once it has started). */
  savedStep = -1;
  private readonly collapse = new CollapseWatch();

  constructor(start: SessionStart) {
    this.opts = start.opts;
    this.events = start.events;
    this.cfg = start.cfg;
    this.family = start.family;
    this.runDir = start.runDir;
    this.resume = start.resume;
    this.created = start.created;
    this.ds = start.ds;
    this.total = start.total;
    this.backend = start.backend;
    this.backendNotes = start.backendNotes;
    this.spec = start.spec;
    this.paths = runPaths(start.runDir);
    this.sampleSeed = start.resume?.state.sampleSeed ?? start.cfg.seed;
    // From here until close(), Math.random is the run's seeded stream: networks built or
    // loaded after this draw their initial weights from it.
    this.rng = new Rng(start.cfg.seed, 0);
    this.restoreRandom = installAsMathRandom(this.rng);
  }

  newOptimizer(): tf.Optimizer {
    return adam(this.cfg.optimizer.lr, this.cfg.optimizer.beta1, this.cfg.optimizer.beta2);
  }

  /** Appends one line to metrics.jsonl (and the in-memory list loss.png is drawn from) and reports it. */
  record(
    step: number,
    losses: Record<string, number>,
    msPerStep: number,
    lr: number,
    dReal?: number,
    dFake?: number,
    scores?: Record<string, number>,
  ): MetricsRecord {
    const { gpu } = this;
    const rec: MetricsRecord = {
      step,
      epoch: this.epoch,
      time: new Date().toISOString(),
      msPerStep,
      losses,
      dReal,
      dFake,
      ...(scores ? { scores } : {}),
      lr,
      backend: this.backend,
      ...(gpu ? { gpu } : {}),
      numTensors: tf.memory().numTensors,
      rssMB: Math.round(process.memoryUsage().rss / 1048576),
    };
    this.records.push(rec);
    appendMetrics(this.paths.metrics, rec);
    this.tb?.metrics(rec);
    this.tb?.flush();
    this.events.metrics?.(rec);
    return rec;
  }

  /** Draws and scores the fixed-input grid of `step`, then finishes it (an unscheduled grid: no scores). */
  async writeSample(step: number): Promise<void> {
    this.finishSample(step, await this.drawSample(step, false));
  }

  /** Writes the grid of `step` and, with `score`, its quality scores (for that step's metrics line). */
  async drawSample(step: number, score: boolean): Promise<DrawnSample> {
    const file = this.paths.sample(step);
    const images = await writeSampleGrid(file, this.family, this.nets, this.samples as FixedSamples);
    this.tb?.imageFile(step, file);
    this.tb?.flush();
    const scores = score && this.quality ? await this.quality.scoreSamples(images) : undefined;
    return { file, images, scores };
  }

  /** After the step's metrics line: the mode-collapse check, loss.png and the sample event. */
  finishSample(step: number, drawn: DrawnSample): void {
    this.watchForCollapse(step, drawn.images);
    this.writeLossPlot();
    this.events.sample?.({ step, path: drawn.file });
  }

  /** Mode collapse: different noise, (nearly) the same picture, where earlier in the run they differed. */
  private watchForCollapse(step: number, images: ImageBatch): void {
    if (this.family.info.translate || images.n < 2) return;
    const warning = this.collapse.update(step, meanPairwiseDistance(images));
    if (warning) this.log.warn(warning);
  }

  writeLossPlot(): void {
    writeLossPlot(this.paths.lossPlot, this.records, this.family.lossNames);
  }

  /** Saves the networks, optimizers and where the run stands; a step already saved is not saved again. */
  async checkpoint(step: number): Promise<void> {
    if (step === this.savedStep) return;
    const state: CheckpointState = {
      version: 1,
      step,
      epoch: this.epoch,
      model: this.cfg.model,
      spec: this.spec,
      networks: Object.keys(this.nets),
      rng: this.rng.getState(),
      data: this.batches.getState(),
      sampleSeed: this.sampleSeed,
      backend: this.backend,
      time: new Date().toISOString(),
    };
    const dir = await saveCheckpoint(this.runDir, this.nets, this.optimizers, state, this.cfg.keepCheckpoints);
    this.savedStep = step;
    this.log.info(`checkpoint ${path.relative(this.runDir, dir)}`);
    this.events.checkpoint?.({ step, path: dir });
  }

  /** Frees every tensor the run holds and gives Math.random back. */
  close(): void {
    this.tb?.close();
    this.samples?.dispose();
    this.heldOut?.dispose();
    this.quality?.dispose();
    for (const m of Object.values(this.nets)) m.dispose();
    for (const o of Object.values(this.optimizers)) o.dispose();
    this.restoreRandom();
  }
}
