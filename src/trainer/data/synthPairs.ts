// Pairs made on the fly for users who have one folder of photos (dataset.make): the photo is
// B and A is derived from it, so pix2pix learns the inverse: colourisation (grayscale),
// drawing to photo (edges, dark lines on white like the edges2shoes set) or deblurring.
// All work on interleaved RGB bytes at the data set's load size.
import type { PairMaker } from '../../shared/config';

function luma(rgb: Uint8Array, n: number): Float32Array {
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) y[i] = 0.299 * rgb[i * 3] + 0.587 * rgb[i * 3 + 1] + 0.114 * rgb[i * 3 + 2];
  return y;
}

/** Separable Gaussian blur of a w x h image with c interleaved float channels (edges clamped). */
export function gaussianBlur(src: Float32Array, w: number, h: number, c: number, sigma: number): Float32Array {
  const r = Math.max(1, Math.ceil(3 * sigma));
  const k = new Float32Array(2 * r + 1);
  let sum = 0;
  for (let i = -r; i <= r; i++) sum += k[i + r] = Math.exp(-(i * i) / (2 * sigma * sigma));
  for (let i = 0; i < k.length; i++) k[i] /= sum;
  const tmp = new Float32Array(src.length),
    out = new Float32Array(src.length);
  const clamp = (v: number, n: number) => (v < 0 ? 0 : v >= n ? n - 1 : v);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++)
      for (let ch = 0; ch < c; ch++) {
        let acc = 0;
        for (let i = -r; i <= r; i++) acc += k[i + r] * src[(y * w + clamp(x + i, w)) * c + ch];
        tmp[(y * w + x) * c + ch] = acc;
      }
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++)
      for (let ch = 0; ch < c; ch++) {
        let acc = 0;
        for (let i = -r; i <= r; i++) acc += k[i + r] * tmp[(clamp(y + i, h) * w + x) * c + ch];
        out[(y * w + x) * c + ch] = acc;
      }
  return out;
}

const toByte = (v: number) => (v <= 0 ? 0 : v >= 255 ? 255 : Math.round(v));

function grey3(y: Float32Array): Uint8Array {
  const out = new Uint8Array(y.length * 3);
  for (let i = 0; i < y.length; i++) out[i * 3] = out[i * 3 + 1] = out[i * 3 + 2] = toByte(y[i]);
  return out;
}

/** Sobel edges of the lightly smoothed luma, the strongest ~12% drawn as black lines on white. */
function edges(rgb: Uint8Array, w: number, h: number): Uint8Array {
  const y = gaussianBlur(luma(rgb, w * h), w, h, 1, Math.max(0.8, w / 160));
  const mag = new Float32Array(w * h);
  const at = (xx: number, yy: number) => y[Math.min(h - 1, Math.max(0, yy)) * w + Math.min(w - 1, Math.max(0, xx))];
  for (let j = 0; j < h; j++)
    for (let i = 0; i < w; i++) {
      const gx =
        at(i + 1, j - 1) + 2 * at(i + 1, j) + at(i + 1, j + 1) - at(i - 1, j - 1) - 2 * at(i - 1, j) - at(i - 1, j + 1);
      const gy =
        at(i - 1, j + 1) + 2 * at(i, j + 1) + at(i + 1, j + 1) - at(i - 1, j - 1) - 2 * at(i, j - 1) - at(i + 1, j - 1);
      mag[j * w + i] = Math.hypot(gx, gy);
    }
  // Adaptive threshold, with a floor so a flat photo gives a blank page rather than noise.
  const sorted = Float32Array.from(mag).sort();
  const t = Math.max(40, sorted[Math.floor(0.88 * (sorted.length - 1))]);
  const out = new Float32Array(w * h);
  for (let i = 0; i < out.length; i++) out[i] = mag[i] > t ? 0 : 255;
  return grey3(out);
}

/** A's RGB bytes for a photo (B) of w x h RGB bytes. */
export function makeInput(kind: PairMaker, rgb: Uint8Array, w: number, h: number): Uint8Array {
  if (kind === 'grayscale') return grey3(luma(rgb, w * h));
  if (kind === 'edges') return edges(rgb, w, h);
  // Blur in proportion to the image, ~1.1 px at 64x64 and ~4.5 px at 286x286.
  const f = gaussianBlur(Float32Array.from(rgb), w, h, 3, Math.max(1, w / 64));
  const out = new Uint8Array(f.length);
  for (let i = 0; i < f.length; i++) out[i] = toByte(f[i]);
  return out;
}
