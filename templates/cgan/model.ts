// Conditional GAN (Mirza & Osindero 2014) on DCGAN networks, for MNIST: ask for a digit,
// get that digit. Edit freely: the trainer compiles this file when training starts
// ("modelFile" in gan.config.json).
//
// Contract: export buildGenerator(spec) and buildDiscriminator(spec), each returning a
// tf.LayersModel with TWO inputs, the second being the one-hot label [numClasses]:
//  - generator:     [z [latentDim], label] -> image [imageSize, imageSize, channels] in [-1, 1]
//  - discriminator: [image, label] -> one logit [1] (no sigmoid: the loss applies it)
// `spec` carries imageSize, channels, numClasses (10 for MNIST) and the config's "params".
import * as tf from '@tensorflow/tfjs';
import { concat, conv, deconv, dense, flatten, labelPlanes, reshape, type ModelSpec } from 'gan-studio';

// The TensorFlow tutorial's LeakyReLU slope and initialisation (Glorot, the framework default).
const leak = 0.3;
const init = 'glorot';

export function buildGenerator(spec: ModelSpec): tf.LayersModel {
  const { latentDim, ngf } = spec.params;
  const s = spec.imageSize / 4;
  const z = tf.input({ shape: [latentDim], name: 'z' });
  const label = tf.input({ shape: [spec.numClasses], name: 'label' });
  // The label joins the noise: the generator learns one mapping per class.
  let h = dense(concat([z, label]), { units: s * s * ngf * 4, norm: 'batch', activation: 'leakyRelu', leak, init });
  h = reshape(h, [s, s, ngf * 4]);
  h = deconv(h, { filters: ngf * 2, kernelSize: 5, strides: 1, norm: 'batch', activation: 'leakyRelu', leak, init });
  h = deconv(h, { filters: ngf, kernelSize: 5, strides: 2, norm: 'batch', activation: 'leakyRelu', leak, init });
  const image = deconv(h, {
    filters: spec.channels,
    kernelSize: 5,
    strides: 2,
    useBias: false,
    activation: 'tanh',
    init,
  });
  return tf.model({ inputs: [z, label], outputs: image, name: 'generator' });
}

export function buildDiscriminator(spec: ModelSpec): tf.LayersModel {
  const { ndf, dropout } = spec.params;
  const size = spec.imageSize;
  const image = tf.input({ shape: [size, size, spec.channels], name: 'image' });
  const label = tf.input({ shape: [spec.numClasses], name: 'label' });
  // The label as extra image channels: one constant plane per class.
  let h = concat([image, labelPlanes(label, size)]);
  h = conv(h, { filters: ndf, kernelSize: 5, strides: 2, activation: 'leakyRelu', leak, dropout, init });
  h = conv(h, { filters: ndf * 2, kernelSize: 5, strides: 2, activation: 'leakyRelu', leak, dropout, init });
  const logit = dense(flatten(h), { units: 1, init });
  return tf.model({ inputs: [image, label], outputs: logit, name: 'discriminator' });
}
