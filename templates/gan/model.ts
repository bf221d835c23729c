// The original GAN (Goodfellow et al. 2014) as two small MLPs, for MNIST.
// Edit freely: the trainer compiles this file when training starts ("modelFile" in
// gan.config.json). Change a layer's width, add a layer, swap an activation, then Train.
//
// Contract: export buildGenerator(spec) and buildDiscriminator(spec), each returning a
// tf.LayersModel.
//  - generator:     noise z [latentDim] -> image [imageSize, imageSize, channels] in [-1, 1] (tanh)
//  - discriminator: image -> one logit [1] (no sigmoid: the loss applies it)
// `spec` carries imageSize, channels, numClasses and the config's "params".
import * as tf from '@tensorflow/tfjs';
import { dense, flatten, reshape, type ModelSpec } from 'gan-studio';

// Glorot initialisation for these MLPs; the blocks' default is the DCGAN paper's N(0, 0.02).
const init = 'glorot';

export function buildGenerator(spec: ModelSpec): tf.LayersModel {
  const { latentDim, ngf } = spec.params;
  const { imageSize: size, channels } = spec;
  const z = tf.input({ shape: [latentDim], name: 'z' });
  // 256 -> 512 -> 1024 hidden units at ngf 64.
  let h = dense(z, { units: ngf * 4, activation: 'leakyRelu', init });
  h = dense(h, { units: ngf * 8, activation: 'leakyRelu', init });
  h = dense(h, { units: ngf * 16, activation: 'leakyRelu', init });
  h = dense(h, { units: size * size * channels, activation: 'tanh', init });
  const image = reshape(h, [size, size, channels]);
  return tf.model({ inputs: z, outputs: image, name: 'generator' });
}

export function buildDiscriminator(spec: ModelSpec): tf.LayersModel {
  const { ndf, dropout } = spec.params;
  const image = tf.input({ shape: [spec.imageSize, spec.imageSize, spec.channels], name: 'image' });
  // 1024 -> 512 -> 256 hidden units at ndf 64, each with dropout.
  let h = flatten(image);
  h = dense(h, { units: ndf * 16, activation: 'leakyRelu', dropout, init });
  h = dense(h, { units: ndf * 8, activation: 'leakyRelu', dropout, init });
  h = dense(h, { units: ndf * 4, activation: 'leakyRelu', dropout, init });
  const logit = dense(h, { units: 1, init });
  return tf.model({ inputs: image, outputs: logit, name: 'discriminator' });
}
