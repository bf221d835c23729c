// The "gan-studio" module a model file imports: the project's building blocks as functions
// from symbolic tensor to symbolic tensor, so a model file reads like the paper's figure.
// Every block is made of standard tfjs layers or of the project's serializable custom layers
// (InstanceNormalization, ReflectionPadding2D, PixelShuffle), so checkpoints load anywhere.
// The declarations users see are templates/_project/types/gan-studio.d.ts; a compile-time
// check (test/unit/blocksDecl.check.ts) keeps the two identical.
import * as tf from '@tensorflow/tfjs';
import { InstanceNormalization } from '../models/blocks/instanceNorm';
import { PixelShuffle } from '../models/blocks/pixelShuffle';
import { ReflectionPadding2D } from '../models/blocks/reflectionPad';
import { bicubicUpsampleKernel, SKIP_KERNEL } from '../models/blocks/bicubic';

export type { ModelSpec } from '../models/family';
export type { ParamsConfig } from '../../shared/config';

type S = tf.SymbolicTensor;
const ap = (layer: tf.layers.Layer, x: S | S[]) => layer.apply(x) as S;

export type Norm = 'batch' | 'instance' | 'none';
export type Activation = 'relu' | 'leakyRelu' | 'prelu' | 'tanh' | 'sigmoid' | 'linear';

export interface BlockOptions {
  /** Normalisation after the layer: batch (DCGAN, pix2pix), instance (CycleGAN) or none. Default none. */
  norm?: Norm;
  /** Activation after the normalisation. Default linear (none). */
  activation?: Activation;
  /** Negative slope of leakyRelu. Default 0.2 (the papers' value). */
  leak?: number;
  /** Dropout rate after the activation; 0 = none. */
  dropout?: number;
  name?: string;
}

export interface ConvOptions extends BlockOptions {
  filters: number;
  /** Default 3. */
  kernelSize?: number;
  /** Default 1. */
  strides?: number;
  /** Default "same". */
  padding?: 'same' | 'valid';
  /** Default: true unless a batch/instance norm follows (its shift makes a bias redundant). */
  useBias?: boolean;
}

/** Normalisation layer by name (none returns x unchanged). */
export function norm(x: S, kind: Norm = 'batch'): S {
  if (kind === 'batch') return ap(tf.layers.batchNormalization(), x);
  if (kind === 'instance') return ap(new InstanceNormalization(), x);
  return x;
}

/** Activation layer by name (linear returns x unchanged). */
export function activation(x: S, kind: Activation = 'relu', leak = 0.2): S {
  switch (kind) {
    case 'relu': return ap(tf.layers.reLU(), x);
    case 'leakyRelu': return ap(tf.layers.leakyReLU({ alpha: leak }), x);
    // One slope per channel, shared over the image (SRGAN's PReLU).
    case 'prelu': return ap(tf.layers.prelu({ sharedAxes: x.shape.length === 4 ? [1, 2] : undefined }), x);
    case 'tanh': return ap(tf.layers.activation({ activation: 'tanh' }), x);
    case 'sigmoid': return ap(tf.layers.activation({ activation: 'sigmoid' }), x);
    default: return x;
  }
}

function finish(h: S, o: BlockOptions): S {
  h = norm(h, o.norm ?? 'none');
  h = activation(h, o.activation ?? 'linear', o.leak);
  return o.dropout ? ap(tf.layers.dropout({ rate: o.dropout }), h) : h;
}

const hasNorm = (o: BlockOptions) => (o.norm ?? 'none') !== 'none';

/** Conv2D -> norm -> activation -> dropout. */
export function conv(x: S, o: ConvOptions): S {
  const layer = tf.layers.conv2d({
    filters: o.filters, kernelSize: o.kernelSize ?? 3, strides: o.strides ?? 1, padding: o.padding ?? 'same',
    useBias: o.useBias ?? !hasNorm(o), name: o.name,
  });
  return finish(ap(layer, x), o);
}

/** Conv2DTranspose (stride 2 doubles the size) -> norm -> activation -> dropout. */
export function deconv(x: S, o: ConvOptions): S {
  const layer = tf.layers.conv2dTranspose({
    filters: o.filters, kernelSize: o.kernelSize ?? 3, strides: o.strides ?? 1, padding: o.padding ?? 'same',
    useBias: o.useBias ?? !hasNorm(o), name: o.name,
  });
  return finish(ap(layer, x), o);
}

/** Dense -> norm -> activation -> dropout. */
export function dense(x: S, o: BlockOptions & { units: number; useBias?: boolean }): S {
  return finish(ap(tf.layers.dense({ units: o.units, useBias: o.useBias ?? !hasNorm(o), name: o.name }), x), o);
}

export const reshape = (x: S, shape: number[]): S => ap(tf.layers.reshape({ targetShape: shape }), x);
export const flatten = (x: S): S => ap(tf.layers.flatten(), x);
/** Concatenates on the channel (last) axis. */
export const concat = (xs: S[]): S => ap(tf.layers.concatenate({ axis: -1 }), xs);
export const add = (xs: S[]): S => ap(tf.layers.add(), xs);
export const globalAvgPool = (x: S): S => ap(tf.layers.globalAveragePooling2d({}), x);

/** Instance normalisation (Ulyanov et al. 2016): each image and channel over its own H x W. */
export const instanceNorm = (x: S, affine = false): S => ap(new InstanceNormalization({ affine }), x);
/** Reflection padding of H and W by `pad` on each side, with an exact gradient. */
export const reflectionPad = (x: S, pad: number): S => ap(new ReflectionPadding2D({ padding: pad }), x);
/** Sub-pixel upsampling (Shi et al. 2016): [h, w, c*r*r] -> [h*r, w*r, c]. */
export const pixelShuffle = (x: S, scale: number): S => ap(new PixelShuffle({ scale }), x);

