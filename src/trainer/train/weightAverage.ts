// An exponential moving average (EMA) of a generator's weights, kept beside it as its own
// network ("generatorEma") and used for every sample: the preview grids, `gan sample` and
// the checkpoints' drawings. A GAN's weights circle around an equilibrium instead of
// settling; their average sits nearer the middle (Yazıcı et al. 2019, "The unusual
// effectiveness of averaging in GAN training"; ProGAN, StyleGAN and BigGAN all sample this
// way). Measured on the cGAN: README, "Does the cGAN draw the digit it is asked for?".
import * as tf from '@tensorflow/tfjs';
import { cloneModel } from '../engine/modelIO';
import type { ModelFamily, Networks } from '../models/family';

/** The checkpoint folder / network name of the average of `network`. */
export const averageName = (network: string): string => `${network}Ema`;

/** The network that draws samples in place of `network`: its average when one is among `available`. */
export function drawingNetwork(network: string, available: readonly string[]): string {
  return available.includes(averageName(network)) ? averageName(network) : network;
}

/**
 * The decay used at `step`: the configured one, lowered early in a run ((1 + step) / (10 + step),
 * as tf.train.ExponentialMovingAverage with num_updates does) so the random initial weights
 * fade out within the first hundred steps instead of the first few thousand.
 */
export function decayAt(decay: number, step: number): number {
  return Math.min(decay, (1 + step) / (10 + step));
}

export class WeightAverages {
  private constructor(
    private readonly pairs: Array<{ live: tf.LayersModel; average: tf.LayersModel }>,
    private readonly decay: number,
  ) {}

  /**
   * Makes `nets` hold an average for each of the family's averaged networks when decay > 0
   * (a copy of the live network when the run has none yet, e.g. a run started without one)
   * and none when decay is 0 (a stale average would otherwise keep drawing the samples).
   * Copying draws no random numbers (weights are loaded, not initialised), so the run's random
   * stream, and with it every training step, is the same with and without an average.
   */
  static async attach(family: ModelFamily, nets: Networks, decay: number): Promise<WeightAverages | undefined> {
    const names = family.averaged ?? [];
    if (!(decay > 0)) {
      for (const n of names.map(averageName)) {
        nets[n]?.dispose();
        delete nets[n];
      }
      return undefined;
    }
    for (const n of names) if (nets[n] && !nets[averageName(n)]) nets[averageName(n)] = await cloneModel(nets[n]);
    const pairs = names
      .filter((n) => nets[n] && nets[averageName(n)])
      .map((n) => ({ live: nets[n], average: nets[averageName(n)] }));
    return pairs.length ? new WeightAverages(pairs, decay) : undefined;
  }

  /** Folds the live weights in after training step `step` (1-based). */
  update(step: number): void {
    const d = decayAt(this.decay, step);
    tf.tidy(() => {
      for (const { live, average } of this.pairs) {
        // All weights, batch-norm moving statistics included, so the average is a complete network.
        const src = live.weights,
          dst = average.weights;
        for (let i = 0; i < dst.length; i++) {
          const a = dst[i].read() as tf.Variable;
          a.assign(tf.add(tf.mul(a, d), tf.mul(src[i].read(), 1 - d)));
        }
      }
    });
  }
}
