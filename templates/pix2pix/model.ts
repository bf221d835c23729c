// pix2pix (Isola et al. 2017): a U-Net generator translates an input image into an output
// image; a 70x70 PatchGAN discriminator judges (input, output) pairs patch by patch.
// Edit freely: the trainer compiles this file when training starts ("modelFile" in
// gan.config.json). Change a filter count, the depth or the dropout, then Train.
//
// Contract: export buildGenerator(spec) and buildDiscriminator(spec), each returning a
// tf.LayersModel.
//  - generator:     input image [size, size, channels] -> output image, same shape, in [-1, 1]
//  - discriminator: [input image, target or generated image] -> a grid of logits, one per patch
// `spec` carries imageSize, channels and the config's "params" (ngf, ndf, lambdaL1, ...).
import * as tf from '@tensorflow/tfjs';
import { concat, conv, deconv, downsample, upsample, type ModelSpec } from 'gan-studio';

export function buildGenerator(spec: ModelSpec): tf.LayersModel {
  const { ngf } = spec.params;
  const size = spec.imageSize;
  const input = tf.input({ shape: [size, size, spec.channels], name: 'input' });

  // Encoder C64-C128-C256-C512-C512-...: 4x4 convs at stride 2 halve the size down to 1x1.
  const depth = Math.log2(size);
  const skips: tf.SymbolicTensor[] = [];
  let h = input;
  for (let i = 0; i < depth; i++) {
    const filters = ngf * Math.min(8, 2 ** i);
    // No batch norm on the first block (raw pixels) nor on the 1x1 bottleneck.
    h = downsample(h, { filters, norm: i === 0 || i === depth - 1 ? 'none' : 'batch' });
    skips.push(h);
  }
  // Decoder: mirrors the encoder; each block is concatenated with the encoder output of the
  // same size (the U-Net's skip connections). Dropout (params.dropout, the paper's 0.5) in the
  // first three; the trainer keeps it on when translating, as the paper does.
  for (let i = depth - 2; i >= 0; i--) {
    const filters = ngf * Math.min(8, 2 ** i);
    h = upsample(h, { filters, skip: skips[i], dropout: depth - 2 - i < 3 ? spec.params.dropout : 0 });
  }
  const output = deconv(h, { filters: spec.channels, kernelSize: 4, strides: 2, activation: 'tanh' });
  return tf.model({ inputs: input, outputs: output, name: 'generator' });
}

export function buildDiscriminator(spec: ModelSpec): tf.LayersModel {
  const { ndf } = spec.params;
  const size = spec.imageSize;
  const input = tf.input({ shape: [size, size, spec.channels], name: 'input' });
  const target = tf.input({ shape: [size, size, spec.channels], name: 'target' });
  // The pair, stacked on channels: "is this a plausible translation of this input?"
  let h = concat([input, target]);
  // C64-C128-C256-C512: receptive field 70x70 pixels per output logit.
  h = conv(h, { filters: ndf, kernelSize: 4, strides: 2, activation: 'leakyRelu' });
  h = conv(h, { filters: ndf * 2, kernelSize: 4, strides: 2, norm: 'batch', activation: 'leakyRelu' });
  h = conv(h, { filters: ndf * 4, kernelSize: 4, strides: 2, norm: 'batch', activation: 'leakyRelu' });
  h = conv(h, { filters: ndf * 8, kernelSize: 4, strides: 1, norm: 'batch', activation: 'leakyRelu' });
  const logits = conv(h, { filters: 1, kernelSize: 4, strides: 1 });
  return tf.model({ inputs: [input, target], outputs: logits, name: 'discriminator' });
}
