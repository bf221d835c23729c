// One training step: the next batch, the learning rate of this step, the family's trainStep,
// and the GPU checks that keep a broken step from being logged, sampled or saved.
import { disposeBatch, makeBatch } from '../data';
import { explainFailure, gpuFailure, injectGpuFault } from '../engine/gpu/webgpu';
import type { StepResult } from '../models';
import { gpuStopped } from './finish';
import { scheduledLr, setLearningRate } from './schedule';
import type { TrainingSession } from './session';

export interface TrainedStep {
  result: StepResult;
  /** The learning rate the step trained with. */
  lr: number;
  /** Wall time of the step, weight average included. */
  ms: number;
}

/** Trains on the next batch and advances s.step; a GPU failure throws one line (gpuStopped). */
export async function trainOneStep(s: TrainingSession): Promise<TrainedStep> {
  const { cfg } = s;
  const next = s.batches.next();
  s.epoch = next.epoch;
  const t0 = performance.now();
  // params.decayFrom: constant, then linear decay to 0 at the last step (CycleGAN's schedule).
  const lr = scheduledLr(cfg.optimizer.lr, s.step, cfg.params.decayFrom, s.total);
  for (const o of Object.values(s.optimizers)) setLearningRate(o, lr);
  const batch = makeBatch(s.ds, next.indices, cfg.imageSize, s.rng);
  let result: StepResult;
  injectGpuFault(s.step + 1);
  try {
    result = await s.family.trainStep({ nets: s.nets, optimizers: s.optimizers, spec: s.spec, rng: s.rng }, batch);
  } catch (e) {
    throw gpuStopped(s, await explainFailure(e));
  } finally {
    disposeBatch(batch);
  }
  // A lost or out-of-memory GPU can leave a step with wrong numbers and no exception:
  // nothing of this step is logged, sampled or saved then.
  const gpuProblem = gpuFailure();
  if (gpuProblem) throw gpuStopped(s, gpuProblem);
  s.averages?.update(s.step + 1);
  s.step++;
  return { result, lr, ms: performance.now() - t0 };
}
