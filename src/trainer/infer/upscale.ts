// Upscaling any image through an SR network, a band of tile rows at a time.
//
// Seams: each tile is run on a window that adds `margin` input pixels of real context on
// every inner side (the shipped 8-block networks reach 21 pixels, but what lies past 16 moves
// no output byte: fidelity and sharp upscales of a 480x320 photo come out the same tiled and in
// one whole-image pass, and with 16-pixel tiles 7 of 7.4 million bytes differ, by 1; a model
// may ask for more, as imported RRDBNets do), and neighbouring tiles are cross-faded over
// 2*blend pixels. A model that groups pixels
// (pixel_unshuffle) gets windows starting and sized on its grid, the image reflected past its
// bottom and right edges to fill the last group, as a whole-image pass pads it. Every window has the same shape, so the native kernels build their graphs
// once. Memory: the input, one band of output rows as floats, and one window in the network;
// finished rows go straight to the writer (a 12-megapixel photo at x4 stays far below 2 GB).
// Alpha is upscaled bicubically (networks are trained on RGB); grey images go through the
// network as RGB and come back grey.
import type { RawImage } from '../engine/image/types';
import { contributions, resizeFloat } from '../engine/image/resize';
import type { SrRunner } from './srModels';

export interface UpscaleOptions {
  /** Core tile side in input pixels; 0 = the whole image in one pass; default: the model's, else DEFAULT_TILE. */
  tile?: number;
  /** Context around each tile, input pixels. */
  margin?: number;
  /** Half-width of the cross-fade between tiles, input pixels (<= margin). */
  blend?: number;
  onProgress?(done: number, total: number): void;
  /** Checked between tiles; when it returns true the upscale stops with an AbortError. */
  cancelled?(): boolean;
}

export const DEFAULT_TILE = 192;
export const DEFAULT_MARGIN = 16;

export class AbortError extends Error {
  override name = 'AbortError';
}

/** Receives the output top to bottom: `rows` complete rows of outW * channels bytes. */
export type RowSink = (rows: Uint8Array, count: number) => Promise<void> | void;

interface Span {
  c0: number;
  c1: number;
  w0: number;
  w1: number;
}

/**
 * Tile cores along one axis and the window (same length for all) each is run in. With align > 1
 * (tile and margin multiples of it), windows start on multiples of align and the last may run
 * past len, up to the next multiple (those pixels are reflected).
 */
export function spans(len: number, tile: number, margin: number, align = 1): Span[] {
  const lenA = Math.ceil(len / align) * align;
  if (tile <= 0 || lenA <= tile + 2 * margin) return [{ c0: 0, c1: len, w0: 0, w1: lenA }];
  const win = tile + 2 * margin;
  const out: Span[] = [];
  for (let c0 = 0; c0 < len; c0 += tile) {
    const c1 = Math.min(len, c0 + tile);
    const w0 = Math.max(0, Math.min(c0 - margin, lenA - win));
    out.push({ c0, c1, w0, w1: w0 + win });
  }
  return out;
}

/** Cross-fade weight at output coordinate o (pixel centre) of a core [c0, c1) in input units. */
function fade(o: number, s: number, sp: Span, first: boolean, last: boolean, blend: number): number {
  const x = (o + 0.5) / s; // input coordinate
  let w = 1;
  if (!first && blend > 0) w = Math.min(w, Math.max(0, (x - (sp.c0 - blend)) / (2 * blend)));
  if (!last && blend > 0) w = Math.min(w, Math.max(0, (sp.c1 + blend - x) / (2 * blend)));
  if (blend === 0) w = (x >= sp.c0 || first) && (x < sp.c1 || last) ? 1 : 0;
  return w;
}

