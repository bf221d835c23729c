// SRGAN (Ledig et al. 2017): a residual generator upscales a low-resolution image by 2 or 4;
// a VGG-style discriminator tells real high-resolution crops from upscaled ones.
// Edit freely: the trainer compiles this file when training starts ("modelFile" in
// gan.config.json). Change the width, the number of residual blocks or a kernel, then Train.
//
// Contract: export buildGenerator(spec) and buildDiscriminator(spec), each returning a
// tf.LayersModel.
//  - generator:     low-resolution RGB [?, ?, 3] -> [?*scale, ?*scale, 3] in [-1, 1]. Keep the
//                   input size open ([null, null, 3]) so "gan upscale" works on any image.
//  - discriminator: high-resolution crop [imageSize, imageSize, 3] -> [logit, ...feature maps].
//                   The feature maps feed the content loss (in place of VGG features, which
//                   cannot be shipped): return at least one.
// `spec` carries imageSize, scale (dataset.scale) and the config's "params".
import * as tf from '@tensorflow/tfjs';
import {
  activation,
  add,
  bicubicUpsample,
  conv,
  dense,
  globalAvgPool,
  pixelShuffle,
  srResidualBlock,
  type ModelSpec,
} from 'gan-studio';

// The paper's generator (params.srBlock "resnet", srUpsampler "shuffle"); the other choices
// are the built-in srGenerator(lr, options) from 'gan-studio'. Convs are He-initialised.
export function buildGenerator(spec: ModelSpec): tf.LayersModel {
  const { ngf, residualBlocks, srBatchNorm } = spec.params;
  const scale = spec.scale ?? 4;
  const lr = tf.input({ shape: [null, null, 3], name: 'lr' });
  const head = conv(lr, { filters: ngf, kernelSize: 9, activation: 'prelu', init: 'he' });
  // B residual blocks (16 in the paper), then a conv and a skip over all of them.
  let h = head;
  for (let i = 0; i < residualBlocks; i++) h = srResidualBlock(h, { filters: ngf, batchNorm: srBatchNorm });
  h = add([head, conv(h, { filters: ngf, norm: srBatchNorm ? 'batch' : 'none', useBias: true, init: 'he' })]);
  // x2 per stage: conv to 4x the channels, pixel shuffle, PReLU.
  for (let s = scale; s > 1; s /= 2)
    h = activation(pixelShuffle(conv(h, { filters: ngf * 4, init: 'he' }), 2), 'prelu');
  const detail = conv(h, { filters: 3, kernelSize: 9, init: 'he' });
  // The network learns the detail on top of a fixed bicubic upscale: it starts as good as bicubic.
  const sr = add([bicubicUpsample(lr, scale), detail]);
  return tf.model({ inputs: lr, outputs: sr, name: `sr_generator_x${scale}` });
}

export function buildDiscriminator(spec: ModelSpec): tf.LayersModel {
  const { ndf } = spec.params;
  const image = tf.input({ shape: [spec.imageSize, spec.imageSize, 3], name: 'image' });
  const block = (x: tf.SymbolicTensor, filters: number, strides: number) =>
    conv(x, { filters, strides, norm: 'batch', activation: 'leakyRelu', init: 'glorot' });
  // k3n64s1 (no norm), then pairs of blocks doubling the width as stride 2 halves the size.
  let h = conv(image, { filters: ndf, activation: 'leakyRelu', init: 'glorot' });
  h = block(h, ndf, 2);
  h = block(h, ndf * 2, 1);
  const features1 = (h = block(h, ndf * 2, 2));
  h = block(h, ndf * 4, 1);
  const features2 = (h = block(h, ndf * 4, 2));
  h = block(h, ndf * 8, 1);
  h = block(h, ndf * 8, 2);
  // Global average pooling (any crop size), Dense(16*ndf), LeakyReLU, one logit.
  h = dense(globalAvgPool(h), { units: ndf * 16, activation: 'leakyRelu', init: 'glorot' });
  const logit = dense(h, { units: 1, init: 'glorot' });
  return tf.model({ inputs: image, outputs: [logit, features1, features2], name: 'sr_discriminator' });
}
