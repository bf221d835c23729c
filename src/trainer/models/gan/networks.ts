// The original GAN's networks (Goodfellow et al. 2014) as MLPs with Keras' (Glorot)
// initialisation. Widths scale with ngf/ndf: at 64 the generator is 256-512-1024 and the
// discriminator 1024-512-256, the usual MNIST MLP-GAN.
import * as tf from '@tensorflow/tfjs';
import type { ModelSpec } from '../family';
import { dense, flatten, reshape } from '../blocks/convBlocks';

export function buildGanGenerator(spec: ModelSpec): tf.LayersModel {
  const { ngf, latentDim } = spec.params;
  const { imageSize: size, channels } = spec;
  const z = tf.input({ shape: [latentDim], name: 'z' });
  let h = z;
  for (const units of [ngf * 4, ngf * 8, ngf * 16]) h = dense(h, { units, activation: 'leakyRelu', init: 'glorot' });
  h = dense(h, { units: size * size * channels, activation: 'tanh', init: 'glorot' });
  return tf.model({ inputs: z, outputs: reshape(h, [size, size, channels]), name: 'generator' });
}

export function buildGanDiscriminator(spec: ModelSpec): tf.LayersModel {
  const { ndf, dropout } = spec.params;
  const image = tf.input({ shape: [spec.imageSize, spec.imageSize, spec.channels], name: 'image' });
  let h = flatten(image);
  for (const units of [ndf * 16, ndf * 8, ndf * 4]) h = dense(h, { units, activation: 'leakyRelu', dropout, init: 'glorot' });
  return tf.model({ inputs: image, outputs: dense(h, { units: 1, init: 'glorot' }), name: 'discriminator' });
}
