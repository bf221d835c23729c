// The standard SR quality protocol: compare on the luma channel Y of ITU-R BT.601 as
// MATLAB's rgb2ycbcr computes it (16..235), with `border` pixels cropped on every side
// (border = scale: the edges of an upscale are guesswork for every method).
// PSNR with peak 255; SSIM of Wang et al. 2004 (11x11 Gaussian window, sigma 1.5,
// K1 0.01, K2 0.03), averaged over the valid window positions. Sharpness: the ratio of mean
// Sobel gradient magnitudes on Y (issue 17: how a GAN upscale differs from a PSNR one).

/** Y plane (floats, 16..235) of interleaved 8-bit pixels with 1-4 channels. */
export function lumaY(data: Uint8Array, w: number, h: number, c: number): Float32Array {
  const y = new Float32Array(w * h);
  for (let i = 0; i < w * h; i++) {
    const p = i * c;
    const r = data[p],
      g = c >= 3 ? data[p + 1] : r,
      b = c >= 3 ? data[p + 2] : r;
    y[i] = 16 + (65.481 * r + 128.553 * g + 24.966 * b) / 255;
  }
  return y;
}

export function cropPlane(
  p: Float32Array,
  w: number,
  h: number,
  border: number,
): { data: Float32Array; w: number; h: number } {
  const cw = w - 2 * border,
    ch = h - 2 * border;
  if (cw <= 0 || ch <= 0) throw new RangeError(`image ${w}x${h} too small for a border of ${border}`);
  const out = new Float32Array(cw * ch);
  for (let y = 0; y < ch; y++) out.set(p.subarray((y + border) * w + border, (y + border) * w + border + cw), y * cw);
  return { data: out, w: cw, h: ch };
}

export function psnr(a: Float32Array, b: Float32Array, peak = 255): number {
  let se = 0;
  for (let i = 0; i < a.length; i++) {
    const d = a[i] - b[i];
    se += d * d;
  }
  const mse = se / a.length;
  return mse === 0 ? Infinity : 10 * Math.log10((peak * peak) / mse);
}

function gaussian(size = 11, sigma = 1.5): Float32Array {
  const g = new Float32Array(size),
    r = (size - 1) / 2;
  let s = 0;
  for (let i = 0; i < size; i++) {
    g[i] = Math.exp(-((i - r) ** 2) / (2 * sigma * sigma));
    s += g[i];
  }
  for (let i = 0; i < size; i++) g[i] /= s;
  return g;
}

/** Separable 'valid' filtering of a plane with a 1-D kernel along both axes. */
function filterValid(
  p: Float32Array,
  w: number,
  h: number,
  k: Float32Array,
): { data: Float32Array; w: number; h: number } {
  const n = k.length,
    ow = w - n + 1,
    oh = h - n + 1;
  const tmp = new Float32Array(ow * h);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < ow; x++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += k[j] * p[y * w + x + j];
      tmp[y * ow + x] = s;
    }
  const out = new Float32Array(ow * oh);
  for (let y = 0; y < oh; y++)
    for (let x = 0; x < ow; x++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += k[j] * tmp[(y + j) * ow + x];
      out[y * ow + x] = s;
    }
  return { data: out, w: ow, h: oh };
}

export function ssim(a: Float32Array, b: Float32Array, w: number, h: number, peak = 255): number {
  const k = gaussian();
  const C1 = (0.01 * peak) ** 2,
    C2 = (0.03 * peak) ** 2;
  const sq = (x: Float32Array) => x.map((v) => v * v);
  const ab = a.map((v, i) => v * b[i]);
  const mA = filterValid(a, w, h, k),
    mB = filterValid(b, w, h, k);
  const sAA = filterValid(sq(a), w, h, k),
    sBB = filterValid(sq(b), w, h, k),
    sAB = filterValid(ab, w, h, k);
  let total = 0;
  for (let i = 0; i < mA.data.length; i++) {
    const ma = mA.data[i],
      mb = mB.data[i];
    const va = sAA.data[i] - ma * ma,
      vb = sBB.data[i] - mb * mb,
      cov = sAB.data[i] - ma * mb;
    total += ((2 * ma * mb + C1) * (2 * cov + C2)) / ((ma * ma + mb * mb + C1) * (va + vb + C2));
  }
  return total / mA.data.length;
}

/** PSNR-Y and SSIM-Y of an estimate against the reference, `border` pixels cropped. */
export function compareY(
  ref: Uint8Array,
  est: Uint8Array,
  w: number,
  h: number,
  c: number,
  border: number,
): { psnr: number; ssim: number } {
  const [a, b] = yPlanes(ref, est, w, h, c, border);
  return { psnr: psnr(a.data, b.data), ssim: ssim(a.data, b.data, a.w, a.h) };
}

/** The Y planes of both images, `border` pixels cropped: what every score here compares. */
function yPlanes(ref: Uint8Array, est: Uint8Array, w: number, h: number, c: number, border: number) {
  return [cropPlane(lumaY(ref, w, h, c), w, h, border), cropPlane(lumaY(est, w, h, c), w, h, border)] as const;
}

/** Mean Sobel gradient magnitude of a plane (interior pixels; the 1-pixel rim has no neighbours). */
export function meanGradient(p: Float32Array, w: number, h: number): number {
  let total = 0;
  for (let y = 1; y < h - 1; y++)
    for (let x = 1; x < w - 1; x++) {
      const i = y * w + x;
      const gx = p[i - w + 1] + 2 * p[i + 1] + p[i + w + 1] - p[i - w - 1] - 2 * p[i - 1] - p[i + w - 1];
      const gy = p[i + w - 1] + 2 * p[i + w] + p[i + w + 1] - p[i - w - 1] - 2 * p[i - w] - p[i - w + 1];
      total += Math.hypot(gx, gy);
    }
  return total / Math.max(1, (w - 2) * (h - 2));
}

/**
 * Sharpness ratio: the estimate's mean gradient magnitude on Y over the reference's. A blurry
 * (PSNR-oriented) upscale sits well below 1; noise, ringing or invented texture push it above 1.
 */
export function sharpnessRatio(
  ref: Uint8Array,
  est: Uint8Array,
  w: number,
  h: number,
  c: number,
  border: number,
): number {
  const [a, b] = yPlanes(ref, est, w, h, c, border);
  const g = meanGradient(a.data, a.w, a.h);
  return g === 0 ? (meanGradient(b.data, b.w, b.h) === 0 ? 1 : Infinity) : meanGradient(b.data, b.w, b.h) / g;
}
