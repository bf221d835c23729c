// Every kernel and gradient the six model families use, as small functions of random inputs.
// Each case is run on a backend and on the pure-JS cpu reference: forward output and the
// gradient with respect to every input are compared.
import * as tf from '@tensorflow/tfjs';
import { pixelShuffle } from '../../src/trainer/models/blocks/pixelShuffle';
import { reflectionPad2d } from '../../src/trainer/models/blocks/reflectionPad';
import { InstanceNormalization } from '../../src/trainer/models/blocks/instanceNorm';

export interface Case {
  name: string;
  shapes: number[][];
  fn: (...xs: tf.Tensor[]) => tf.Tensor;
  /**
   * An independent formulation run on the cpu reference instead of fn, for the project's own
   * ops: comparing them with themselves on cpu would prove nothing about their gradients.
   */
  ref?: (...xs: tf.Tensor[]) => tf.Tensor;
}

/** Gathers along H and W with index maps: tf.gather's gradient (segment sum) is exact. */
function gatherHW(x: tf.Tensor, rows: number[], cols: number[]): tf.Tensor {
  return tf.gather(tf.gather(x, rows, 1), cols, 2);
}
const reflectIndex = (n: number, p: number) =>
  Array.from({ length: n + 2 * p }, (_, i) => {
    const j = i - p;
    return j < 0 ? -j : j >= n ? 2 * (n - 1) - j : j;
  });
function pixelShuffleByGather(x: tf.Tensor, r: number): tf.Tensor {
  const [n, h, w, crr] = x.shape;
  const c = crr / (r * r);
  const idx: number[] = [];
  for (let oh = 0; oh < h * r; oh++) {
    for (let ow = 0; ow < w * r; ow++) {
      for (let k = 0; k < c; k++) {
        const [hh, i, ww, j] = [Math.floor(oh / r), oh % r, Math.floor(ow / r), ow % r];
        idx.push((hh * w + ww) * crr + (i * r + j) * c + k);
      }
    }
  }
  return tf.reshape(tf.gather(tf.reshape(x, [n, h * w * crr]), idx, 1), [n, h * r, w * r, c]);
}

type Pad = 'same' | 'valid';
const cases: Case[] = [];
const s4 = (t: tf.Tensor) => t as tf.Tensor4D;

