// Numerical health of a run, checked as it trains: NaN/Inf in a weight (a stop, like a NaN
// loss), a discriminator that wins outright for many steps, and a generator whose fixed-noise
// samples all look the same (mode collapse). The last two are warnings, not stops.
import * as tf from '@tensorflow/tfjs';
import type { ImageBatch } from '../engine/imageGrid';
import { takeScalars } from '../engine/read';
import type { Networks } from '../models/family';

/** "D loss ≈ 0": below this for DLOSS_ZERO_STEPS consecutive steps. */
export const DLOSS_ZERO = 1e-3;
export const DLOSS_ZERO_STEPS = 100;
/**
 * Mode collapse is judged against the run's own history of sample diversity (the grid's mean
 * pairwise RMS difference): an untrained generator's samples are all alike, so a low value at
 * the start is normal. No judgement before COLLAPSE_WARMUP_STEPS; after it, a warning when the
 * diversity stays below COLLAPSE_FRACTION of its peak since the warm-up for COLLAPSE_CHECKS
 * sample steps in a row. A peak below COLLAPSE_MIN_PEAK is no diversity to lose.
 */
export const COLLAPSE_WARMUP_STEPS = 100;
export const COLLAPSE_FRACTION = 0.25;
export const COLLAPSE_CHECKS = 3;
export const COLLAPSE_MIN_PEAK = 0.02;

/**
 * The first weight holding NaN or ±Inf, as "<network>/<weight name>", or undefined: a sum per
 * weight, all read in one download. (A sum is finite only if every element is: weights never
 * get near float32's overflow.)
 */
export async function firstNonFiniteWeight(nets: Networks): Promise<string | undefined> {
  const weights = Object.entries(nets).flatMap(([netName, m]) =>
    m.weights.map((w) => ({ name: `${netName}/${w.originalName}`, t: w.read() })),
  );
  if (!weights.length) return undefined;
  const sums = await takeScalars(
    tf.tidy(() => weights.map(({ t }) => tf.sum(t.dtype === 'float32' ? t : tf.cast(t, 'float32')))),
  );
  return weights[sums.findIndex((s) => !Number.isFinite(s))]?.name;
}

/** Mean root-mean-square difference over all pairs of images in the batch. */
export function meanPairwiseDistance(b: ImageBatch): number {
  const size = b.h * b.w * b.c;
  let sum = 0,
    pairs = 0;
  for (let i = 0; i < b.n; i++) {
    for (let j = i + 1; j < b.n; j++) {
      let d = 0;
      for (let k = 0; k < size; k++) {
        const x = b.data[i * size + k] - b.data[j * size + k];
        d += x * x;
      }
      sum += Math.sqrt(d / size);
      pairs++;
    }
  }
  return pairs ? sum / pairs : Infinity;
}

/** Watches the sample grid's diversity; says once per episode when it has collapsed. */
export class CollapseWatch {
  private peak = 0;
  private low = 0;

  /** `spread`: meanPairwiseDistance of this sample step's grid. A warning line, or undefined. */
  update(step: number, spread: number): string | undefined {
    if (step < COLLAPSE_WARMUP_STEPS || !Number.isFinite(spread)) return undefined;
    this.peak = Math.max(this.peak, spread);
    const fallen = this.peak >= COLLAPSE_MIN_PEAK && spread < COLLAPSE_FRACTION * this.peak;
    this.low = fallen ? this.low + 1 : 0;
    return this.low === COLLAPSE_CHECKS
      ? `possible mode collapse at step ${step}: the fixed-noise samples have been nearly alike for ${COLLAPSE_CHECKS} sample steps ` +
          `(mean difference ${spread.toFixed(4)}, down from ${this.peak.toFixed(4)} earlier in the run). ` +
          'Try a lower learning rate, a smaller "batchSize", or resume from an earlier checkpoint'
      : undefined;
  }
}

/** Counts consecutive near-zero D losses; says once per streak when it reaches the limit. */
export class DLossWatch {
  private streak = 0;
  /** Returns a warning line the step the streak reaches DLOSS_ZERO_STEPS. */
  update(step: number, dLoss: number | undefined): string | undefined {
    if (dLoss === undefined) return undefined;
    this.streak = Math.abs(dLoss) < DLOSS_ZERO ? this.streak + 1 : 0;
    return this.streak === DLOSS_ZERO_STEPS
      ? `dLoss has been below ${DLOSS_ZERO} for ${DLOSS_ZERO_STEPS} steps (step ${step}): the discriminator wins outright and the generator learns nothing. ` +
          'Try a lower discriminator learning rate, label smoothing, or a smaller "params.ndf"'
      : undefined;
  }
}

/** Test-only fault injection (GAN_TEST_INJECT_NAN=loss@<step> or weight@<step>): poisons one value at that step. */
export function injectedNan(step: number): 'loss' | 'weight' | undefined {
  const m = /^(loss|weight)@(\d+)$/.exec(process.env.GAN_TEST_INJECT_NAN ?? '');
  return m && Number(m[2]) === step ? (m[1] as 'loss' | 'weight') : undefined;
}

export function poisonFirstWeight(nets: Networks): void {
  const w = Object.values(nets)[0]?.weights[0];
  if (!w) return;
  const t = tf.fill(w.shape as number[], NaN);
  w.write(t);
  t.dispose();
}
