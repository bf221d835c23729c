// PyTorch's layers as tfjs ops, NHWC, inference only, for every backend (cpu, wasm, native,
// webgpu): weights converted from PyTorch's OIHW layout, pixel (un)shuffle in PyTorch's
// channel order, nearest upsampling by whole factors, and the reflection pad Real-ESRGAN uses
// to make an image's sides a multiple of its pixel_unshuffle factor.
import * as tf from '@tensorflow/tfjs';
import type { StateTensor } from './stateDict';
import { AbortError, reflectIndex } from '../upscale';

/** A 3x3 "same" convolution: filter HWIO, bias [out]. */
export interface Conv {
  filter: tf.Tensor4D;
  bias: tf.Tensor1D;
}

/** OIHW -> HWIO in plain JS (the file's floats are read once, on the CPU, at load). */
export function oihwToHwio(t: StateTensor, scale = 1): Float32Array {
  const [o, i, kh, kw] = t.shape;
  const src = t.data;
  const out = new Float32Array(src.length);
  for (let co = 0; co < o; co++)
    for (let ci = 0; ci < i; ci++)
      for (let y = 0; y < kh; y++)
        for (let x = 0; x < kw; x++)
          out[((y * kw + x) * i + ci) * o + co] = scale * src[((co * i + ci) * kh + y) * kw + x];
  return out;
}

/** A PyTorch Conv2d's weight and bias as a tfjs conv; `scale` multiplies both (folds a residual scale in). */
export function makeConv(weight: StateTensor, bias: StateTensor, scale = 1): Conv {
  const [o, i, kh, kw] = weight.shape;
  return {
    filter: tf.tensor4d(oihwToHwio(weight, scale), [kh, kw, i, o]),
    bias: tf.tensor1d(scale === 1 ? bias.data : bias.data.map((v) => v * scale)),
  };
}

/** Conv2d(3x3, stride 1, padding 1) + bias, optionally LeakyReLU(0.2) (fused: one native kernel). */
export function conv3(x: tf.Tensor4D, c: Conv, leaky = false): tf.Tensor4D {
  return tf.fused.conv2d({
    x,
    filter: c.filter,
    bias: c.bias,
    strides: 1,
    pad: 'same',
    activation: leaky ? 'leakyrelu' : 'linear',
    leakyreluAlpha: 0.2,
  });
}

export function disposeConv(c: Conv): void {
  c.filter.dispose();
  c.bias.dispose();
}

/**
 * torch.nn.functional.pixel_shuffle in NHWC: input channel c*r*r + i*r + j goes to pixel (i, j)
 * of channel c (C-major; tf.depthToSpace's order is (i*r + j)*C + c, a different one).
 */
export function pixelShuffle(x: tf.Tensor4D, r: number): tf.Tensor4D {
  const [n, h, w, crr] = x.shape;
  const c = crr / (r * r);
  // Batch and rows fold together (they stay adjacent), so the transpose is rank 5.
  const t = tf.transpose(tf.reshape(x, [n * h, w, c, r, r]), [0, 3, 1, 4, 2]); // [nh, i, w, j, c]
  return tf.reshape(t, [n, h * r, w * r, c]);
}

/** torch.nn.functional.pixel_unshuffle in NHWC: the inverse of pixelShuffle. */
export function pixelUnshuffle(x: tf.Tensor4D, r: number): tf.Tensor4D {
  const [n, hr, wr, c] = x.shape;
  const h = hr / r,
    w = wr / r;
  const t = tf.transpose(tf.reshape(x, [n * h, r, w, r, c]), [0, 2, 4, 1, 3]); // [nh, w, c, i, j]
  return tf.reshape(t, [n, h, w, c * r * r]);
}

/**
 * F.interpolate(mode='nearest', scale_factor=s) for a whole s: every pixel repeated s x s.
 * A broadcast multiply by ones (exact), not resizeNearestNeighbor (no backend's coordinate
 * rounding can shift a row) nor tile (webgpu reads small tiles back synchronously, which Node
 * cannot).
 */
export function nearestUp(x: tf.Tensor4D, s: number): tf.Tensor4D {
  const [n, h, w, c] = x.shape;
  const b = tf.mul(tf.reshape(x, [n * h, 1, w, 1, c]), tf.ones([1, s, 1, s, 1]));
  return tf.reshape(b, [n, h * s, w * s, c]);
}

/** Pads bottom and right to multiples of `m` by reflection, as Real-ESRGAN's inference does. */
export function padToMultiple(x: tf.Tensor4D, m: number): tf.Tensor4D {
  const [, h, w] = x.shape;
  const ph = (m - (h % m)) % m,
    pw = (m - (w % m)) % m;
  if (!ph && !pw) return x;
  if (ph < h && pw < w)
    return tf.mirrorPad(
      x,
      [
        [0, 0],
        [0, ph],
        [0, pw],
        [0, 0],
      ],
      'reflect',
    );
  // Too small to reflect that far (a side of 1 to 3 pixels): reflectIndex clamps.
  const rows = Array.from({ length: h + ph }, (_, i) => reflectIndex(i, h));
  const cols = Array.from({ length: w + pw }, (_, i) => reflectIndex(i, w));
  const g = tf.gather(x, tf.tensor1d(rows, 'int32'), 1);
  return tf.gather(g, tf.tensor1d(cols, 'int32'), 2);
}

/**
 * Applies the steps in order, each in its own tidy, freeing each intermediate result as soon as
 * the next exists (x itself is left alone): a deep network's activations kept to the end of one
 * tidy would hold gigabytes on a 256 px tile. Between steps it lets the event loop turn and
 * checks `cancelled`, so a cancel stops a heavy model (x4plus: a minute a tile on a CPU) within
 * one block rather than one tile.
 */
export async function chain(
  x: tf.Tensor4D,
  steps: readonly ((t: tf.Tensor4D) => tf.Tensor4D)[],
  cancelled?: () => boolean,
): Promise<tf.Tensor4D> {
  let cur = x;
  try {
    for (const step of steps) {
      const prev = cur;
      cur = tf.tidy(() => step(prev));
      if (prev !== x) prev.dispose();
      await new Promise<void>((r) => setImmediate(r));
      if (cancelled?.()) throw new AbortError('cancelled');
    }
    return cur;
  } catch (e) {
    if (cur !== x) cur.dispose();
    throw e;
  }
}
