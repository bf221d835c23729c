// Conditional GAN (Mirza & Osindero 2014) on the DCGAN paper's networks (Radford et al. 2016),
// for your own labelled pictures (one subfolder per class) at 32, 64 or 128 px: ask for a
// class, get a picture of it. Edit freely: the trainer compiles this file when training
// starts ("modelFile" in gan.config.json).
//
// Contract: export buildGenerator(spec) and buildDiscriminator(spec), each returning a
// tf.LayersModel with TWO inputs, the second being the one-hot label [numClasses]:
//  - generator:     [z [latentDim], label] -> image [imageSize, imageSize, channels] in [-1, 1]
//  - discriminator: [image, label] -> one logit [1] (no sigmoid: the loss applies it)
// `spec` carries imageSize, channels, numClasses (your subfolders) and the config's "params".
import * as tf from '@tensorflow/tfjs';
import { concat, conv, deconv, flatten, labelPlanes, reshape, type ModelSpec } from 'gan-studio';

// From 4x4 to imageSize, doubling: 3 stages at 32 px, 4 at 64, 5 at 128.
const stages = (spec: ModelSpec) => Math.log2(spec.imageSize / 4);

export function buildGenerator(spec: ModelSpec): tf.LayersModel {
  const { latentDim, ngf } = spec.params;
  const n = stages(spec);
  const z = tf.input({ shape: [latentDim], name: 'z' });
  const label = tf.input({ shape: [spec.numClasses], name: 'label' });
  // The label joins the noise, then project and reshape to 4x4 (ngf * 8 channels at 64 px).
  const zl = reshape(concat([z, label]), [1, 1, latentDim + spec.numClasses]);
  let h = deconv(zl, {
    filters: ngf * 2 ** (n - 1),
    kernelSize: 4,
    padding: 'valid',
    norm: 'batch',
    activation: 'relu',
  });
  for (let i = n - 2; i >= 0; i--)
    h = deconv(h, { filters: ngf * 2 ** i, kernelSize: 4, strides: 2, norm: 'batch', activation: 'relu' });
  const image = deconv(h, { filters: spec.channels, kernelSize: 4, strides: 2, useBias: false, activation: 'tanh' });
  return tf.model({ inputs: [z, label], outputs: image, name: 'generator' });
}

export function buildDiscriminator(spec: ModelSpec): tf.LayersModel {
  const { ndf, dropout } = spec.params;
  const n = stages(spec);
  const size = spec.imageSize;
  const image = tf.input({ shape: [size, size, spec.channels], name: 'image' });
  const label = tf.input({ shape: [spec.numClasses], name: 'label' });
  // The label as extra image channels: one constant plane per class.
  let h = concat([image, labelPlanes(label, size)]);
  h = conv(h, { filters: ndf, kernelSize: 4, strides: 2, useBias: false, activation: 'leakyRelu', leak: 0.2, dropout });
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
  const logit = flatten(conv(h, { filters: 1, kernelSize: 4, padding: 'valid', useBias: false }));
  return tf.model({ inputs: [image, label], outputs: logit, name: 'discriminator' });
}
