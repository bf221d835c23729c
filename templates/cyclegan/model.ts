// CycleGAN (Zhu et al. 2017): two ResNet generators (A -> B and B -> A) and two 70x70
// PatchGAN discriminators (one per domain), trained with the LSGAN loss and cycle consistency.
// Edit freely: the trainer compiles this file when training starts ("modelFile" in
// gan.config.json). Change a filter count or the number of residual blocks, then Train.
//
// Contract: export buildGenerator(spec, name) and buildDiscriminator(spec, name), each
// returning a tf.LayersModel. Each is called twice; `name` says which network it builds
// (e.g. a generator for A -> B, then one for B -> A), use it as the model's name.
//  - generator:     image [size, size, channels] -> image of the other domain, same shape, in [-1, 1]
//  - discriminator: image -> a grid of scores, one per patch (no sigmoid: LSGAN)
// `spec` carries imageSize, channels and the config's "params" (ngf, ndf, residualBlocks, ...).
import * as tf from '@tensorflow/tfjs';
import { conv, deconv, reflectionPad, resnetBlock, type ModelSpec } from 'gan-studio';

export function buildGenerator(spec: ModelSpec, name: string): tf.LayersModel {
  const { ngf, residualBlocks } = spec.params;
  const size = spec.imageSize;
  const image = tf.input({ shape: [size, size, spec.channels], name: `${name}_input` });
  // c7s1-64: 7x7 conv on a reflection-padded image, instance norm, ReLU.
  let h = conv(reflectionPad(image, 3), { filters: ngf, kernelSize: 7, padding: 'valid', norm: 'instance', activation: 'relu' });
  // d128, d256: two stride-2 convs.
  h = conv(h, { filters: ngf * 2, kernelSize: 3, strides: 2, norm: 'instance', activation: 'relu' });
  h = conv(h, { filters: ngf * 4, kernelSize: 3, strides: 2, norm: 'instance', activation: 'relu' });
  // R256 x residualBlocks (6 up to 128 px, 9 at 256 px).
  for (let i = 0; i < residualBlocks; i++) h = resnetBlock(h, { filters: ngf * 4, norm: 'instance', padding: 'reflect' });
  // u128, u64: two stride-2 transposed convs back to full size.
  h = deconv(h, { filters: ngf * 2, kernelSize: 3, strides: 2, norm: 'instance', activation: 'relu' });
  h = deconv(h, { filters: ngf, kernelSize: 3, strides: 2, norm: 'instance', activation: 'relu' });
  // c7s1-3: back to an image in [-1, 1].
  const out = conv(reflectionPad(h, 3), { filters: spec.channels, kernelSize: 7, padding: 'valid', activation: 'tanh' });
  return tf.model({ inputs: image, outputs: out, name });
}

export function buildDiscriminator(spec: ModelSpec, name: string): tf.LayersModel {
  const { ndf } = spec.params;
  const size = spec.imageSize;
  const image = tf.input({ shape: [size, size, spec.channels], name: `${name}_input` });
  // C64-C128-C256-C512 with instance norm (none on the first): 70x70 patches.
  let h = conv(image, { filters: ndf, kernelSize: 4, strides: 2, activation: 'leakyRelu' });
  h = conv(h, { filters: ndf * 2, kernelSize: 4, strides: 2, norm: 'instance', activation: 'leakyRelu' });
  h = conv(h, { filters: ndf * 4, kernelSize: 4, strides: 2, norm: 'instance', activation: 'leakyRelu' });
  h = conv(h, { filters: ndf * 8, kernelSize: 4, strides: 1, norm: 'instance', activation: 'leakyRelu' });
  const scores = conv(h, { filters: 1, kernelSize: 4, strides: 1 });
  return tf.model({ inputs: image, outputs: scores, name });
}
