// Faster gradients for ops the GAN models use on every step, registered over tfjs's own.
// Same mathematics, fewer full-size passes: tfjs's FusedBatchNorm gradient tiles the per-channel
// statistics up to the full activation shape and makes ~12 full-size temporaries; broadcasting
// needs ~5. The conformance suite compares these against tfjs's originals on the cpu backend.
import * as tf from '@tensorflow/tfjs';

type GradConfig = tf.GradConfig;
type NamedGrads = Record<string, () => tf.Tensor>;

const originals = new Map<string, GradConfig | undefined>();

const batchNormGrad: GradConfig = {
  kernelName: 'FusedBatchNorm',
  inputsToSave: ['x', 'mean', 'variance', 'scale'],
  gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[], attrs: tf.NamedAttrMap): NamedGrads => {
    const g = dy as tf.Tensor;
    const [x, mean, variance, scale] = saved;
    const eps = attrs.varianceEpsilon as number;
    const perChannel = mean.rank === 1 && variance.rank === 1 && (!scale || scale.rank === 1);
    if (!perChannel) return originals.get('FusedBatchNorm')!.gradFunc(dy, saved, attrs) as NamedGrads;
    const axes = [...Array(x.rank - 1).keys()];
    const gamma = scale ?? tf.scalar(1);
    // The two reductions are shared by several closures, so they are computed once, here:
    // tensors made inside one closure are disposed before the next one runs.
    const inv = tf.rsqrt(tf.add(variance, eps));
    const sdy = tf.sum(g, axes);
    const sdyxc = tf.sum(tf.mul(g, tf.sub(x, mean)), axes);
    return {
      x: () => tf.mul(g, tf.mul(gamma, inv)),
      mean: () => tf.neg(tf.mul(sdy, tf.mul(gamma, inv))),
      variance: () => tf.mul(tf.mul(sdyxc, gamma), tf.mul(tf.pow(inv, 3), -0.5)),
      scale: () => tf.mul(sdyxc, inv),
      offset: () => tf.clone(sdy),
    };
  },
};

const FAST: GradConfig[] = [batchNormGrad];

export function installFastGradients(): void {
  for (const g of FAST) {
    if (!originals.has(g.kernelName)) originals.set(g.kernelName, tf.getGradient(g.kernelName));
    tf.registerGradient(g);
  }
}

/** Puts tfjs's own gradients back (the conformance reference). */
export function uninstallFastGradients(): void {
  for (const g of originals.values()) if (g) tf.registerGradient(g);
}