// conv2d: strides 1/2, same/valid, odd sizes, batch 1 and > 1, 1 and many channels.
for (const [n, h, w, ci, co, k] of [
  [1, 7, 9, 3, 4, 3],
  [3, 8, 8, 2, 5, 5],
  [2, 13, 11, 4, 3, 4],
  [4, 28, 28, 1, 8, 5],
]) {
  for (const stride of [1, 2]) {
    for (const pad of ['same', 'valid'] as Pad[]) {
      cases.push({
        name: `conv2d n${n} ${h}x${w}x${ci}->${co} k${k} s${stride} ${pad}`,
        shapes: [
          [n, h, w, ci],
          [k, k, ci, co],
        ],
        fn: (x, f) => tf.conv2d(s4(x), s4(f), stride, pad),
      });
      cases.push({
        name: `conv2dTranspose n${n} ${h}x${w}x${co}->${ci} k${k} s${stride} ${pad}`,
        shapes: [
          [n, h, w, co],
          [k, k, ci, co],
        ],
        fn: (x, f) => {
          const outH = pad === 'same' ? h * stride : (h - 1) * stride + k;
          const outW = pad === 'same' ? w * stride : (w - 1) * stride + k;
          return tf.conv2dTranspose(s4(x), s4(f), [n, outH, outW, ci], stride, pad);
        },
      });
    }
  }
}
// Convs big enough that webgpu runs the filter gradient (a dilated conv with the batch as
// channels, gpu/convGrads.ts) on tfjs's tiled Conv2DMMProgram with vec4, vec3 and scalar tiles
// (the small cases above take its im2col + matmul path), and a 1x1 conv (a plain matmul there).
cases.push({
  name: 'conv2d n4 14x14x64->128 k5 s2 same (DCGAN D)',
  shapes: [
    [4, 14, 14, 64],
    [5, 5, 64, 128],
  ],
  fn: (x, f) => tf.conv2d(s4(x), s4(f), 2, 'same'),
});
cases.push({
  name: 'conv2dTranspose n3 7x7x32->16 k5 s2 same (DCGAN G)',
  shapes: [
    [3, 7, 7, 32],
    [5, 5, 16, 32],
  ],
  fn: (x, f) => tf.conv2dTranspose(s4(x), s4(f), [3, 14, 14, 16], 2, 'same'),
});
// Shapes that take native's other gradient graphs (engine/native/gradGraphs.ts): the filter
// gradient as per-tap Gemms from 16 input channels, the input gradient as a flipped forward
// conv for stride 1 from 64 input channels (with an even kernel's uneven 'same' padding).
cases.push({
  name: 'conv2d n2 6x7x128->128 k3 s1 valid (residual block width)',
  shapes: [
    [2, 6, 7, 128],
    [3, 3, 128, 128],
  ],
  fn: (x, f) => tf.conv2d(s4(x), s4(f), 1, 'valid'),
});
cases.push({
  name: 'conv2d n1 5x6x128->128 k4 s1 same (uneven padding, wide)',
  shapes: [
    [1, 5, 6, 128],
    [4, 4, 128, 128],
  ],
  fn: (x, f) => tf.conv2d(s4(x), s4(f), 1, 'same'),
});
cases.push({
  name: "conv2d n1 10x9x64->3 k7 s1 valid (a generator's last conv)",
  shapes: [
    [1, 10, 9, 64],
    [7, 7, 64, 3],
  ],
  fn: (x, f) => tf.conv2d(s4(x), s4(f), 1, 'valid'),
});
cases.push({
  name: 'conv2d n2 9x8x16->8 k3 s2 same (strided taps, odd size)',
  shapes: [
    [2, 9, 8, 16],
    [3, 3, 16, 8],
  ],
  fn: (x, f) => tf.conv2d(s4(x), s4(f), 2, 'same'),
});
cases.push({
  name: 'conv2d n2 5x5x3->4 k1 s1 valid (1x1: a matmul)',
  shapes: [
    [2, 5, 5, 3],
    [1, 1, 3, 4],
  ],
  fn: (x, f) => tf.conv2d(s4(x), s4(f), 1, 'valid'),
});
cases.push({
  name: 'conv2d n5 9x9x12->9 k3 s2 valid (scalar tiles)',
  shapes: [
    [5, 9, 9, 12],
    [3, 3, 12, 9],
  ],
  fn: (x, f) => tf.conv2d(s4(x), s4(f), 2, 'valid'),
});
for (const activation of ['linear', 'relu', 'leakyrelu', 'sigmoid', 'elu'] as const) {
  cases.push({
    name: `fused conv2d + bias + ${activation}`,
    shapes: [[2, 9, 9, 3], [3, 3, 3, 6], [6]],
    fn: (x, f, b) =>
      tf.fused.conv2d({ x: s4(x), filter: s4(f), strides: 2, pad: 'same', bias: b, activation, leakyreluAlpha: 0.2 }),
  });
  cases.push({
    name: `fused matMul + bias + ${activation}`,
    shapes: [[5, 7], [7, 3], [3]],
    fn: (a, b, bias) =>
      tf.fused.matMul({ a: a as tf.Tensor2D, b: b as tf.Tensor2D, bias, activation, leakyreluAlpha: 0.2 }),
  });
}
cases.push({
  name: 'conv2d 4x4 s2 same (PatchGAN block)',
  shapes: [
    [2, 16, 16, 6],
    [4, 4, 6, 8],
  ],
  fn: (x, f) => tf.conv2d(s4(x), s4(f), 2, 'same'),
});
cases.push({
  name: 'conv2d 4x4 s1 valid (PatchGAN head)',
  shapes: [
    [1, 10, 10, 8],
    [4, 4, 8, 1],
  ],
  fn: (x, f) => tf.conv2d(s4(x), s4(f), 1, 'valid'),
});
cases.push({
  name: 'conv2d 7x7 valid (CycleGAN stem)',
  shapes: [
    [1, 14, 14, 3],
    [7, 7, 3, 4],
  ],
  fn: (x, f) => tf.conv2d(s4(x), s4(f), 1, 'valid'),
});
// pix2pix / CycleGAN: the U-Net and ResNet up-convs, PyTorch-style padding 1 (explicit pad + valid),
// the seeded always-on dropout, and the L1 + LSGAN terms.
cases.push({
  name: 'conv2dTranspose 4x4 s2 same (U-Net up)',
  shapes: [
    [2, 4, 4, 8],
    [4, 4, 3, 8],
  ],
  fn: (x, f) => tf.conv2dTranspose(s4(x), s4(f), [2, 8, 8, 3], 2, 'same'),
});
cases.push({
  name: 'conv2dTranspose 3x3 s2 same (ResNet G up)',
  shapes: [
    [1, 5, 5, 6],
    [3, 3, 4, 6],
  ],
  fn: (x, f) => tf.conv2dTranspose(s4(x), s4(f), [1, 10, 10, 4], 2, 'same'),
});
/** Zero-pad 1 then a stride-2 valid conv: how the PatchGAN and the ResNet G go down a level. */
const padConvS2 = (x: tf.Tensor, f: tf.Tensor) =>
  tf.conv2d(
    tf.pad(s4(x), [
      [0, 0],
      [1, 1],
      [1, 1],
      [0, 0],
    ]),
    s4(f),
    2,
    'valid',
  );
