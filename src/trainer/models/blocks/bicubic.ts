// Bicubic resampling expressed as fixed convolutions, so it runs inside tfjs graphs:
//  - upsampling by s = a 5x5 conv to 3*s*s channels + pixel shuffle (one conv filter per
//    sub-pixel phase): the generators' fixed skip path, so they only learn the residual
//    over bicubic and start as good as bicubic instead of from grey;
//  - antialiased downsampling by s = a strided separable conv with symmetric edges: how
//    training makes its low-resolution inputs on the fly, the same weights as imresize.
import * as tf from '@tensorflow/tfjs';
import { contributions, cubic } from '../../engine/image/resize';

export const SKIP_KERNEL = 5;

/** Weights [5, 5, C, C*s*s] in pixel-shuffle (DCR) channel order: (i*s + j)*C + c -> phase (i, j). */
export function bicubicUpsampleKernel(s: number, channels: number): tf.Tensor4D {
  const k = SKIP_KERNEL, half = (k - 1) / 2;
  // 1-D weights of phase i at tap d (LR offset d - half): cubic(centre offset - tap offset).
  const w1 = (i: number, d: number) => cubic((i + 0.5) / s - 0.5 - (d - half));
  const out = new Float32Array(k * k * channels * channels * s * s);
  const cout = channels * s * s;
  for (let ky = 0; ky < k; ky++) {
    for (let kx = 0; kx < k; kx++) {
      for (let i = 0; i < s; i++) {
        for (let j = 0; j < s; j++) {
          const w = w1(i, ky) * w1(j, kx);
          for (let c = 0; c < channels; c++) out[((ky * k + kx) * channels + c) * cout + (i * s + j) * channels + c] = w;
        }
      }
    }
  }
  return tf.tensor4d(out, [k, k, channels, cout]);
}

/** 1-D antialiased bicubic weights for shrinking by s, with the symmetric padding they need. */
export function downsampleTaps(s: number): { taps: Float32Array; padBefore: number; padAfter: number } {
  // An interior output pixel of a long row: every interior pixel has the same weights.
  const n = 64;
  const c = contributions(n * s, n, 1 / s, true);
  const x = n / 2;
  const first = c.index[x * c.taps];
  const taps = c.weight.slice(x * c.taps, (x + 1) * c.taps);
  const padBefore = x * s - first;
  return { taps, padBefore, padAfter: c.taps - padBefore - s };
}

/**
 * HR images [n, h, w, C] (h, w multiples of s) -> LR [n, h/s, w/s, C], antialiased bicubic,
 * symmetric edges, like imresize(hr, 1/s). Optionally rounded to 8-bit levels in [-1, 1] space.
 */
export function bicubicDownsample(hr: tf.Tensor4D, s: number, quantize = true): tf.Tensor4D {
  return tf.tidy(() => {
    const { taps, padBefore, padAfter } = downsampleTaps(s);
    const C = hr.shape[3];
    const K = taps.length;
    const col = tf.tile(tf.tensor4d(taps, [K, 1, 1, 1]), [1, 1, C, 1]) as tf.Tensor4D;
    const row = tf.reshape(col, [1, K, C, 1]) as tf.Tensor4D;
    let x = tf.mirrorPad(hr, [[0, 0], [padBefore, padAfter], [padBefore, padAfter], [0, 0]], 'symmetric');
    x = tf.depthwiseConv2d(x, col, [s, 1], 'valid');
    x = tf.depthwiseConv2d(x, row, [1, s], 'valid');
    if (!quantize) return x as tf.Tensor4D;
    // What saving the small image as 8-bit does: the model must learn from the inputs it will get.
    return tf.sub(tf.div(tf.round(tf.mul(tf.add(tf.clipByValue(x, -1, 1), 1), 127.5)), 127.5), 1) as tf.Tensor4D;
  });
}
