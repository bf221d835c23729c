// pix2pix (Isola et al. 2017): a U-Net generator translates an input image into an output
// image; a 70x70 PatchGAN discriminator judges (input, output) pairs patch by patch.
// Edit freely: the trainer compiles this file when training starts ("modelFile" in
// gan.config.json). Change the widths, the dropout or the patch size, or build your own
// networks from conv / deconv / concat, then Train.
//
// Contract: export buildGenerator(spec) and buildDiscriminator(spec), each returning a
// tf.LayersModel.
//  - generator:     input image [size, size, channels] -> output image, same shape, in [-1, 1]
//  - discriminator: [input image, target or generated image] -> a grid of logits, one per patch
// `spec` carries imageSize, channels and the config's "params" (ngf, ndf, dropout, norm, ...).
import * as tf from '@tensorflow/tfjs';
import { concat, patchGan, unet, type ModelSpec } from 'gan-studio';

// params.norm: batch norm as in the paper at batch size 1, instance norm for larger batches
// ("auto" has been resolved by the time the spec gets here).
const normOf = (spec: ModelSpec) => (spec.params.norm === 'instance' ? 'instance' : 'batch');

export function buildGenerator(spec: ModelSpec): tf.LayersModel {
  const { ngf, dropout } = spec.params;
  const size = spec.imageSize;
  const input = tf.input({ shape: [size, size, spec.channels], name: 'input' });
  // Encoder C64-C128-C256-C512-C512-...: 4x4 convs at stride 2 halve the size (down to 1x1
  // at 256 px); the decoder mirrors it, each block joined with the encoder output of the same
  // size (the skip connections). Dropout in the first three decoder blocks stays on when
  // translating: it is the generator's noise, as in the paper.
  const output = unet(input, { outChannels: spec.channels, ngf, dropout, norm: normOf(spec) });
  return tf.model({ inputs: input, outputs: output, name: 'generator' });
}

export function buildDiscriminator(spec: ModelSpec): tf.LayersModel {
  const { ndf } = spec.params;
  const size = spec.imageSize;
  const input = tf.input({ shape: [size, size, spec.channels], name: 'input' });
  const target = tf.input({ shape: [size, size, spec.channels], name: 'target' });
  // The pair, stacked on channels: "is this a plausible translation of this input?"
  // C64-C128-C256-C512 then a 1-channel conv: one logit per 70x70 patch (layers: 2 = 34x34).
  const logits = patchGan(concat([input, target]), { ndf, norm: normOf(spec), layers: 3 });
  return tf.model({ inputs: [input, target], outputs: logits, name: 'discriminator' });
}
