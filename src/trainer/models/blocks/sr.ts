// Super-resolution blocks. Generators are fully convolutional (any input size) and learn a
// residual over a fixed bicubic upsampling path:
//  - "resnet" blocks (SRResNet, Ledig et al. 2017): conv-[BN]-act-conv-[BN] + skip;
//  - "rrdb" blocks (ESRGAN, Wang et al. 2018): residual-in-residual dense blocks, no BN,
//    residual scaling 0.2.
// Upsampling: "shuffle" = the papers' conv -> PixelShuffle(2) -> activation stages at HR and a
// 9x9 head/tail; "lr" = one conv to 3*s*s channels in low-resolution space and one
// PixelShuffle(s) (ESPCN style): every conv runs on the small image, which is what makes the
// shipped model fast on a CPU. Convs are He-initialised.
import * as tf from '@tensorflow/tfjs';
import { activation, add, ap, concat, conv, dense, globalAvgPool, norm, pixelShuffle, type Activation, type Init } from './convBlocks';
import { bicubicUpsampleKernel, SKIP_KERNEL } from './bicubic';

type S = tf.SymbolicTensor;

export type SrBlock = 'resnet' | 'rrdb';
export type SrUpsampler = 'lr' | 'shuffle';

export interface SrGeneratorOptions {
  scale: number;
  features: number;
  blocks: number;
  block: SrBlock;
  batchNorm: boolean;
  upsampler: SrUpsampler;
}

/**
 * Fixed (non-trainable) bicubic upsampling of an image by `scale`, as a 5x5 conv + pixel
 * shuffle: a super-resolution generator adds its output to this, so it only learns the detail
 * bicubic misses. Zero-initialised before the kernel is set: it draws no random numbers.
 */
export function bicubicUpsample(x: S, scale: number, name = 'bicubic_skip'): S {
  const channels = x.shape[x.shape.length - 1] ?? 3;
  const layer = tf.layers.conv2d({ filters: channels * scale * scale, kernelSize: SKIP_KERNEL, padding: 'same', useBias: false, trainable: false, kernelInitializer: 'zeros', name });
  const y = pixelShuffle(ap(layer, x), scale, name === 'bicubic_skip' ? 'bicubic_shuffle' : undefined);
  const k = bicubicUpsampleKernel(scale, channels);
  layer.setWeights([k]);
  k.dispose();
  return y;
}

/** SRResNet residual block (Ledig et al. 2017): conv, [BN], PReLU, conv, [BN], + input. */
export function srResidualBlock(x: S, o: { filters: number; batchNorm?: boolean; activation?: Activation; init?: Init }): S {
  // Biases kept before the batch norms, as in the SRGAN networks so far.
  const c = { filters: o.filters, norm: (o.batchNorm ?? true) ? 'batch' : 'none', useBias: true, init: o.init ?? 'he' } as const;
  return add([x, conv(conv(x, { ...c, activation: o.activation ?? 'prelu' }), c)]);
}

/** ESRGAN's dense block: 5 convs, each seeing all earlier outputs; growth = features / 2. */
function denseBlock(x: S, f: number): S {
  const g = Math.max(8, Math.floor(f / 2));
  const feats: S[] = [x];
  for (let i = 0; i < 4; i++) {
    // A copy: tfjs keeps the array it is given as the node's inputs, and feats grows.
    const inp = feats.length === 1 ? feats[0] : concat([...feats]);
    feats.push(conv(inp, { filters: g, activation: 'leakyRelu', init: 'he' }));
  }
  return add([x, scaled(conv(concat([...feats]), { filters: f, init: 'he' }), 0.2)]);
}

/** Residual scaling as a fixed multiply (a Lambda-free layer that serializes). */
const scaled = (x: S, k: number) => ap(tf.layers.rescaling({ scale: k }), x);

/** ESRGAN's residual-in-residual dense block. */
export function rrdb(x: S, features: number): S {
  let h = x;
  for (let i = 0; i < 3; i++) h = denseBlock(h, features);
  return add([x, scaled(h, 0.2)]);
}

/** Low-resolution RGB [?, ?, 3] -> [?*scale, ?*scale, 3]. */
export function srGenerator(lr: S, o: SrGeneratorOptions): S {
  if (![2, 3, 4].includes(o.scale)) throw new Error(`scale must be 2, 3 or 4 (got ${o.scale})`);
  if (o.upsampler === 'shuffle' && o.scale === 3) throw new Error('the "shuffle" upsampler needs scale 2 or 4');
  const paper = o.upsampler === 'shuffle', f = o.features;
  const a = o.block === 'rrdb' ? 'leakyRelu' : paper ? 'prelu' : 'relu';
  const head = conv(lr, { filters: f, kernelSize: paper ? 9 : 3, activation: o.block === 'rrdb' ? 'linear' : a, init: 'he' });
  let h = head;
  for (let i = 0; i < o.blocks; i++) h = o.block === 'rrdb' ? rrdb(h, f) : srResidualBlock(h, { filters: f, batchNorm: o.batchNorm, activation: a });
  h = add([head, conv(h, { filters: f, norm: o.batchNorm && o.block === 'resnet' ? 'batch' : 'none', useBias: true, init: 'he' })]);
  const skip = bicubicUpsample(lr, o.scale);
  let out: S;
  if (paper) {
    for (let s = o.scale; s > 1; s /= 2) h = activation(pixelShuffle(conv(h, { filters: f * 4, init: 'he' }), 2), a);
    out = conv(h, { filters: 3, kernelSize: 9, init: 'he', name: 'to_rgb' });
  } else {
    // Small init of the last conv: the net starts as (nearly) plain bicubic.
    const last = tf.layers.conv2d({ filters: 3 * o.scale * o.scale, kernelSize: 3, padding: 'same', name: 'to_rgb',
      kernelInitializer: tf.initializers.randomNormal({ mean: 0, stddev: 1e-3 }) });
    out = pixelShuffle(ap(last, h), o.scale, 'residual_shuffle');
  }
  return add([skip, out], 'sr');
}

/**
 * The SRGAN discriminator body (Ledig et al. 2017): VGG-style conv stacks, width doubling as
 * the stride-2 convs halve the size, BN + LeakyReLU(0.2), then Dense(16*ndf) and one logit;
 * global average pooling instead of flattening (any patch size, a small dense layer).
 * Returns the logit and two intermediate feature maps (the shippable content loss).
 */
export function srDiscriminator(img: S, o: { ndf: number; batchNorm?: boolean }): S[] {
  const ndf = o.ndf;
  const block = (x: S, filters: number, strides: number, bn: boolean) => {
    const h = conv(x, { filters, strides, useBias: !bn, init: 'glorot' });
    return activation(bn ? norm(h, 'batch', { init: 'glorot', momentum: 0.9 }) : h, 'leakyRelu');
  };
  let h = block(img, ndf, 1, false);
  const features: S[] = [];
  const plan: [number, number][] = [[ndf, 2], [ndf * 2, 1], [ndf * 2, 2], [ndf * 4, 1], [ndf * 4, 2], [ndf * 8, 1], [ndf * 8, 2]];
  plan.forEach(([f, s], i) => {
    h = block(h, f, s, o.batchNorm ?? true);
    if (i === 2 || i === 4) features.push(h); // after the 2nd and 3rd downsampling
  });
  h = dense(globalAvgPool(h), { units: ndf * 16, activation: 'leakyRelu', init: 'glorot' });
  return [dense(h, { units: 1, init: 'glorot', name: 'logit' }), ...features];
}