export async function upscaleImage(
  img: RawImage,
  model: SrRunner,
  sink: RowSink,
  opts: UpscaleOptions = {},
): Promise<void> {
  const s = model.scale;
  const { width: W, height: H, channels: C } = img;
  const align = model.align ?? 1;
  const onGrid = (v: number) => Math.ceil(v / align) * align;
  const margin = onGrid(opts.margin ?? Math.max(DEFAULT_MARGIN, model.margin ?? 0));
  const blend = Math.min(opts.blend ?? 4, margin);
  const tile = onGrid(opts.tile ?? model.tile ?? DEFAULT_TILE);
  const OW = W * s,
    OH = H * s;
  const grey = C <= 2,
    hasAlpha = C === 2 || C === 4;

  // The network's input: RGB floats 0..255 (grey replicated); alpha kept aside.
  const rgb = new Float32Array(W * H * 3);
  const alpha = hasAlpha ? new Float32Array(W * H) : undefined;
  for (let i = 0; i < W * H; i++) {
    const p = i * C;
    if (grey) rgb[i * 3] = rgb[i * 3 + 1] = rgb[i * 3 + 2] = img.data[p];
    else {
      rgb[i * 3] = img.data[p];
      rgb[i * 3 + 1] = img.data[p + 1];
      rgb[i * 3 + 2] = img.data[p + 2];
    }
    if (alpha) alpha[i] = img.data[p + C - 1];
  }
  const acx = alpha ? contributions(W, OW, s, false) : undefined;
  const acy = alpha ? contributions(H, OH, s, false) : undefined;

  const xs = spans(W, tile, margin, align),
    ys = spans(H, tile, margin, align);
  const total = xs.length * ys.length;
  let done = 0;
  opts.onProgress?.(0, total);
  const winW = xs[0].w1 - xs[0].w0,
    winH = ys[0].w1 - ys[0].w0;
  const win = new Float32Array(winW * winH * 3);

  // Accumulated colour and weight of output rows [bandStart, bandStart + bandRows).
  const maxCore = Math.max(...ys.map((y) => y.c1 - y.c0));
  const bandRows = Math.min(OH, (maxCore + 2 * blend + 2) * s);
  const acc = new Float32Array(bandRows * OW * 3);
  const wsum = new Float32Array(bandRows * OW);
  let bandStart = 0;

  const emit = async (upTo: number) => {
    const n = upTo - bandStart;
    if (n <= 0) return;
    const outC = C;
    const bytes = new Uint8Array(n * OW * outC);
    const a = alpha
      ? resizeFloat(alpha, W, H, 1, OW, OH, { rowStart: bandStart, rowEnd: upTo, cx: acx, cy: acy })
      : undefined;
    for (let i = 0; i < n * OW; i++) {
      const k = wsum[i] > 0 ? 1 / wsum[i] : 0;
      const r = acc[i * 3] * k,
        g = acc[i * 3 + 1] * k,
        b = acc[i * 3 + 2] * k;
      const o = i * outC;
      if (grey) bytes[o] = clampByte(0.299 * r + 0.587 * g + 0.114 * b);
      else {
        bytes[o] = clampByte(r);
        bytes[o + 1] = clampByte(g);
        bytes[o + 2] = clampByte(b);
      }
      if (a) bytes[o + outC - 1] = clampByte(a[i]);
    }
    await sink(bytes, n);
    // Slide the band: keep the rows not yet final.
    const keep = bandRows - n;
    acc.copyWithin(0, n * OW * 3);
    acc.fill(0, keep * OW * 3);
    wsum.copyWithin(0, n * OW);
    wsum.fill(0, keep * OW);
    bandStart = upTo;
  };

  for (let ty = 0; ty < ys.length; ty++) {
    const sy = ys[ty];
    const firstY = ty === 0,
      lastY = ty === ys.length - 1;
    // Output rows this tile row writes to (its core plus the fade zones), clipped to the image.
    const oy0 = Math.max(0, (sy.c0 - (firstY ? 0 : blend)) * s),
      oy1 = Math.min(OH, (sy.c1 + (lastY ? 0 : blend)) * s);
    for (let tx = 0; tx < xs.length; tx++) {
      if (opts.cancelled?.()) throw new AbortError('cancelled');
      const sx = xs[tx];
      const firstX = tx === 0,
        lastX = tx === xs.length - 1;
      copyWindow(rgb, W, H, sx, sy, win);
      const out = await model.run(win, winH, winW, opts.cancelled);
      const ox0 = Math.max(0, (sx.c0 - (firstX ? 0 : blend)) * s),
        ox1 = Math.min(OW, (sx.c1 + (lastX ? 0 : blend)) * s);
      const fx = new Float32Array(ox1 - ox0);
      for (let x = ox0; x < ox1; x++) fx[x - ox0] = fade(x, s, sx, firstX, lastX, blend);
      for (let y = oy0; y < oy1; y++) {
        const wy = fade(y, s, sy, firstY, lastY, blend);
        if (wy === 0) continue;
        const srow = (y - sy.w0 * s) * winW * s,
          drow = (y - bandStart) * OW;
        for (let x = ox0; x < ox1; x++) {
          const w = wy * fx[x - ox0];
          if (w === 0) continue;
          const si = (srow + x - sx.w0 * s) * 3,
            di = (drow + x) * 3;
          acc[di] += w * out[si];
          acc[di + 1] += w * out[si + 1];
          acc[di + 2] += w * out[si + 2];
          wsum[drow + x] += w;
        }
      }
      opts.onProgress?.(++done, total);
      // Let an event loop turn happen (IPC, cancel messages) between tiles.
      await new Promise<void>((r) => setImmediate(r));
    }
    // Rows above the next tile row's fade zone are final.
    await emit(lastY ? OH : Math.max(bandStart, (sy.c1 - blend) * s));
  }
}

/**
 * Reflection index (PyTorch's F.pad mode='reflect') for a coordinate past the end of [0, len):
 * len-2, len-3, ...; clamped where the image is too small to reflect that far.
 */
export function reflectIndex(i: number, len: number): number {
  if (i < len) return i;
  const r = 2 * (len - 1) - i;
  return Math.max(0, r);
}

/** The window's pixels; rows and columns past the image (alignment only) reflected back in. */
function copyWindow(rgb: Float32Array, W: number, H: number, sx: Span, sy: Span, win: Float32Array): void {
  const winW = sx.w1 - sx.w0;
  const inside = Math.min(sx.w1, W) - sx.w0;
  for (let y = 0; y < sy.w1 - sy.w0; y++) {
    const row = reflectIndex(sy.w0 + y, H) * W;
    const src = (row + sx.w0) * 3;
    win.set(rgb.subarray(src, src + inside * 3), y * winW * 3);
    for (let x = inside; x < winW; x++) {
      const from = (row + reflectIndex(sx.w0 + x, W)) * 3,
        to = (y * winW + x) * 3;
      win[to] = rgb[from];
      win[to + 1] = rgb[from + 1];
      win[to + 2] = rgb[from + 2];
    }
  }
}

function clampByte(v: number): number {
  return v <= 0 ? 0 : v >= 255 ? 255 : Math.round(v);
}
