// The 70x70 PatchGAN discriminator (pix2pix appendix 6.1.2, used unchanged by CycleGAN):
// C64-C128-C256-C512 then a 1-channel conv, 4x4 kernels, strides 2-2-2-1-1, LeakyReLU 0.2,
// no norm on the first block. Each output value judges one 70x70 patch of the input; the
// network is fully convolutional, so it runs on any size (30x30 patches at 256x256).
// Padding 1 as in the papers' code (explicit zero padding + valid convs give the same sizes).
// pix2pix's D sees the (input, output) pair concatenated on channels: `conditionChannels`.
import * as tf from '@tensorflow/tfjs';
import { conv, leaky, withNorm, zeroPad, type Norm } from './convBlocks';

export interface PatchGanOptions {
  imageSize: number;
  channels: number;
  /** Channels of the conditioning image (pix2pix: the input A); 0 = unconditional (CycleGAN). */
  conditionChannels: number;
  ndf: number;
  norm: Norm;
  /** Stride-2 blocks: 3 gives the 70x70 patch (1: 16x16, 2: 34x34, 4: 142x142). */
  layers?: number;
}

export function buildPatchGan(o: PatchGanOptions): tf.LayersModel {
  const n = o.layers ?? 3;
  const image = tf.input({ shape: [o.imageSize, o.imageSize, o.channels], name: 'image' });
  const cond = o.conditionChannels ? tf.input({ shape: [o.imageSize, o.imageSize, o.conditionChannels], name: 'condition' }) : undefined;
  let h = cond ? (tf.layers.concatenate({ name: 'pair' }).apply([cond, image]) as tf.SymbolicTensor) : image;
  h = leaky(conv(zeroPad(h, 'c1_pad'), o.ndf, 4, 2, 'c1', { bias: true, padding: 'valid' }), 'c1_lrelu');
  for (let i = 2; i <= n + 1; i++) {
    const stride = i <= n ? 2 : 1;
    h = conv(zeroPad(h, `c${i}_pad`), o.ndf * Math.min(8, 2 ** (i - 1)), 4, stride, `c${i}`, { bias: o.norm === 'none', padding: 'valid' });
    h = leaky(withNorm(h, o.norm, `c${i}`), `c${i}_lrelu`);
  }
  const out = conv(zeroPad(h, 'patch_pad'), 1, 4, 1, 'patch', { bias: true, padding: 'valid' });
  return tf.model({ inputs: cond ? [cond, image] : image, outputs: out, name: 'patchgan_discriminator' });
}

/** Receptive field and total stride of a model's conv stack, from its layers' kernels and strides. */
export function receptiveField(model: tf.LayersModel): { size: number; stride: number } {
  let size = 1, jump = 1;
  for (const l of model.layers) {
    const c = l.getConfig() as { kernelSize?: number[]; strides?: number[] };
    if (l.getClassName() !== 'Conv2D' || !c.kernelSize) continue;
    size += (c.kernelSize[0] - 1) * jump;
    jump *= c.strides?.[0] ?? 1;
  }
  return { size, stride: jump };
}
