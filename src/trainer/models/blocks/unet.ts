// The pix2pix generator (Isola et al. 2017, appendix 6.1.1): a U-Net. The encoder halves the
// image with 4x4 stride-2 convs (C64-C128-C256-C512-C512-C512-C512-C512 at 256x256, down to
// 1x1), the decoder doubles it back, and each decoder block is concatenated with the encoder
// block of the same size (the skips that carry low-level detail across). Dropout in the first
// three decoder blocks is the generator's noise and stays on at inference.
// Other sizes: as many halvings as the size allows, at most 8 (256 -> 1), at least 5.
// Layers are ordered as in the paper's code: LeakyReLU/ReLU -> conv -> norm, so each skip
// carries a block's normalised output before its activation.
import * as tf from '@tensorflow/tfjs';
import { AlwaysDropout } from './alwaysDropout';
import { activation, ap, concat, conv, deconv, type Norm } from './convBlocks';

type S = tf.SymbolicTensor;

export interface UnetOptions {
  outChannels: number;
  ngf: number;
  /** Default batch (the paper's). */
  norm?: Norm;
  /** Rate of the always-on dropout; default 0.5 (the paper's). */
  dropout?: number;
  /** Decoder blocks with dropout; default 3. */
  dropoutBlocks?: number;
}

export const UNET_MAX_DEPTH = 8;
export const UNET_MIN_DEPTH = 5;

/** Halvings of the U-Net for a size: how often 2 divides it, at most 8; 0 when below 5 (the size doesn't fit). */
export function unetDepth(size: number): number {
  let d = 0;
  while (d < UNET_MAX_DEPTH && size % 2 ** (d + 1) === 0) d++;
  return d >= UNET_MIN_DEPTH ? d : 0;
}

/** Encoder width at level i (1-based): ngf, 2ngf, 4ngf, then 8ngf. */
const width = (ngf: number, i: number) => ngf * Math.min(8, 2 ** (i - 1));

/** The U-Net from an image [size, size, c] to [size, size, outChannels] in [-1, 1]. */
export function unet(x: S, o: UnetOptions): S {
  const size = x.shape[1] as number;
  const d = unetDepth(size);
  if (!d) throw new Error(`U-Net: image size ${size} is not a multiple of ${2 ** UNET_MIN_DEPTH}`);
  const norm = o.norm ?? 'batch', rate = o.dropout ?? 0.5;
  // Encoder: the outermost and innermost blocks have no norm (the paper's code: BN of a 1x1 map
  // with batch size 1 would zero it).
  const enc: S[] = [];
  let h = conv(x, { filters: width(o.ngf, 1), kernelSize: 4, strides: 2, name: 'down_1' });
  enc.push(h);
  for (let i = 2; i <= d; i++) {
    h = activation(h, 'leakyRelu', 0.2, `down_${i}_lrelu`);
    h = conv(h, { filters: width(o.ngf, i), kernelSize: 4, strides: 2, norm: i === d ? 'none' : norm, name: `down_${i}` });
    enc.push(h);
  }
  // Decoder: up_i doubles level i's map to level i-1's size and is joined with encoder block i-1.
  for (let i = d; i >= 2; i--) {
    h = deconv(activation(h, 'relu', 0, `up_${i}_relu`), { filters: width(o.ngf, i - 1), kernelSize: 4, strides: 2, norm, name: `up_${i}` });
    if (d - i < (o.dropoutBlocks ?? 3) && rate > 0) h = ap(new AlwaysDropout({ rate, name: `up_${i}_dropout` }), h);
    h = concat([h, enc[i - 2]], `skip_${i - 1}`);
  }
  h = deconv(activation(h, 'relu', 0, 'up_1_relu'), { filters: o.outChannels, kernelSize: 4, strides: 2, name: 'up_1' });
  return activation(h, 'tanh', 0, 'output');
}

// Encoder and decoder blocks of the TensorFlow pix2pix tutorial, for model files that build
// their own U-Net: conv -> norm -> activation, the skip taken after the activation.

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
