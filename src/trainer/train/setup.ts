// Setting a run up, in two halves. setUpSession checks everything that can fail on bad input
// (config, data set, backend, a model file) before a single file is written. openRun then
// builds or loads the networks, creates the run folder and its log, and draws the first grid.
// Order matters for reproducibility: the seeded generator is installed as Math.random (when
// the session is made) before the run's networks are built, and on resume its saved state is
// restored only after the networks are loaded (building runs the initialisers, which draw from it).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DEFAULT_BACKEND } from '../../shared/backends';
import { loadDataset } from '../data';
import { isFolderDataset } from '../data/folder';
import { isTranslationDataset } from '../data/translationData';
import { ShuffledBatches } from '../data/batches';
import { initBackend } from '../engine/backend';
import { activeGpu } from '../engine/gpu/webgpu';
import { writeFileAtomic } from '../engine/files';
import { Rng } from '../engine/rng';
import { preflightUserModel } from '../usermodel/family';
import type { ModelSpec } from '../models';
import type { TrainEvents, TrainOptions } from './api';
import { loadCheckpointNetworks, removeStaleTemporaries, type FoundCheckpoint } from './checkpoint';
import { InputError } from './errors';
import { EventLog } from './eventLog';
import { makeHeldOut } from './heldOut';
import { checkMemory } from './memory';
import { truncateMetrics } from './metricsFile';
import { prepareRun } from './prepare';
import { makeScoring } from './quality';
import { makeFixedSamples } from './samples';
import { TrainingSession, type BackendNote } from './session';
import { TensorBoardWriter } from './tensorboard/writer';
import { WeightAverages } from './weightAverage';

/** Stream id of the shuffled batches (the training stream is 0, the samples' 2). */
const BATCH_STREAM = 1;

/** Config, data set, backend and the networks' spec: all checked, nothing written yet. */
export async function setUpSession(opts: TrainOptions, events: TrainEvents): Promise<TrainingSession> {
  const { cfg, family, runDir, resume, created } = prepareRun(opts);
  const ds = loadDataset(cfg.dataset, path.dirname(path.resolve(opts.configPath)), {
    imageSize: cfg.imageSize,
    seed: cfg.seed,
  });
  if (ds.count < cfg.batchSize)
    throw new InputError(`"batchSize" ${cfg.batchSize} is larger than the data set (${ds.count} images)`);
  const total = opts.maxSteps ?? cfg.steps;

  // The backend comes up before anything is written, so a backend that cannot start leaves no
  // empty run folder behind; what it says (a fallback's warning, `auto`'s choice and reason, the
  // GPU's name) is logged, in order, once the log exists.
  const backendNotes: BackendNote[] = [];
  const backend = await initBackend(opts.backend ?? DEFAULT_BACKEND, {
    threads: opts.threads,
    warn: (line) => backendNotes.push({ level: 'warn', line }),
    info: (line) => backendNotes.push({ level: 'info', line }),
  });
  const spec: ModelSpec = resume?.state.spec ?? {
    imageSize: cfg.imageSize,
    channels: ds.channels,
    numClasses: family.info.conditional ? ds.numClasses : 0,
    params: cfg.params,
    ...(cfg.dataset.kind === 'sr' ? { scale: cfg.dataset.scale } : {}),
    // Class names (folder subfolders, Fashion-MNIST's) go into the checkpoint for `gan sample --label <name>`.
    ...(family.info.conditional && ds.classNames.length ? { classNames: ds.classNames } : {}),
  };
  // A model file's networks are built and checked once before anything is written.
  if (!resume) preflightUserModel(family, spec);
  return new TrainingSession({
    opts,
    events,
    cfg,
    family,
    runDir,
    resume,
    created,
    ds,
    total,
    backend,
    backendNotes,
    spec,
  });
}

