// The DCGAN networks (Radford et al. 2015) with the TensorFlow DCGAN tutorial's MNIST layers
// as the default: at imageSize 28, ngf 64, ndf 64, latentDim 100 these are exactly the
// tutorial's layers, initialised as in the paper (N(0, 0.02)). cGAN builds on the bodies.
import * as tf from '@tensorflow/tfjs';
import type { ModelSpec } from '../family';
import { deconv, dense, conv, flatten, reshape } from '../blocks/convBlocks';

/** The tutorial's LeakyReLU slope (Keras' default); the paper uses 0.2. */
const leak = 0.3;

/** Generator body: z-like vector -> image in [-1, 1]. Spatial size starts at imageSize / 4. */
export function dcganGeneratorBody(x: tf.SymbolicTensor, spec: ModelSpec): tf.SymbolicTensor {
  const s = spec.imageSize / 4;
  const { ngf } = spec.params;
  const o = { norm: 'batch', activation: 'leakyRelu', leak } as const;
  let h = reshape(dense(x, { units: s * s * ngf * 4, ...o }), [s, s, ngf * 4]);
  for (const [filters, strides] of [[ngf * 2, 1], [ngf, 2]]) h = deconv(h, { filters, kernelSize: 5, strides, ...o });
  return deconv(h, { filters: spec.channels, kernelSize: 5, strides: 2, useBias: false, activation: 'tanh' });
}

/** Discriminator body: image (plus any extra channels) -> one logit. */
export function dcganDiscriminatorBody(x: tf.SymbolicTensor, spec: ModelSpec): tf.SymbolicTensor {
  const { ndf, dropout } = spec.params;
  let h = x;
  for (const filters of [ndf, ndf * 2]) h = conv(h, { filters, kernelSize: 5, strides: 2, activation: 'leakyRelu', leak, dropout });
  return dense(flatten(h), { units: 1 });
}

export function buildDcganGenerator(spec: ModelSpec): tf.LayersModel {
  const z = tf.input({ shape: [spec.params.latentDim], name: 'z' });
  return tf.model({ inputs: z, outputs: dcganGeneratorBody(z, spec), name: 'generator' });
}

export function buildDcganDiscriminator(spec: ModelSpec): tf.LayersModel {
  const img = tf.input({ shape: [spec.imageSize, spec.imageSize, spec.channels], name: 'image' });
  return tf.model({ inputs: img, outputs: dcganDiscriminatorBody(img, spec), name: 'discriminator' });
}
