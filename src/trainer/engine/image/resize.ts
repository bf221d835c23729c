// Bicubic resampling as MATLAB's imresize does it (Keys cubic, a = -0.5; when shrinking the
// kernel is stretched by 1/scale so it also low-passes; symmetric edges). SR papers make their
// low-resolution inputs and their bicubic baseline exactly this way, so PSNR figures compare:
// that is why this stays ours (gan eval-sr, the SR family's LR inputs, the upscaler's alpha and
// translate's resize mode) while other resizing goes through sharp (codec.ts resizeImage).

/** The Keys cubic convolution kernel with a = -0.5. */
export function cubic(x: number): number {
  const a = Math.abs(x),
    a2 = a * a,
    a3 = a2 * a;
  if (a <= 1) return 1.5 * a3 - 2.5 * a2 + 1;
  if (a <= 2) return -0.5 * a3 + 2.5 * a2 - 4 * a + 2;
  return 0;
}

/** Per output index: the input indices it reads (edges mirrored) and their weights (sum 1). */
export interface Contributions {
  taps: number;
  index: Int32Array; // outLen * taps
  weight: Float32Array; // outLen * taps
}

export function contributions(inLen: number, outLen: number, scale: number, antialias = true): Contributions {
  const k = scale < 1 && antialias ? scale : 1;
  const width = 4 / k;
  const taps = Math.ceil(width) + 2;
  const index = new Int32Array(outLen * taps);
  const weight = new Float32Array(outLen * taps);
  for (let x = 0; x < outLen; x++) {
    const u = (x + 0.5) / scale - 0.5; // centre of output pixel x in input coordinates
    const left = Math.floor(u - width / 2);
    let sum = 0;
    for (let j = 0; j < taps; j++) {
      const i = left + j;
      const w = k * cubic(k * (u - i));
      weight[x * taps + j] = w;
      sum += w;
      index[x * taps + j] = mirror(i, inLen);
    }
    for (let j = 0; j < taps; j++) weight[x * taps + j] /= sum;
  }
  return { taps, index, weight };
}

/** Symmetric extension: -1 -> 0, -2 -> 1, n -> n-1 (MATLAB's 'symmetric'). */
function mirror(i: number, n: number): number {
  const period = 2 * n;
  i = ((i % period) + period) % period;
  return i < n ? i : period - 1 - i;
}

/**
 * Resizes interleaved float pixels [h][w][c] to outH x outW. Rows [rowStart, rowEnd) of the
 * output only, when given (the tiled upscaler makes its output a band at a time).
 */
export function resizeFloat(
  src: Float32Array,
  w: number,
  h: number,
  c: number,
  outW: number,
  outH: number,
  opts: { antialias?: boolean; rowStart?: number; rowEnd?: number; cx?: Contributions; cy?: Contributions } = {},
): Float32Array {
  const cx = opts.cx ?? contributions(w, outW, outW / w, opts.antialias ?? true);
  const cy = opts.cy ?? contributions(h, outH, outH / h, opts.antialias ?? true);
  const r0 = opts.rowStart ?? 0,
    r1 = opts.rowEnd ?? outH;
  // Which input rows the requested output rows read: resample only those horizontally.
  let lo = h,
    hi = -1;
  for (let y = r0; y < r1; y++) {
    for (let j = 0; j < cy.taps; j++) {
      const i = cy.index[y * cy.taps + j];
      if (cy.weight[y * cy.taps + j] !== 0) {
        if (i < lo) lo = i;
        if (i > hi) hi = i;
      }
    }
  }
  const rows = Math.max(0, hi - lo + 1);
  const tmp = new Float32Array(rows * outW * c);
  for (let r = 0; r < rows; r++) {
    const srcRow = (lo + r) * w * c,
      dstRow = r * outW * c;
    for (let x = 0; x < outW; x++) {
      for (let ch = 0; ch < c; ch++) {
        let acc = 0;
        for (let j = 0; j < cx.taps; j++)
          acc += cx.weight[x * cx.taps + j] * src[srcRow + cx.index[x * cx.taps + j] * c + ch];
        tmp[dstRow + x * c + ch] = acc;
      }
    }
  }
  const out = new Float32Array((r1 - r0) * outW * c);
  const rowLen = outW * c;
  for (let y = r0; y < r1; y++) {
    const dst = (y - r0) * rowLen;
    for (let j = 0; j < cy.taps; j++) {
      const wgt = cy.weight[y * cy.taps + j];
      if (wgt === 0) continue;
      const s = (cy.index[y * cy.taps + j] - lo) * rowLen;
      for (let i = 0; i < rowLen; i++) out[dst + i] += wgt * tmp[s + i];
    }
  }
  return out;
}

export function toFloat(data: Uint8Array): Float32Array {
  const out = new Float32Array(data.length);
  for (let i = 0; i < data.length; i++) out[i] = data[i];
  return out;
}

/** Rounds and clips to 0..255 (what saving as an 8-bit image does). */
export function toBytes(data: Float32Array): Uint8Array {
  const out = new Uint8Array(data.length);
  for (let i = 0; i < data.length; i++) out[i] = data[i] <= 0 ? 0 : data[i] >= 255 ? 255 : Math.round(data[i]);
  return out;
}

/** Bicubic resize of 8-bit interleaved pixels (antialiased when shrinking). */
export function resizeBytes(data: Uint8Array, w: number, h: number, c: number, outW: number, outH: number): Uint8Array {
  return toBytes(resizeFloat(toFloat(data), w, h, c, outW, outH));
}
