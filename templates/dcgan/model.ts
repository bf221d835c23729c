// DCGAN (Radford et al. 2015) with the networks of the TensorFlow DCGAN tutorial, for MNIST.
// Edit freely: the trainer compiles this file when training starts ("modelFile" in
// gan.config.json). Change a filter count, a kernel size or a layer, then Train.
//
// Contract: export buildGenerator(spec) and buildDiscriminator(spec), each returning a
// tf.LayersModel.
//  - generator:     noise z [latentDim] -> image [imageSize, imageSize, channels] in [-1, 1] (tanh)
//  - discriminator: image -> one logit [1] (no sigmoid: the loss applies it)
// `spec` carries imageSize, channels, numClasses and the config's "params".
import * as tf from '@tensorflow/tfjs';
import { conv, deconv, dense, flatten, reshape, type ModelSpec } from 'gan-studio';

// The tutorial's LeakyReLU slope (Keras' default; the DCGAN paper uses 0.2) and its
// initialisation, the framework default (Glorot normal; the paper's N(0, 0.02) is 'normal').
const leak = 0.3;
const init = 'glorot';

export function buildGenerator(spec: ModelSpec): tf.LayersModel {
  const { latentDim, ngf } = spec.params;
  const s = spec.imageSize / 4; // two stride-2 layers double it twice
  const z = tf.input({ shape: [latentDim], name: 'z' });
  let h = dense(z, { units: s * s * ngf * 4, norm: 'batch', activation: 'leakyRelu', leak, init });
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
  return tf.model({ inputs: z, outputs: image, name: 'generator' });
}

export function buildDiscriminator(spec: ModelSpec): tf.LayersModel {
  const { ndf, dropout } = spec.params;
  const image = tf.input({ shape: [spec.imageSize, spec.imageSize, spec.channels], name: 'image' });
  let h = conv(image, { filters: ndf, kernelSize: 5, strides: 2, activation: 'leakyRelu', leak, dropout, init });
  h = conv(h, { filters: ndf * 2, kernelSize: 5, strides: 2, activation: 'leakyRelu', leak, dropout, init });
  const logit = dense(flatten(h), { units: 1, init });
  return tf.model({ inputs: image, outputs: logit, name: 'discriminator' });
}
