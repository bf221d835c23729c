// The CycleGAN generator (Zhu et al. 2017, appendix 7.2, after Johnson et al.):
// c7s1-64, d128, d256, R256 x blocks, u128, u64, c7s1-3 with reflection padding around the
// 7x7 and 3x3 convs, instance norm and ReLU; 6 residual blocks for 128x128 images, 9 for
// 256x256. The image is halved twice, so sizes must be multiples of 4.
import * as tf from '@tensorflow/tfjs';
import { ReflectionPadding2D } from '../blocks/reflectionPad';
import { conv, convT, relu, withNorm, zeroPad, type Norm } from '../blocks/convBlocks';

export interface ResnetGeneratorOptions {
  imageSize: number;
  channels: number;
  ngf: number;
  blocks: number;
  norm: Norm;
  name?: string;
}

const reflect = (x: tf.SymbolicTensor, p: number, name: string) => new ReflectionPadding2D({ padding: p, name }).apply(x) as tf.SymbolicTensor;

export function buildResnetGenerator(o: ResnetGeneratorOptions): tf.LayersModel {
  const bias = o.norm !== 'batch';
  const input = tf.input({ shape: [o.imageSize, o.imageSize, o.channels], name: 'input' });
  let h = conv(reflect(input, 3, 'c7_pad'), o.ngf, 7, 1, 'c7', { bias, padding: 'valid' });
  h = relu(withNorm(h, o.norm, 'c7'), 'c7_relu');
  for (let i = 1; i <= 2; i++) {
    // 3x3 stride 2 with padding 1, as the paper's code (zero padding + valid conv).
    h = conv(zeroPad(h, `d${i}_pad`), o.ngf * 2 ** i, 3, 2, `d${i}`, { bias, padding: 'valid' });
    h = relu(withNorm(h, o.norm, `d${i}`), `d${i}_relu`);
  }
  const width = o.ngf * 4;
  for (let b = 1; b <= o.blocks; b++) {
    const p = `res_${b}`;
    let r = conv(reflect(h, 1, `${p}_pad1`), width, 3, 1, `${p}_conv1`, { bias, padding: 'valid' });
    r = relu(withNorm(r, o.norm, `${p}_conv1`), `${p}_relu`);
    r = conv(reflect(r, 1, `${p}_pad2`), width, 3, 1, `${p}_conv2`, { bias, padding: 'valid' });
    r = withNorm(r, o.norm, `${p}_conv2`);
    h = tf.layers.add({ name: `${p}_add` }).apply([h, r]) as tf.SymbolicTensor;
  }
  for (let i = 1; i <= 2; i++) {
    h = convT(h, o.ngf * 2 ** (2 - i), 3, `u${i}`, bias);
    h = relu(withNorm(h, o.norm, `u${i}`), `u${i}_relu`);
  }
  h = conv(reflect(h, 3, 'out_pad'), o.channels, 7, 1, 'out_conv', { bias: true, padding: 'valid' });
  const out = tf.layers.activation({ activation: 'tanh', name: 'output' }).apply(h) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: out, name: o.name ?? 'resnet_generator' });
}

/** Residual blocks of a built generator (counts the blocks' skip additions). */
export const residualBlockCount = (m: tf.LayersModel) => m.layers.filter((l) => /^res_\d+_add$/.test(l.name)).length;
