// The learning-rate schedule of pix2pix/CycleGAN's code: constant until `decayFrom`, then
// linear decay to zero at the last step (CycleGAN: 100 epochs constant, 100 decaying).
// decayFrom 0 (or at/after the end) means constant. Step is the 0-based index of the update.
import type * as tf from '@tensorflow/tfjs';

export function scheduledLr(base: number, step: number, decayFrom: number, total: number): number {
  if (decayFrom <= 0 || decayFrom >= total || step < decayFrom) return base;
  return base * Math.max(0, 1 - (step - decayFrom) / (total - decayFrom));
}

/** Sets an optimizer's learning rate (tfjs's SGD-family optimizers read it at every update). */
export function setLearningRate(opt: tf.Optimizer, lr: number): void {
  const o = opt as unknown as { learningRate?: number };
  if (typeof o.learningRate === 'number') o.learningRate = lr;
}