/**
 * Fixed (non-trainable) bicubic upsampling of a 3-channel image by `scale`, as a 5x5 conv +
 * pixel shuffle: a super-resolution generator adds its output to this, so it only learns the
 * detail bicubic misses.
 */
export function bicubicUpsample(x: S, scale: number, name = 'bicubic_skip'): S {
  const channels = x.shape[x.shape.length - 1] ?? 3;
  const layer = tf.layers.conv2d({ filters: channels * scale * scale, kernelSize: SKIP_KERNEL, padding: 'same', useBias: false, trainable: false, name });
  const y = ap(new PixelShuffle({ scale }), ap(layer, x));
  const k = bicubicUpsampleKernel(scale, channels);
  layer.setWeights([k]);
  k.dispose();
  return y;
}

/** cGAN: a one-hot label [classes] as `size` x `size` x classes constant planes, to concatenate to an image. */
export function labelPlanes(label: S, size: number): S {
  const classes = label.shape[label.shape.length - 1] as number;
  return ap(tf.layers.upSampling2d({ size: [size, size] }), reshape(label, [1, 1, classes]));
}

// ---- the papers' blocks ----------------------------------------------------------------------

/** pix2pix encoder block Ck: 4x4 conv, stride 2, norm, LeakyReLU 0.2. */
export function downsample(x: S, o: { filters: number; norm?: Norm }): S {
  return conv(x, { filters: o.filters, kernelSize: 4, strides: 2, norm: o.norm ?? 'batch', activation: 'leakyRelu', leak: 0.2 });
}

/** pix2pix decoder block (C|CD)k: 4x4 transposed conv, stride 2, norm, dropout, ReLU; then the skip is concatenated. */
export function upsample(x: S, o: { filters: number; skip?: S; dropout?: number; norm?: Norm }): S {
  let h = deconv(x, { filters: o.filters, kernelSize: 4, strides: 2, norm: o.norm ?? 'batch' });
  if (o.dropout) h = ap(tf.layers.dropout({ rate: o.dropout }), h);
  h = activation(h, 'relu');
  return o.skip ? concat([h, o.skip]) : h;
}

/**
 * The pix2pix U-Net (Isola et al. 2017): encoder widths ngf, 2ngf, 4ngf, 8ngf, 8ngf, ... down
 * to 1x1, decoder mirrored with skip connections, dropout 0.5 in the first three decoder blocks.
 */
export function unet(x: S, o: { outChannels: number; ngf: number; norm?: Norm; dropoutBlocks?: number }): S {
  const size = x.shape[1] as number;
  const depth = Math.round(Math.log2(size));
  const widths = Array.from({ length: depth }, (_, i) => o.ngf * Math.min(8, 2 ** i));
  const skips: S[] = [];
  let h = x;
  widths.forEach((f, i) => {
    // The first encoder block has no norm, the innermost neither (1x1: nothing to normalise).
    h = downsample(h, { filters: f, norm: i === 0 || i === depth - 1 ? 'none' : (o.norm ?? 'batch') });
    skips.push(h);
  });
  for (let i = depth - 2; i >= 0; i--) {
    const dropout = depth - 2 - i < (o.dropoutBlocks ?? 3) ? 0.5 : 0;
    h = upsample(h, { filters: widths[i], skip: skips[i], dropout, norm: o.norm });
  }
  return deconv(h, { filters: o.outChannels, kernelSize: 4, strides: 2, activation: 'tanh' });
}

/** CycleGAN residual block: pad, 3x3 conv, norm, ReLU, pad, 3x3 conv, norm, + input. */
export function resnetBlock(x: S, o: { filters: number; norm?: Norm; padding?: 'reflect' | 'zero' }): S {
  const reflect = (o.padding ?? 'reflect') === 'reflect';
  const c = (h: S, act: Activation) => conv(reflect ? reflectionPad(h, 1) : h, {
    filters: o.filters, kernelSize: 3, padding: reflect ? 'valid' : 'same', norm: o.norm ?? 'instance', activation: act,
  });
  return add([x, c(c(x, 'relu'), 'linear')]);
}

/** SRResNet residual block (Ledig et al. 2017): conv, [BN], PReLU, conv, [BN], + input. */
export function srResidualBlock(x: S, o: { filters: number; batchNorm?: boolean }): S {
  const n: Norm = (o.batchNorm ?? true) ? 'batch' : 'none';
  const h = conv(x, { filters: o.filters, kernelSize: 3, norm: n, activation: 'prelu' });
  return add([x, conv(h, { filters: o.filters, kernelSize: 3, norm: n })]);
}

/**
 * PatchGAN discriminator body (pix2pix, CycleGAN): C(ndf)-C(2ndf)-C(4ndf) at stride 2, then
 * C(8ndf) at stride 1 and a 1-channel conv: one logit per 70x70 patch with layers = 3.
 */
export function patchGan(x: S, o: { ndf: number; layers?: number; norm?: Norm }): S {
  const n = o.layers ?? 3;
  let h = conv(x, { filters: o.ndf, kernelSize: 4, strides: 2, activation: 'leakyRelu' });
  for (let i = 1; i <= n; i++) {
    h = conv(h, { filters: o.ndf * Math.min(8, 2 ** i), kernelSize: 4, strides: i < n ? 2 : 1, norm: o.norm ?? 'batch', activation: 'leakyRelu' });
  }
  return conv(h, { filters: 1, kernelSize: 4, strides: 1 });
}