cases.push({
  name: 'pad 1 + conv2d 4x4 s2 valid (PatchGAN)',
  shapes: [
    [2, 16, 16, 6],
    [4, 4, 6, 8],
  ],
  fn: padConvS2,
});
cases.push({
  name: 'pad 1 + conv2d 3x3 s2 valid (ResNet G down)',
  shapes: [
    [1, 12, 12, 4],
    [3, 3, 4, 8],
  ],
  fn: padConvS2,
});
cases.push({
  name: 'dropout 0.5, seeded (pix2pix U-Net)',
  shapes: [[2, 6, 6, 4]],
  fn: (x) => tf.dropout(x, 0.5, undefined, 7),
});
cases.push({
  name: 'L1 + LSGAN terms',
  shapes: [
    [2, 5, 5, 3],
    [2, 5, 5, 3],
  ],
  fn: (x, y) => tf.add(tf.mean(tf.abs(tf.sub(x, y))), tf.mean(tf.square(tf.sub(x, 1)))),
});
for (const [ta, tb] of [
  [false, false],
  [true, false],
  [false, true],
  [true, true],
]) {
  cases.push({
    name: `matMul transposeA=${ta} transposeB=${tb}`,
    shapes: [ta ? [6, 4] : [4, 6], tb ? [5, 6] : [6, 5]],
    fn: (a, b) => tf.matMul(a, b, ta, tb),
  });
}
cases.push({
  name: 'batched matMul',
  shapes: [
    [3, 4, 6],
    [3, 6, 2],
  ],
  fn: (a, b) => tf.matMul(a, b),
});
// A long inner dimension with a small output (webgpu: split-K, 4 values at a time), every
// transpose: its transposed-B read was wrong (engine/gpu/webgpuFixes.ts).
for (const [ta, tb] of [
  [false, false],
  [true, false],
  [false, true],
  [true, true],
]) {
  cases.push({
    name: `matMul 8x4096x100 (long inner dim) transposeA=${ta} transposeB=${tb}`,
    shapes: [ta ? [4096, 8] : [8, 4096], tb ? [100, 4096] : [4096, 100]],
    fn: (a, b) => tf.matMul(a, b, ta, tb),
  });
}
cases.push({
  name: 'fused matMul + bias + relu 8x4096x100 (dense layer, long inner dim)',
  shapes: [[8, 4096], [4096, 100], [100]],
  fn: (a, b, bias) => tf.fused.matMul({ a: a as tf.Tensor2D, b: b as tf.Tensor2D, bias, activation: 'relu' }),
});
cases.push({
  name: 'dense 100->12544 (DCGAN G input)',
  shapes: [
    [2, 100],
    [100, 12544],
  ],
  fn: (a, b) => tf.matMul(a, b),
});
cases.push({
  name: 'pixelShuffle x2',
  shapes: [[2, 3, 5, 12]],
  fn: (x) => pixelShuffle(s4(x), 2),
  ref: (x) => pixelShuffleByGather(x, 2),
});
cases.push({
  name: 'pixelShuffle x3',
  shapes: [[1, 4, 3, 18]],
  fn: (x) => pixelShuffle(s4(x), 3),
  ref: (x) => pixelShuffleByGather(x, 3),
});
cases.push({
  name: 'reflectionPad2d 3',
  shapes: [[2, 6, 7, 2]],
  fn: (x) => reflectionPad2d(s4(x), [3, 3]),
  ref: (x) => gatherHW(x, reflectIndex(6, 3), reflectIndex(7, 3)),
});
cases.push({
  name: 'reflectionPad2d 1x2',
  shapes: [[1, 4, 5, 3]],
  fn: (x) => reflectionPad2d(s4(x), [1, 2]),
  ref: (x) => gatherHW(x, reflectIndex(4, 1), reflectIndex(5, 2)),
});
// The layer's gradient is written by hand (instanceNorm's customGrad); the reference is
// tfjs's autodiff of the textbook formula.
const instanceNormByMoments = (x: tf.Tensor) => {
  const { mean, variance } = tf.moments(x, [1, 2], true);
  return tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, 1e-5)));
};
cases.push({
  name: 'instance norm',
  shapes: [[2, 6, 5, 3]],
  fn: (x) => new InstanceNormalization({ affine: false }).apply(x) as tf.Tensor,
  ref: instanceNormByMoments,
});
cases.push({
  name: 'instance norm, one image, 16x16, large mean',
  shapes: [[1, 16, 16, 4]],
  fn: (x) => new InstanceNormalization({ affine: false }).apply(tf.add(tf.mul(x, 3), 5)) as tf.Tensor,
  ref: (x) => instanceNormByMoments(tf.add(tf.mul(x, 3), 5)),
});
// From 4096 elements native reduces in onnxruntime (engine/native/kernels.ts makeReduce):
// norms and bias gradients at sizes that take that path.
cases.push({
  name: 'sum over N, H, W (a bias gradient), 4x16x16x16',
  shapes: [[4, 16, 16, 16]],
  fn: (x) => tf.sum(x, [0, 1, 2]),
});
cases.push({
  name: 'mean over H, W, keepDims, and over everything, 2x24x24x8',
  shapes: [[2, 24, 24, 8]],
  fn: (x) => tf.add(tf.mean(x, [1, 2], true), tf.mean(x)),
});
cases.push({
  name: 'instance norm 2x24x24x8',
  shapes: [[2, 24, 24, 8]],
  fn: (x) => new InstanceNormalization({ affine: false }).apply(x) as tf.Tensor,
  ref: instanceNormByMoments,
});
cases.push({
  name: 'batch norm (training) 4x16x16x16',
  shapes: [[4, 16, 16, 16], [16], [16]],
  fn: (x, g, b) => {
    const { mean, variance } = tf.moments(x, [0, 1, 2]);
    return tf.batchNorm(x, mean, variance, b, g, 1e-3);
  },
});
cases.push({
  name: 'batch norm (training) + leakyRelu + tanh',
  shapes: [[4, 5, 5, 3], [3], [3]],
  fn: (x, g, b) => {
    const { mean, variance } = tf.moments(x, [0, 1, 2]);
    return tf.tanh(tf.leakyRelu(tf.batchNorm(x, mean, variance, b, g, 1e-3), 0.3));
  },
});
cases.push({
  name: 'sigmoid cross-entropy on logits',
  shapes: [[8, 1]],
  fn: (x) => tf.losses.sigmoidCrossEntropy(tf.onesLike(x), x),
});
cases.push({
  name: 'concat label planes (cGAN D input)',
  shapes: [
    [2, 4, 4, 1],
    [2, 4, 4, 3],
  ],
  fn: (x, y) => tf.concat([x, y], 3),
});

