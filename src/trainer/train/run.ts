// The training loop behind both the CLI and the extension's trainer process.
// Order matters for reproducibility: the seeded generator is installed as Math.random
// before any network is built, and on resume its saved state is restored only after the
// networks are rebuilt (building runs the initialisers, which draw from it).
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { DEFAULT_BACKEND } from '../../shared/backends';
import { loadConfig, type GanConfig } from '../../shared/config';
import { runPaths, stepName, type MetricsRecord } from '../../shared/runDir';
import { disposeBatch, loadDataset, makeBatch } from '../data';
import { isTranslationDataset } from '../data/translationData';
import { ShuffledBatches } from '../data/batches';
import { initBackend } from '../engine/backend';
import { activeGpu, explainFailure, gpuFailure, GpuError, injectGpuFault } from '../engine/gpu/webgpu';
import { writeFileAtomic } from '../engine/files';
import { installAsMathRandom, Rng } from '../engine/rng';
import { preflightUserModel, userModelFamily } from '../usermodel/family';
import { getFamily, type ModelFamily, type ModelSpec, type Networks, type Optimizers } from '../models';
import type { TrainControl, TrainEvents, TrainOptions, TrainResult } from './api';
import { CheckpointWriteError, damagedCheckpointsNote, describeFsError, findResumeCheckpoint, loadCheckpointNetworks, removeStaleTemporaries, saveCheckpoint, type CheckpointState, type FoundCheckpoint } from './checkpoint';
import { DivergedError, InputError, RunWriteError } from './errors';
import { COLLAPSE_DISTANCE, DLossWatch, firstNonFiniteWeight, injectedNan, meanPairwiseDistance, poisonFirstWeight } from './health';
import { checkMemory } from './memory';
import { EventLog, progressLine } from './eventLog';
import { appendMetrics, truncateMetrics } from './metricsFile';
import { makeFixedSamples, writeLossPlot, writeSampleGrid } from './samples';
import { makeHeldOut, type HeldOut } from './heldOut';
import { scheduledLr, setLearningRate } from './schedule';
import { WeightAverages } from './weightAverage';

const BATCH_STREAM = 1;