/** Builds or loads the networks, creates the run folder and its log, and says the run started. */
export async function openRun(s: TrainingSession): Promise<void> {
  const { cfg, family, ds, resume } = s;
  // A new run's networks are built (and their memory estimated) before anything is written.
  if (!resume) {
    s.nets = family.build(s.spec);
    checkMemory(s.nets, cfg.batchSize, s.opts.maxMemoryMB);
  }
  s.log = createRunFolder(s);
  s.backendNotes.forEach((n) => s.log.write(n.line, n.level));
  s.tb = TensorBoardWriter.open(s.paths.tensorboard, (line) => s.log.warn(line));
  // Image folders: files found unreadable while training are logged (and skipped).
  if (isFolderDataset(ds)) ds.setLogger((m) => s.log.warn(m));
  if (isTranslationDataset(ds)) {
    ds.setLogger((m) => s.log.warn(m));
    if (!resume && cfg.dataset.kind === 'paired') s.spec.direction = cfg.dataset.direction;
  }
  if (resume) {
    await continueRun(s, resume);
    s.tb.restartAt(s.step + 1);
  } else beginRun(s);
  s.averages = await WeightAverages.attach(family, s.nets, cfg.params.emaDecay);
  s.log.info(`backend ${s.backend}`);
  s.log.info(`run folder ${s.runDir}`);
  s.samples = makeFixedSamples(
    family,
    s.spec,
    s.sampleSeed,
    isTranslationDataset(ds) ? (n) => ds.examples(n) : undefined,
  );
  s.heldOut = makeHeldOut(family, ds);
  // The scorers' fixed real images come from the run's first seed, so a resume keeps them.
  s.quality = await makeScoring({ family, ds, spec: s.spec, seed: s.sampleSeed });
  s.events.started?.({ backend: s.backend, runDir: s.runDir, step: s.step, totalSteps: s.total, config: cfg });
  s.epoch = s.batches.getState().epoch;
  s.savedStep = resume ? s.step : -1;
  s.gpu = s.backend === 'webgpu' ? activeGpu()?.name : undefined;
  if (!resume) await drawStepZero(s);
}

/** The run folder, its log and config.json; a folder this run created is removed again if that fails. */
function createRunFolder(s: TrainingSession): EventLog {
  try {
    fs.mkdirSync(s.paths.samples, { recursive: true });
    fs.mkdirSync(s.paths.checkpoints, { recursive: true });
    const log = new EventLog(s.paths.events, s.events);
    writeFileAtomic(s.paths.config, `${JSON.stringify(s.cfg, null, 2)}\n`);
    return log;
  } catch (e) {
    if (s.created) fs.rmSync(s.runDir, { recursive: true, force: true });
    throw e;
  }
}

/** A new run: fresh optimizers and batch stream from the seed. */
function beginRun(s: TrainingSession): void {
  const { cfg, ds } = s;
  for (const name of s.family.networkNames) s.optimizers[name] = s.newOptimizer();
  s.batches = new ShuffledBatches(ds.count, cfg.batchSize, new Rng(cfg.seed, BATCH_STREAM));
  s.log.info(
    `start ${cfg.name}: model ${cfg.model}, ${ds.name} ${ds.count} images, batch ${cfg.batchSize}, ${s.total} steps, seed ${cfg.seed}`,
  );
}

/** --resume: the checkpoint's networks, optimizers, random and batch streams; metrics after it are dropped. */
async function continueRun(s: TrainingSession, resume: FoundCheckpoint): Promise<void> {
  const { cfg, runDir } = s;
  resume.warnings.forEach((w) =>
    s.log.warn(`${w}; resuming from ${path.relative(runDir, resume.dir)} (step ${resume.state.step}) instead`),
  );
  ({ nets: s.nets, optimizers: s.optimizers } = await loadCheckpointNetworks(resume.dir, resume.state, () =>
    s.newOptimizer(),
  ));
  checkMemory(s.nets, cfg.batchSize, s.opts.maxMemoryMB);
  removeStaleTemporaries(runDir);
  // A network the checkpoint has no optimizer state for starts with a fresh one.
  for (const name of s.family.networkNames) s.optimizers[name] ??= s.newOptimizer();
  s.rng.setState(resume.state.rng);
  s.batches = new ShuffledBatches(s.ds.count, cfg.batchSize, new Rng(cfg.seed, BATCH_STREAM), resume.state.data);
  s.step = resume.state.step;
  s.records = truncateMetrics(s.paths.metrics, s.step);
  s.log.info(`resume ${runDir} from step ${s.step} (${path.relative(runDir, resume.dir)})`);
  if (s.opts.seed !== undefined) s.log.warn('--seed is ignored on resume: the run continues its own random stream');
}

/** A new run's step-0 grid and, for families with held-out data, the untrained model's score. */
async function drawStepZero(s: TrainingSession): Promise<void> {
  await s.writeSample(0);
  if (!s.heldOut) return;
  // The untrained model's held-out score: the baseline later scores are read against.
  const v = await s.heldOut.evaluate(s.nets);
  s.record(0, v, 0, s.cfg.optimizer.lr);
  s.log.info(
    `held-out at step 0: ${Object.entries(v)
      .map(([k, x]) => `${k} ${x.toFixed(4)}`)
      .join('  ')}`,
  );
}
