// The pix2pix generator (Isola et al. 2017, appendix 6.1.1): a U-Net. The encoder halves the
// image with 4x4 stride-2 convs (C64-C128-C256-C512-C512-C512-C512-C512 at 256x256, down to
// 1x1), the decoder doubles it back, and each decoder block is concatenated with the encoder
// block of the same size (the skips that carry low-level detail across). Dropout 0.5 in the
// first three decoder blocks is the generator's noise and stays on at inference.
// Other sizes: as many halvings as the size allows, at most 8 (256 -> 1), at least 5.
import * as tf from '@tensorflow/tfjs';
import { AlwaysDropout } from '../blocks/alwaysDropout';
import { conv, convT, leaky, relu, withNorm, type Norm } from '../blocks/convBlocks';

export interface UnetOptions {
  imageSize: number;
  inChannels: number;
  outChannels: number;
  ngf: number;
  dropout: number;
  norm: Norm;
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

export function buildUnet(o: UnetOptions): tf.LayersModel {
  const d = unetDepth(o.imageSize);
  if (!d) throw new Error(`U-Net: image size ${o.imageSize} is not a multiple of ${2 ** UNET_MIN_DEPTH}`);
  const input = tf.input({ shape: [o.imageSize, o.imageSize, o.inChannels], name: 'input' });
  // Encoder: the outermost and innermost blocks have no norm (the paper's code: BN of a 1x1 map
  // with batch size 1 would zero it).
  const enc: tf.SymbolicTensor[] = [];
  let h = conv(input, width(o.ngf, 1), 4, 2, 'down_1', { bias: true });
  enc.push(h);
  for (let i = 2; i <= d; i++) {
    const inner = i === d;
    h = conv(leaky(h, `down_${i}_lrelu`), width(o.ngf, i), 4, 2, `down_${i}`, { bias: inner || o.norm === 'none' });
    if (!inner) h = withNorm(h, o.norm, `down_${i}`);
    enc.push(h);
  }
  // Decoder: up_i doubles level i's map to level i-1's size and is joined with encoder block i-1.
  for (let i = d; i >= 2; i--) {
    h = convT(relu(h, `up_${i}_relu`), width(o.ngf, i - 1), 4, `up_${i}`, o.norm === 'none');
    h = withNorm(h, o.norm, `up_${i}`);
    if (d - i < 3 && o.dropout > 0) h = new AlwaysDropout({ rate: o.dropout, name: `up_${i}_dropout` }).apply(h) as tf.SymbolicTensor;
    h = tf.layers.concatenate({ name: `skip_${i - 1}` }).apply([h, enc[i - 2]]) as tf.SymbolicTensor;
  }
  h = convT(relu(h, 'up_1_relu'), o.outChannels, 4, 'up_1', true);
  const out = tf.layers.activation({ activation: 'tanh', name: 'output' }).apply(h) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: out, name: 'unet_generator' });
}
