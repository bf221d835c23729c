// Super-resolution generators, all fully convolutional (any input size) and all learning a
// residual over a fixed bicubic upsampling path:
//  - "resnet" blocks (SRResNet, Ledig et al. 2017): conv-[BN]-act-conv-[BN] + skip;
//  - "rrdb" blocks (ESRGAN, Wang et al. 2018): residual-in-residual dense blocks, no BN,
//    residual scaling 0.2.
// Upsampling: "shuffle" = the papers' conv -> PixelShuffle(2) -> activation stages at HR and a
// 9x9 head/tail; "lr" = one conv to 3*s*s channels in low-resolution space and one
// PixelShuffle(s) (ESPCN style): every conv runs on the small image, which is what makes the
// shipped model fast on a CPU.
import * as tf from '@tensorflow/tfjs';
import { PixelShuffle } from '../blocks/pixelShuffle';
import { bicubicUpsampleKernel, SKIP_KERNEL } from '../blocks/bicubic';

export type SrBlock = 'resnet' | 'rrdb';
export type SrUpsampler = 'lr' | 'shuffle';

export interface SrGeneratorOptions {
  scale: number;
  channels: number;
  features: number;
  blocks: number;
  block: SrBlock;
  batchNorm: boolean;
  upsampler: SrUpsampler;
}

type S = tf.SymbolicTensor;
const ap = (layer: tf.layers.Layer, x: S | S[]) => layer.apply(x) as S;

function act(kind: 'prelu' | 'relu' | 'lrelu', x: S): S {
  if (kind === 'prelu') return ap(tf.layers.prelu({ sharedAxes: [1, 2] }), x);
  if (kind === 'lrelu') return ap(tf.layers.leakyReLU({ alpha: 0.2 }), x);
  return ap(tf.layers.reLU(), x);
}

const conv = (filters: number, kernelSize = 3, name?: string) =>
  tf.layers.conv2d({ filters, kernelSize, padding: 'same', kernelInitializer: 'heNormal', name });

/** Residual scaling as a fixed multiply (a Lambda-free layer that serializes). */
const scaled = (x: S, k: number) => ap(tf.layers.rescaling({ scale: k }), x);

function resnetBlock(x: S, o: SrGeneratorOptions, a: 'prelu' | 'relu'): S {
  let h = ap(conv(o.features), x);
  if (o.batchNorm) h = ap(tf.layers.batchNormalization(), h);
  h = act(a, h);
  h = ap(conv(o.features), h);
  if (o.batchNorm) h = ap(tf.layers.batchNormalization(), h);
  return ap(tf.layers.add(), [x, h]);
}

/** ESRGAN's dense block: 5 convs, each seeing all earlier outputs; growth = features / 2. */
function denseBlock(x: S, f: number): S {
  const g = Math.max(8, Math.floor(f / 2));
  const feats: S[] = [x];
  for (let i = 0; i < 4; i++) {
    // A copy: tfjs keeps the array it is given as the node's inputs, and feats grows.
    const inp = feats.length === 1 ? feats[0] : ap(tf.layers.concatenate(), [...feats]);
    feats.push(act('lrelu', ap(conv(g), inp)));
  }
  const out = ap(conv(f), ap(tf.layers.concatenate(), [...feats]));
  return ap(tf.layers.add(), [x, scaled(out, 0.2)]);
}

function rrdb(x: S, f: number): S {
  let h = x;
  for (let i = 0; i < 3; i++) h = denseBlock(h, f);
  return ap(tf.layers.add(), [x, scaled(h, 0.2)]);
}

export function buildSrGenerator(o: SrGeneratorOptions): tf.LayersModel {
  if (![2, 3, 4].includes(o.scale)) throw new Error(`scale must be 2, 3 or 4 (got ${o.scale})`);
  if (o.upsampler === 'shuffle' && o.scale === 3) throw new Error('the "shuffle" upsampler needs scale 2 or 4');
  const paper = o.upsampler === 'shuffle';
  const a = o.block === 'rrdb' ? 'lrelu' : paper ? 'prelu' : 'relu';
  const lr = tf.input({ shape: [null, null, 3], name: 'lr' });
  let head = ap(conv(o.features, paper ? 9 : 3), lr);
  if (o.block !== 'rrdb') head = act(a, head);
  let h = head;
  for (let i = 0; i < o.blocks; i++) h = o.block === 'rrdb' ? rrdb(h, o.features) : resnetBlock(h, o, a as 'prelu' | 'relu');
  h = ap(conv(o.features), h);
  if (o.batchNorm && o.block === 'resnet') h = ap(tf.layers.batchNormalization(), h);
  h = ap(tf.layers.add(), [head, h]);

  const skipLayer = tf.layers.conv2d({ filters: 3 * o.scale * o.scale, kernelSize: SKIP_KERNEL, padding: 'same', useBias: false, trainable: false, name: 'bicubic_skip' });
  const skip = ap(new PixelShuffle({ scale: o.scale, name: 'bicubic_shuffle' }), ap(skipLayer, lr));
  let out: S;
  if (paper) {
    for (let s = o.scale; s > 1; s /= 2) {
      h = ap(conv(o.features * 4), h);
      h = act(a, ap(new PixelShuffle({ scale: 2 }), h));
    }
    out = ap(conv(3, 9, 'to_rgb'), h);
  } else {
    // Small init of the last conv: the net starts as (nearly) plain bicubic.
    const last = tf.layers.conv2d({ filters: 3 * o.scale * o.scale, kernelSize: 3, padding: 'same', name: 'to_rgb',
      kernelInitializer: tf.initializers.randomNormal({ mean: 0, stddev: 1e-3 }) });
    out = ap(new PixelShuffle({ scale: o.scale, name: 'residual_shuffle' }), ap(last, h));
  }
  const y = ap(tf.layers.add({ name: 'sr' }), [skip, out]);
  const model = tf.model({ inputs: lr, outputs: y, name: `sr_generator_x${o.scale}` });
  const k = bicubicUpsampleKernel(o.scale, 3);
  skipLayer.setWeights([k]);
  k.dispose();
  return model;
}
