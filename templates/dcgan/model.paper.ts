// DCGAN with the networks of its paper (Radford et al. 2016), for your own pictures at 32, 64
// or 128 px. Edit freely: the trainer compiles this file when training starts ("modelFile"
// in gan.config.json). Change a width, a kernel size or a layer, then Train.
//
// Contract: export buildGenerator(spec) and buildDiscriminator(spec), each returning a
// tf.LayersModel.
//  - generator:     noise z [latentDim] -> image [imageSize, imageSize, channels] in [-1, 1] (tanh)
//  - discriminator: image -> one logit [1] (no sigmoid: the loss applies it)
// `spec` carries imageSize, channels, numClasses and the config's "params".
import * as tf from '@tensorflow/tfjs';
import { conv, deconv, flatten, reshape, type ModelSpec } from 'gan-studio';

// From 4x4 to imageSize, doubling: 3 stages at 32 px, 4 at 64, 5 at 128.
const stages = (spec: ModelSpec) => Math.log2(spec.imageSize / 4);

export function buildGenerator(spec: ModelSpec): tf.LayersModel {
  const { latentDim, ngf } = spec.params;
  const n = stages(spec);
  const z = tf.input({ shape: [latentDim], name: 'z' });
  // Project and reshape: z as a 1x1 image, to 4x4 with ngf * 8 channels at 64 px.
  let h = deconv(reshape(z, [1, 1, latentDim]), {
    filters: ngf * 2 ** (n - 1),
    kernelSize: 4,
    padding: 'valid',
    norm: 'batch',
    activation: 'relu',
  });
  // Fractional-strided convs: each doubles the size and halves the channels, down to ngf.
  for (let i = n - 2; i >= 0; i--)
    h = deconv(h, { filters: ngf * 2 ** i, kernelSize: 4, strides: 2, norm: 'batch', activation: 'relu' });
  const image = deconv(h, { filters: spec.channels, kernelSize: 4, strides: 2, useBias: false, activation: 'tanh' });
  return tf.model({ inputs: z, outputs: image, name: 'generator' });
}

export function buildDiscriminator(spec: ModelSpec): tf.LayersModel {
  const { ndf, dropout } = spec.params;
  const n = stages(spec);
  const image = tf.input({ shape: [spec.imageSize, spec.imageSize, spec.channels], name: 'image' });
  // Strided convs halve the size down to 4x4, doubling the channels; no batch norm on the input layer.
  let h = conv(image, {
    filters: ndf,
    kernelSize: 4,
    strides: 2,
    useBias: false,
    activation: 'leakyRelu',
    leak: 0.2,
    dropout,
  });
  for (let i = 1; i < n; i++)
    h = conv(h, {
      filters: ndf * 2 ** i,
      kernelSize: 4,
      strides: 2,
      norm: 'batch',
      activation: 'leakyRelu',
      leak: 0.2,
      dropout,
    });
  // The 4x4 map to one logit.
  const logit = flatten(conv(h, { filters: 1, kernelSize: 4, padding: 'valid', useBias: false }));
  return tf.model({ inputs: image, outputs: logit, name: 'discriminator' });
}
