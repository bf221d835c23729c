// DCGAN (Radford et al. 2015) with the TensorFlow DCGAN tutorial's MNIST networks as the
// default: at imageSize 28, ngf 64, ndf 64, latentDim 100 these are exactly the tutorial's
// layers (and the PyTorch reference in ../shared/bench).
import * as tf from '@tensorflow/tfjs';
import type { ModelSpec } from '../family';
import { latentFamily } from '../common/latentFamily';

/** Generator body: z-like vector -> image in [-1, 1]. Spatial size starts at imageSize / 4. */
export function dcganGeneratorBody(x: tf.SymbolicTensor, spec: ModelSpec): tf.SymbolicTensor {
  const s = spec.imageSize / 4;
  const { ngf } = spec.params;
  const convT = (filters: number, strides: number, activation?: 'tanh') =>
    tf.layers.conv2dTranspose({ filters, kernelSize: 5, strides, padding: 'same', useBias: false, activation });
  let h = tf.layers.dense({ units: s * s * ngf * 4, useBias: false }).apply(x) as tf.SymbolicTensor;
  h = tf.layers.batchNormalization().apply(h) as tf.SymbolicTensor;
  h = tf.layers.leakyReLU().apply(h) as tf.SymbolicTensor;
  h = tf.layers.reshape({ targetShape: [s, s, ngf * 4] }).apply(h) as tf.SymbolicTensor;
  for (const [filters, strides] of [[ngf * 2, 1], [ngf, 2]]) {
    h = convT(filters, strides).apply(h) as tf.SymbolicTensor;
    h = tf.layers.batchNormalization().apply(h) as tf.SymbolicTensor;
    h = tf.layers.leakyReLU().apply(h) as tf.SymbolicTensor;
  }
  return convT(spec.channels, 2, 'tanh').apply(h) as tf.SymbolicTensor;
}

/** Discriminator body: image (plus any extra channels) -> one logit. */
export function dcganDiscriminatorBody(x: tf.SymbolicTensor, spec: ModelSpec): tf.SymbolicTensor {
  const { ndf, dropout } = spec.params;
  let h = x;
  for (const filters of [ndf, ndf * 2]) {
    h = tf.layers.conv2d({ filters, kernelSize: 5, strides: 2, padding: 'same' }).apply(h) as tf.SymbolicTensor;
    h = tf.layers.leakyReLU().apply(h) as tf.SymbolicTensor;
    h = tf.layers.dropout({ rate: dropout }).apply(h) as tf.SymbolicTensor;
  }
  h = tf.layers.flatten().apply(h) as tf.SymbolicTensor;
  return tf.layers.dense({ units: 1 }).apply(h) as tf.SymbolicTensor;
}

export const dcgan = latentFamily({
  kind: 'dcgan',
  conditional: false,
  buildGenerator(spec) {
    const z = tf.input({ shape: [spec.params.latentDim], name: 'z' });
    return tf.model({ inputs: z, outputs: dcganGeneratorBody(z, spec), name: 'generator' });
  },
  buildDiscriminator(spec) {
    const img = tf.input({ shape: [spec.imageSize, spec.imageSize, spec.channels], name: 'image' });
    return tf.model({ inputs: img, outputs: dcganDiscriminatorBody(img, spec), name: 'discriminator' });
  },
});
