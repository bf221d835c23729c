// Laplacian pyramids of image batches in plain floats, for the sliced Wasserstein distance
// (swd.ts). Each level keeps the detail of one octave: level i is the blurred image at 1/2^i
// scale minus its own coarser version upsampled; the last level is the coarsest blurred image.
import type { ImageBatch } from '../../engine/imageGrid';

/** The binomial 5-tap filter (1 4 6 4 1)/16: a cheap Gaussian. */
const TAPS = [1 / 16, 4 / 16, 6 / 16, 4 / 16, 1 / 16];

/** Levels stop where halving would leave a side shorter than this (a 7x7 neighbourhood needs room). */
export const MIN_LEVEL_SIDE = 8;

/** Separable blur along one axis (x when horizontal), borders clamped; `gain` scales the result. */
function blurAxis(src: ImageBatch, horizontal: boolean, gain = 1): ImageBatch {
  const { n, h, w, c } = src,
    d = src.data;
  const out = new Float32Array(d.length);
  const len = horizontal ? w : h,
    stride = horizontal ? c : w * c;
  // Offsets of the 5 taps at each position along the axis, clamped at the borders.
  const offs = new Int32Array(len * 5);
  for (let p = 0; p < len; p++)
    for (let t = 0; t < 5; t++) offs[p * 5 + t] = (Math.min(len - 1, Math.max(0, p + t - 2)) - p) * stride;
  const k0 = TAPS[0] * gain,
    k1 = TAPS[1] * gain,
    k2 = TAPS[2] * gain;
  for (let i = 0; i < n; i++) {
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const o = (horizontal ? x : y) * 5,
          base = ((i * h + y) * w + x) * c;
        for (let ch = 0; ch < c; ch++) {
          const b = base + ch;
          out[b] =
            k0 * (d[b + offs[o]] + d[b + offs[o + 4]]) + k1 * (d[b + offs[o + 1]] + d[b + offs[o + 3]]) + k2 * d[b];
        }
      }
    }
  }
  return { data: out, n, h, w, c };
}

const blur = (b: ImageBatch, gain = 1) => blurAxis(blurAxis(b, true, Math.sqrt(gain)), false, Math.sqrt(gain));

/** Blurs, then keeps every second pixel: ceil(h/2) x ceil(w/2). */
export function downsample(b: ImageBatch): ImageBatch {
  const s = blur(b);
  const h2 = Math.ceil(b.h / 2),
    w2 = Math.ceil(b.w / 2),
    { n, c } = b;
  const out = new Float32Array(n * h2 * w2 * c);
  for (let i = 0; i < n; i++) {
    for (let y = 0; y < h2; y++) {
      for (let x = 0; x < w2; x++) {
        for (let ch = 0; ch < c; ch++)
          out[((i * h2 + y) * w2 + x) * c + ch] = s.data[((i * b.h + 2 * y) * b.w + 2 * x) * c + ch];
      }
    }
  }
  return { data: out, n, h: h2, w: w2, c };
}

/** Back to h x w: zeros between the pixels, then the blur with gain 4 (the zeros took 3/4 of the mass). */
export function upsample(b: ImageBatch, h: number, w: number): ImageBatch {
  const { n, c } = b;
  const out = new Float32Array(n * h * w * c);
  for (let i = 0; i < n; i++) {
    for (let y = 0; y < b.h && 2 * y < h; y++) {
      for (let x = 0; x < b.w && 2 * x < w; x++) {
        for (let ch = 0; ch < c; ch++)
          out[((i * h + 2 * y) * w + 2 * x) * c + ch] = b.data[((i * b.h + y) * b.w + x) * c + ch];
      }
    }
  }
  return blur({ data: out, n, h, w, c }, 4);
}

/** The sides of the pyramid's levels for an image of side `side`: 28 -> [28, 14], 64 -> [64, 32, 16, 8]. */
export function levelSides(side: number): number[] {
  const sides = [side];
  while (Math.ceil(sides[sides.length - 1] / 2) >= MIN_LEVEL_SIDE) sides.push(Math.ceil(sides[sides.length - 1] / 2));
  return sides;
}

/** The Laplacian pyramid of every image of the batch, finest level first. */
export function laplacianPyramid(b: ImageBatch): ImageBatch[] {
  const count = levelSides(Math.min(b.h, b.w)).length;
  const levels: ImageBatch[] = [];
  let g = b;
  for (let l = 0; l < count - 1; l++) {
    const coarser = downsample(g);
    const up = upsample(coarser, g.h, g.w);
    const detail = new Float32Array(g.data.length);
    for (let k = 0; k < detail.length; k++) detail[k] = g.data[k] - up.data[k];
    levels.push({ ...g, data: detail });
    g = coarser;
  }
  levels.push(g);
  return levels;
}