function timestamp(d = new Date()): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}-${p(d.getHours())}${p(d.getMinutes())}${p(d.getSeconds())}`;
}

/** The newest run of this config under <config folder>/runs that has a checkpoint. */
function newestRun(configDir: string, name: string): string | undefined {
  const runs = path.join(configDir, 'runs');
  if (!fs.existsSync(runs)) return undefined;
  return fs.readdirSync(runs)
    .filter((n) => n.startsWith(`${name}-`) && findResumeCheckpoint(path.join(runs, n)))
    .sort().map((n) => path.join(runs, n)).at(-1);
}

/** Keys that fix the networks' shapes: a resume with other values cannot load the checkpoint. */
function architectureKeys(cfg: GanConfig): Record<string, unknown> {
  const { latentDim, ngf, ndf } = cfg.params;
  return { model: cfg.model, imageSize: cfg.imageSize, 'dataset.kind': cfg.dataset.kind, 'params.latentDim': latentDim, 'params.ngf': ngf, 'params.ndf': ndf };
}

function checkSameArchitecture(now: GanConfig, runConfigFile: string): void {
  if (!fs.existsSync(runConfigFile)) return;
  const before = architectureKeys(JSON.parse(fs.readFileSync(runConfigFile, 'utf8')) as GanConfig);
  const after = architectureKeys(now);
  const changed = Object.keys(after).filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]));
  if (changed.length) {
    throw new InputError(`cannot resume: ${changed.map((k) => `"${k}" changed from ${JSON.stringify(before[k])} to ${JSON.stringify(after[k])}`).join(', ')} since the run started`);
  }
}

interface Prepared {
  cfg: GanConfig;
  family: ModelFamily;
  runDir: string;
  resume?: FoundCheckpoint;
  /** The run folder did not exist before this call (removed again if a write fails before the first checkpoint). */
  created: boolean;
}

/** Everything that can fail on bad input, checked before a single file is written. */
function prepare(opts: TrainOptions): Prepared {
  const configPath = path.resolve(opts.configPath);
  const cfg = loadConfig(configPath);
  if (opts.seed !== undefined) cfg.seed = opts.seed;
  // A model file is compiled here: its syntax errors and missing exports stop the run early.
  const family = cfg.modelFile ? userModelFamily(getFamily(cfg.model), cfg.modelFile) : getFamily(cfg.model);
  const configDir = path.dirname(configPath);
  if (opts.resume) {
    const runDir = opts.runDir ? path.resolve(opts.runDir) : newestRun(configDir, cfg.name);
    if (!runDir) throw new InputError(`nothing to resume: no run of "${cfg.name}" with a checkpoint in ${path.join(configDir, 'runs')}`);
    if (!fs.existsSync(runDir)) throw new InputError(`run folder not found: ${runDir}`);
    const resume = findResumeCheckpoint(runDir);
    if (!resume) throw new InputError(`nothing to resume: ${runDir} has no complete checkpoint${damagedCheckpointsNote(runDir)}`);
    if (resume.state.model !== cfg.model) throw new InputError(`cannot resume: the run in ${runDir} trains "${resume.state.model}", the config says "${cfg.model}"`);
    checkSameArchitecture(cfg, runPaths(runDir).config);
    return { cfg, family, runDir, resume, created: false };
  }
  const runDir = opts.runDir ? path.resolve(opts.runDir) : path.join(configDir, 'runs', `${cfg.name}-${timestamp()}`);
  const p = runPaths(runDir);
  if (fs.existsSync(p.checkpoints) || fs.existsSync(p.metrics)) {
    throw new InputError(`${runDir} already holds a run: add --resume to continue it, or choose another --run-dir`);
  }
  return { cfg, family, runDir, created: !fs.existsSync(runDir) };
}

export async function runTraining(opts: TrainOptions, events: TrainEvents = {}, control: TrainControl = { stop: false, paused: false, sampleNow: false }): Promise<TrainResult> {
  const { cfg, family, runDir, resume, created } = prepare(opts);
  const ds = loadDataset(cfg.dataset, path.dirname(path.resolve(opts.configPath)), { imageSize: cfg.imageSize, seed: cfg.seed });
  if (ds.count < cfg.batchSize) throw new InputError(`"batchSize" ${cfg.batchSize} is larger than the data set (${ds.count} images)`);
  const total = opts.maxSteps ?? cfg.steps;

  // The backend comes up before anything is written, so a backend that cannot start leaves no
  // empty run folder behind; what it says (a fallback's warning, `auto`'s choice and reason, the
  // GPU's name) is logged, in order, once the log exists.
  const backendNotes: { level: 'info' | 'warn'; line: string }[] = [];
  const backend = await initBackend(opts.backend ?? DEFAULT_BACKEND, {
    threads: opts.threads, warn: (line) => backendNotes.push({ level: 'warn', line }), info: (line) => backendNotes.push({ level: 'info', line }),
  });
  const spec: ModelSpec = resume?.state.spec ?? { imageSize: cfg.imageSize, channels: ds.channels, numClasses: family.conditional ? ds.numClasses : 0, params: cfg.params,
    ...(cfg.dataset.kind === 'sr' ? { scale: cfg.dataset.scale } : {}) };
  // A model file's networks are built and checked once before anything is written.
  if (!resume) preflightUserModel(family, spec);
  const p = runPaths(runDir);
  const rng = new Rng(cfg.seed, 0);
  const restoreRandom = installAsMathRandom(rng);
  const makeOptimizer = () => tf.train.adam(cfg.optimizer.lr, cfg.optimizer.beta1, cfg.optimizer.beta2);
  let nets: Networks = {};
  let optimizers: Optimizers = {};
  let samples: ReturnType<typeof makeFixedSamples> | undefined;
  let heldOut: HeldOut | undefined;
  let savedStep = -1;
  try {
    // A new run's networks are built (and their memory estimated) before anything is written.
    if (!resume) {
      nets = family.build(spec);
      checkMemory(nets, cfg.batchSize, opts.maxMemoryMB);
    }
    let log: EventLog;
    try {
      fs.mkdirSync(p.samples, { recursive: true });
      fs.mkdirSync(p.checkpoints, { recursive: true });
      log = new EventLog(p.events, events);
      writeFileAtomic(p.config, `${JSON.stringify(cfg, null, 2)}\n`);
    } catch (e) {
      if (created) fs.rmSync(runDir, { recursive: true, force: true });
      throw e;
    }
    backendNotes.forEach((n) => log.write(n.line, n.level));
    // Image-to-image data: files found unreadable while training are logged (and skipped).
    if (isTranslationDataset(ds)) {
      ds.setLogger((m) => log.warn(m));
      if (!resume && cfg.dataset.kind === 'paired') spec.direction = cfg.dataset.direction;
    }
    let step = 0;
    let records: MetricsRecord[] = [];
    let batches: ShuffledBatches;
    const sampleSeed = resume?.state.sampleSeed ?? cfg.seed;
    if (resume) {
      resume.warnings.forEach((w) => log.warn(`${w}; resuming from ${path.relative(runDir, resume.dir)} (step ${resume.state.step}) instead`));
      ({ nets, optimizers } = await loadCheckpointNetworks(resume.dir, resume.state, makeOptimizer));
      checkMemory(nets, cfg.batchSize, opts.maxMemoryMB);
      removeStaleTemporaries(runDir);
      for (const name of family.networkNames) optimizers[name] ??= makeOptimizer();
      rng.setState(resume.state.rng);
      batches = new ShuffledBatches(ds.count, cfg.batchSize, new Rng(cfg.seed, BATCH_STREAM), resume.state.data);
      step = resume.state.step;
      records = truncateMetrics(p.metrics, step);
      log.info(`resume ${runDir} from step ${step} (${path.relative(runDir, resume.dir)})`);
      if (opts.seed !== undefined) log.warn('--seed is ignored on resume: the run continues its own random stream');
    } else {
      for (const name of family.networkNames) optimizers[name] = makeOptimizer();
      batches = new ShuffledBatches(ds.count, cfg.batchSize, new Rng(cfg.seed, BATCH_STREAM));
      log.info(`start ${cfg.name}: model ${cfg.model}, ${ds.name} ${ds.count} images, batch ${cfg.batchSize}, ${total} steps, seed ${cfg.seed}`);
    }
    // The generator's weight average (params.emaDecay), for the samples.
    const averages = await WeightAverages.attach(family, nets, cfg.params.emaDecay);
    log.info(`backend ${backend}`);
    log.info(`run folder ${runDir}`);
    samples = makeFixedSamples(family, spec, sampleSeed, isTranslationDataset(ds) ? (n) => ds.examples(n) : undefined);
    heldOut = makeHeldOut(family, ds);
    events.started?.({ backend, runDir, step, totalSteps: total, config: cfg });

    let collapsed = false;
    const writeSample = async (s: number) => {
      const file = p.sample(s);
      const images = await writeSampleGrid(file, family, nets, samples as NonNullable<typeof samples>);
      // Mode collapse: different noise, (nearly) the same picture. Said once per episode.
      const spread = !family.imageToImage && s > 0 && images.n > 1 ? meanPairwiseDistance(images) : Infinity;
      if (spread < COLLAPSE_DISTANCE && !collapsed) {
        log.warn(`possible mode collapse at step ${s}: the ${images.n} fixed-noise samples are nearly identical (mean difference ${spread.toFixed(4)}). `
          + 'Try a lower learning rate, a smaller "batchSize", or resume from an earlier checkpoint');
      }
      collapsed = spread < COLLAPSE_DISTANCE;
      writeLossPlot(p.lossPlot, records, family.lossNames);
      events.sample?.({ step: s, path: file });
    };
    let epoch = batches.getState().epoch;
    savedStep = resume ? step : -1;
    const checkpoint = async (s: number) => {
      if (s === savedStep) return;
      const state: CheckpointState = {
        version: 1, step: s, epoch, model: cfg.model, spec, networks: Object.keys(nets),
        rng: rng.getState(), data: batches.getState(), sampleSeed, backend, time: new Date().toISOString(),
      };
      const dir = await saveCheckpoint(runDir, nets, optimizers, state, cfg.keepCheckpoints);
      savedStep = s;
      log.info(`checkpoint ${path.relative(runDir, dir)}`);
      events.checkpoint?.({ step: s, path: dir });
    };
    const gpu = backend === 'webgpu' ? activeGpu()?.name : undefined;
    const record = (s: number, losses: Record<string, number>, ms: number, lr: number, dReal?: number, dFake?: number): MetricsRecord => {
      const rec: MetricsRecord = {
        step: s, epoch, time: new Date().toISOString(), msPerStep: ms, losses, dReal, dFake, lr, backend, ...(gpu ? { gpu } : {}),
        numTensors: tf.memory().numTensors, rssMB: Math.round(process.memoryUsage().rss / 1048576),
      };
      records.push(rec);
      appendMetrics(p.metrics, rec);
      events.metrics?.(rec);
      return rec;
    };
    if (!resume) await writeSample(0);
    if (!resume && heldOut) {
      // The untrained model's held-out score: the baseline later scores are read against.
      const v = await heldOut.evaluate(nets);
      record(0, v, 0, cfg.optimizer.lr);
      log.info(`held-out at step 0: ${Object.entries(v).map(([k, x]) => `${k} ${x.toFixed(4)}`).join('  ')}`);
    }

    let msSum = 0, msCount = 0;
    const dWatch = new DLossWatch();
    const fixes = `Usual fixes: a lower "optimizer.lr" (now ${cfg.optimizer.lr}), checking that the data loads as expected (gan check), a smaller "batchSize" or network`;
    // One line for the user and the log: the GPU's cause, what is kept, how to go on.
    const gpuStopped = (e: unknown) => {
      if (!(e instanceof GpuError)) return e;
      const kept = savedStep >= 0 ? `the last good checkpoint is checkpoints/${stepName(savedStep)} (step ${savedStep})` : 'no checkpoint was saved yet';
      const stopped = e.withOutcome(kept, savedStep >= 0);
      log.error(stopped.message);
      return stopped;
    };
    while (step < total) {
      // Let signals and IPC messages flip the control flags between steps.
      await new Promise<void>((r) => setImmediate(r));
      while (control.paused && !control.stop) {
        if (control.sampleNow) { control.sampleNow = false; await writeSample(step); }
        await new Promise<void>((r) => setTimeout(r, 100));
      }
      if (control.stop) break;

      const next = batches.next();
      epoch = next.epoch;
      const t0 = performance.now();
      // params.decayFrom: constant, then linear decay to 0 at the last step (CycleGAN's schedule).
      const lr = scheduledLr(cfg.optimizer.lr, step, cfg.params.decayFrom, total);
      for (const o of Object.values(optimizers)) setLearningRate(o, lr);
      const batch = makeBatch(ds, next.indices, cfg.imageSize, rng);
      let result;
      injectGpuFault(step + 1);
      try {
        result = await family.trainStep({ nets, optimizers, spec, rng }, batch);
      } catch (e) {
        throw gpuStopped(await explainFailure(e));
      } finally {
        disposeBatch(batch);
      }
      // A lost or out-of-memory GPU can leave a step with wrong numbers and no exception:
      // nothing of this step is logged, sampled or saved then.
      const gpuProblem = gpuFailure();
      if (gpuProblem) throw gpuStopped(gpuProblem);
      averages?.update(step + 1);
      step++;
      msSum += performance.now() - t0;
      msCount++;
      const inject = injectedNan(step);
      if (inject === 'loss') result = { ...result, losses: { ...result.losses, [Object.keys(result.losses)[0]]: NaN } };
      if (inject === 'weight') poisonFirstWeight(nets);

      const bad = Object.entries(result.losses).find(([, v]) => !Number.isFinite(v));
      // Weights are checked every step too: a NaN there would be saved in the next checkpoint.
      const badWeight = bad ? undefined : await firstNonFiniteWeight(nets);
      const zeroD = dWatch.update(step, result.losses.dLoss);
      if (zeroD) log.warn(zeroD);
      const scored = !bad && !badWeight && heldOut && (step % cfg.sampleEvery === 0 || step === total) ? await heldOut.evaluate(nets) : undefined;
      if (bad || badWeight || scored || step % cfg.logEvery === 0 || step === total || step === 1) {
        const rec = record(step, { ...result.losses, ...scored }, Math.round((msSum / msCount) * 10) / 10, lr, result.dReal, result.dFake);
        log.info(progressLine(step, total, rec.losses, result.dReal, result.dFake, rec.msPerStep));
        msSum = 0; msCount = 0;
      }
      if (bad || badWeight) {
        const kept = savedStep >= 0 ? `the last good checkpoint is checkpoints/${stepName(savedStep)} (step ${savedStep})` : 'no checkpoint was saved yet';
        const what = bad ? `${bad[0]} is ${bad[1]}` : `weight ${badWeight} holds NaN or Infinity`;
        const msg = `${what} at step ${step}: training diverged and stopped; ${kept}. ${fixes}.`;
        log.error(msg);
        writeLossPlot(p.lossPlot, records, family.lossNames);
        throw new DivergedError(msg);
      }
      if (step % cfg.sampleEvery === 0 || step === total || control.sampleNow) {
        control.sampleNow = false;
        await writeSample(step);
      }
      if (step % cfg.checkpointEvery === 0 || step === total) await checkpoint(step);
    }

    if (step < total) {
      // Stopped: save where we are so --resume continues from here, with a grid of this step.
      control.sampleNow = false;
      if (!fs.existsSync(p.sample(step))) await writeSample(step);
      writeLossPlot(p.lossPlot, records, family.lossNames);
      await checkpoint(step);
      log.info(`stopped at step ${step}/${total}`);
      return { runDir, step, status: 'stopped' };
    }
    log.info(step > total || (resume && resume.state.step >= total) ? `nothing to do: the run is at step ${step}, the target is ${total} steps` : `finished ${total} steps`);
    return { runDir, step, status: 'finished' };
  } catch (e) {
    // Disk full, read-only folder, ...: one line that says what is kept, not a stack trace.
    const kept = savedStep >= 0 ? `the last good checkpoint is checkpoints/${stepName(savedStep)} (step ${savedStep})` : 'no checkpoint was saved';
    // A GPU failure outside a step (sampling, checkpointing) is said the same way.
    const gpuError = await explainFailure(e);
    if (gpuError instanceof GpuError && !gpuError.stopped) throw gpuError.withOutcome(kept, savedStep >= 0);
    if (e instanceof CheckpointWriteError) throw new RunWriteError(`${e.message}; training stopped, ${kept}`);
    const err = e as NodeJS.ErrnoException;
    if (typeof err.code !== 'string' || !err.syscall) throw e;
    throw new RunWriteError(`cannot write to ${err.path ?? runDir}: ${describeFsError(err)}; training stopped, ${kept}`);
  } finally {
    samples?.dispose();
    heldOut?.dispose();
    for (const m of Object.values(nets)) m.dispose();
    for (const o of Object.values(optimizers)) o.dispose();
    restoreRandom();
  }
}
