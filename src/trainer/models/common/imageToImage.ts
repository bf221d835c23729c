// What pix2pix and CycleGAN share outside the networks: the normalisation choice, how a
// generator runs at inference, and the sample grid's rows built from fixed example images.
import * as tf from '@tensorflow/tfjs';
import type { ModelSpec, SampleRequest, TranslateInput } from '../family';
import type { Norm } from '../blocks/convBlocks';

export const resolveNorm = (spec: ModelSpec, paper: Norm): Norm => (spec.params.norm === 'auto' || !spec.params.norm ? paper : spec.params.norm);

/**
 * Runs a generator for inference. pix2pix (`paperTestMode`) runs "in exactly the same manner
 * as during the training phase" (Isola et al. sec. 3.3): batch norm with the statistics of
 * the image at hand, one image at a time so every image is translated the same way whatever
 * it is batched with (its dropout is a layer that is always on). CycleGAN's instance norm
 * has no training mode; it runs as usual.
 */
export function runGenerator(G: tf.LayersModel, x: tf.Tensor4D, paperTestMode: boolean): tf.Tensor4D {
  return tf.tidy(() => {
    if (!paperTestMode) return G.apply(x, { training: false }) as tf.Tensor4D;
    const n = x.shape[0];
    const outs = Array.from({ length: n }, (_, i) => G.apply(tf.slice(x, [i, 0, 0, 0], [1, -1, -1, -1]), { training: true }) as tf.Tensor4D);
    return n === 1 ? outs[0] : tf.concat(outs, 0);
  });
}

/** Interleaves columns [n, h, w, c] each into grid order: row i = column 0 image i, column 1 image i, ... */
export function gridRows(columns: tf.Tensor4D[]): tf.Tensor4D {
  return tf.tidy(() => {
    const [n, h, w, c] = columns[0].shape;
    const stacked = tf.stack(columns.map((t) => tf.clipByValue(t, -1, 1)), 1);
    return tf.reshape(stacked, [n * columns.length, h, w, c]) as tf.Tensor4D;
  });
}

/** Generator inputs from fixed examples (copies: the caller disposes them independently). */
export function exampleInputs(kind: string, req: SampleRequest): TranslateInput {
  if (!req.examples) throw new Error(`${kind} translates images: its samples need example images (use gan translate for your own)`);
  return { kind: 'translate', a: tf.clone(req.examples.images), b: tf.clone(req.examples.targets) };
}

