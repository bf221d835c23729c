// The 70x70 PatchGAN discriminator (pix2pix appendix 6.1.2, used unchanged by CycleGAN):
// C64-C128-C256-C512 then a 1-channel conv, 4x4 kernels, strides 2-2-2-1-1, LeakyReLU 0.2,
// no norm on the first block. Each output value judges one 70x70 patch of the input; the
// network is fully convolutional, so it runs on any size (30x30 patches at 256x256).
// Padding 1 as in the papers' code (explicit zero padding + valid convs give the same sizes).
// pix2pix's D sees the (input, output) pair concatenated on channels: `conditionChannels`.
import * as tf from '@tensorflow/tfjs';
import { concat, conv, type Norm } from './convBlocks';

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

/** The PatchGAN from an image (or a pair concatenated on channels) to a grid of logits. */
export function patchGan(x: tf.SymbolicTensor, o: { ndf: number; layers?: number; norm?: Norm }): tf.SymbolicTensor {
  const n = o.layers ?? 3;
  let h = conv(x, { filters: o.ndf, kernelSize: 4, strides: 2, padding: 1, activation: 'leakyRelu', name: 'c1' });
  for (let i = 2; i <= n + 1; i++) {
    const filters = o.ndf * Math.min(8, 2 ** (i - 1));
    h = conv(h, { filters, kernelSize: 4, strides: i <= n ? 2 : 1, padding: 1, norm: o.norm ?? 'batch', activation: 'leakyRelu', name: `c${i}` });
  }
  return conv(h, { filters: 1, kernelSize: 4, padding: 1, name: 'patch' });
}

export function buildPatchGan(o: PatchGanOptions): tf.LayersModel {
  const image = tf.input({ shape: [o.imageSize, o.imageSize, o.channels], name: 'image' });
  const cond = o.conditionChannels ? tf.input({ shape: [o.imageSize, o.imageSize, o.conditionChannels], name: 'condition' }) : undefined;
  const h = cond ? concat([cond, image], 'pair') : image;
  return tf.model({ inputs: cond ? [cond, image] : image, outputs: patchGan(h, o), name: 'patchgan_discriminator' });
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