// SRGAN: PReLU with per-channel slopes (SRResNet), relativistic D loss, L1 pixel loss, the
// dense-block concat (ESRGAN), global average pooling (D head). The forward-only ops that make
// LR inputs in training (symmetric pad + strided depthwise filter; no gradient, and wasm has no
// depthwise backprop kernel) are checked against the JS resampler in test/unit/srModel.test.ts.
cases.push({
  name: 'prelu (per channel, shared over H and W)',
  shapes: [
    [2, 5, 4, 3],
    [1, 1, 3],
  ],
  fn: (x, a) => tf.prelu(x, a),
});
cases.push({
  name: 'relativistic average D loss',
  shapes: [
    [6, 1],
    [6, 1],
  ],
  fn: (r, f) =>
    tf.add(tf.mean(tf.softplus(tf.neg(tf.sub(r, tf.mean(f))))), tf.mean(tf.softplus(tf.sub(f, tf.mean(r))))),
});
cases.push({
  name: 'L1 pixel loss',
  shapes: [
    [2, 6, 6, 3],
    [2, 6, 6, 3],
  ],
  fn: (a, b) => tf.mean(tf.abs(tf.sub(a, b))),
});
cases.push({
  name: 'dense-block concat + 3x3 conv + global average pool',
  shapes: [
    [2, 6, 6, 4],
    [2, 6, 6, 2],
    [3, 3, 6, 5],
  ],
  fn: (x, y, f) => tf.mean(tf.conv2d(s4(tf.concat([x, y], 3)), s4(f), 1, 'same'), [1, 2]),
});
export const CASES = cases;
