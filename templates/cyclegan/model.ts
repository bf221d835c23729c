// CycleGAN (Zhu et al. 2017): two ResNet generators (A -> B and B -> A) and two 70x70
// PatchGAN discriminators (one per domain), trained with the LSGAN loss and cycle consistency.
// Edit freely: the trainer compiles this file when training starts ("modelFile" in
// gan.config.json). Change a width, the number of residual blocks or the patch size, or build
// your own networks from conv / deconv / reflectionPad / resnetBlock, then Train.
//
// Contract: export buildGenerator(spec, name) and buildDiscriminator(spec, name), each
// returning a tf.LayersModel. Each is called twice; `name` says which network it builds
// (e.g. a generator for A -> B, then one for B -> A), use it as the model's name.
//  - generator:     image [size, size, channels] -> image of the other domain, same shape, in [-1, 1]
//  - discriminator: image -> a grid of scores, one per patch (no sigmoid: LSGAN)
// `spec` carries imageSize, channels and the config's "params" (ngf, ndf, residualBlocks, ...).
import * as tf from '@tensorflow/tfjs';
import { patchGan, resnetGenerator, type ModelSpec } from 'gan-studio';

// params.norm: instance norm as in the paper, or batch.
const normOf = (spec: ModelSpec) => (spec.params.norm === 'batch' ? 'batch' : 'instance');

export function buildGenerator(spec: ModelSpec, name: string): tf.LayersModel {
  const { ngf, residualBlocks } = spec.params;
  const size = spec.imageSize;
  const image = tf.input({ shape: [size, size, spec.channels], name: `${name}_input` });
  // c7s1-64, d128, d256 (two stride-2 convs), R256 x residualBlocks (6 up to 128 px, 9 at
  // 256 px), u128, u64 (two stride-2 transposed convs), c7s1-3 and tanh; reflection padding
  // around the 7x7 and 3x3 convs, norm and ReLU after each.
  const out = resnetGenerator(image, { outChannels: spec.channels, ngf, blocks: residualBlocks, norm: normOf(spec) });
  return tf.model({ inputs: image, outputs: out, name });
}

export function buildDiscriminator(spec: ModelSpec, name: string): tf.LayersModel {
  const { ndf } = spec.params;
  const size = spec.imageSize;
  const image = tf.input({ shape: [size, size, spec.channels], name: `${name}_input` });
  // C64-C128-C256-C512 (no norm on the first) then a 1-channel conv: one score per 70x70 patch.
  const scores = patchGan(image, { ndf, norm: normOf(spec), layers: 3 });
  return tf.model({ inputs: image, outputs: scores, name });
}
