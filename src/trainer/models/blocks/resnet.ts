// The CycleGAN generator (Zhu et al. 2017, appendix 7.2, after Johnson et al.):
// c7s1-64, d128, d256, R256 x blocks, u128, u64, c7s1-3 with reflection padding around the
// 7x7 and 3x3 convs, instance norm and ReLU; 6 residual blocks for 128x128 images, 9 for
// 256x256. The image is halved twice, so sizes must be multiples of 4. As in the paper's
// code the convs keep their bias unless a batch norm follows.
import * as tf from '@tensorflow/tfjs';
import { activation, add, conv, deconv, reflectionPad, type Norm } from './convBlocks';

type S = tf.SymbolicTensor;

export interface ResnetGeneratorOptions {
  outChannels: number;
  ngf: number;
  blocks: number;
  /** Default instance (the paper's). */
  norm?: Norm;
}

/** CycleGAN residual block: pad, 3x3 conv, norm, ReLU, pad, 3x3 conv, norm, + input. */
export function resnetBlock(x: S, o: { filters: number; norm?: Norm; padding?: 'reflect' | 'zero'; name?: string }): S {
  const norm = o.norm ?? 'instance', reflect = (o.padding ?? 'reflect') === 'reflect', p = o.name;
  const c = (h: S, i: number) => conv(reflect ? reflectionPad(h, 1, p && `${p}_pad${i}`) : h, {
    filters: o.filters, kernelSize: 3, padding: reflect ? 'valid' : 'same', norm, useBias: norm !== 'batch', name: p && `${p}_conv${i}`,
  });
  const r = c(activation(c(x, 1), 'relu', 0, p && `${p}_relu`), 2);
  return add([x, r], p && `${p}_add`);
}

export function resnetGenerator(x: S, o: ResnetGeneratorOptions): S {
  const norm = o.norm ?? 'instance';
  const c = { norm, useBias: norm !== 'batch', activation: 'relu' } as const;
  let h = conv(reflectionPad(x, 3, 'c7_pad'), { filters: o.ngf, kernelSize: 7, padding: 'valid', ...c, name: 'c7' });
  // 3x3 stride 2 with padding 1, as the paper's code.
  for (let i = 1; i <= 2; i++) h = conv(h, { filters: o.ngf * 2 ** i, kernelSize: 3, strides: 2, padding: 1, ...c, name: `d${i}` });
  for (let b = 1; b <= o.blocks; b++) h = resnetBlock(h, { filters: o.ngf * 4, norm, name: `res_${b}` });
  for (let i = 1; i <= 2; i++) h = deconv(h, { filters: o.ngf * 2 ** (2 - i), kernelSize: 3, strides: 2, ...c, name: `u${i}` });
  h = conv(reflectionPad(h, 3, 'out_pad'), { filters: o.outChannels, kernelSize: 7, padding: 'valid', name: 'out_conv' });
  return activation(h, 'tanh', 0, 'output');
}
