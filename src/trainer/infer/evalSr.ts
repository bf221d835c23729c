// SR quality on a folder of HR images: each image is cut to a multiple of the scale,
// shrunk by imresize-style bicubic (the LR input, 8-bit), then brought back by bicubic and
// by each model; PSNR-Y, SSIM-Y and the sharpness ratio (mean gradient magnitude on Y over
// the original's) against the original with `scale` border pixels cropped.
import * as path from 'node:path';
import { readImage, ImageDecodeError } from '../engine/image/codec';
import { resizeBytes } from '../engine/image/resize';
import { toRgb, listImages } from '../data/srFolder';
import { compareY, sharpnessRatio } from './metrics';
import { upscaleImage } from './upscale';
import type { SrRunner } from './srModels';

export interface Score {
  psnr: number;
  ssim: number;
  /** Mean gradient magnitude of the result over the original's: < 1 softer, > 1 noisier. */
  sharpness: number;
}
export interface ModelScore extends Score {
  seconds: number;
  secondsPerMP: number;
}
export interface EvalImage {
  file: string;
  width: number;
  height: number;
  bicubic: Score;
  models: Record<string, ModelScore>;
}
export interface EvalResult {
  scale: number;
  protocol: string;
  images: EvalImage[];
  skipped: { file: string; reason: string }[];
  mean: { bicubic: Score; models: Record<string, ModelScore & { gainDb: number }> };
}

export interface EvalOptions {
  /** Centre crop of at most this HR side (0 = whole images). */
  crop?: number;
  limit?: number;
  tile?: number;
  onImage?(img: EvalImage, index: number, total: number): void;
}

export function centreCrop(rgb: Uint8Array, w: number, h: number, cw: number, ch: number): Uint8Array {
  const x0 = Math.floor((w - cw) / 2),
    y0 = Math.floor((h - ch) / 2);
  const out = new Uint8Array(cw * ch * 3);
  for (let y = 0; y < ch; y++) out.set(rgb.subarray(((y0 + y) * w + x0) * 3, ((y0 + y) * w + x0 + cw) * 3), y * cw * 3);
  return out;
}

function scoreOf(ref: Uint8Array, est: Uint8Array, w: number, h: number, scale: number): Score {
  return { ...compareY(ref, est, w, h, 3, scale), sharpness: sharpnessRatio(ref, est, w, h, 3, scale) };
}

export async function runModel(
  model: SrRunner,
  lr: Uint8Array,
  w: number,
  h: number,
  tile?: number,
): Promise<{ out: Uint8Array; seconds: number }> {
  const s = model.scale;
  const out = new Uint8Array(w * s * h * s * 3);
  let y = 0;
  const t0 = performance.now();
  await upscaleImage(
    { width: w, height: h, channels: 3, data: lr },
    model,
    (rows, n) => {
      out.set(rows, y * w * s * 3);
      y += n;
    },
    { tile },
  );
  return { out, seconds: (performance.now() - t0) / 1000 };
}

export async function evalSr(
  folder: string,
  scale: number,
  models: SrRunner[],
  opts: EvalOptions = {},
): Promise<EvalResult> {
  const files = listImages(folder).slice(0, opts.limit ?? Infinity);
  const images: EvalImage[] = [];
  const skipped: EvalResult['skipped'] = [];
  for (const [i, file] of files.entries()) {
    let img;
    try {
      img = readImage(file);
    } catch (e) {
      if (!(e instanceof ImageDecodeError)) throw e;
      skipped.push({ file, reason: e.message });
      continue;
    }
    let w = img.width,
      h = img.height,
      rgb = toRgb(img);
    const cw0 = opts.crop ? Math.min(w, opts.crop) : w,
      ch0 = opts.crop ? Math.min(h, opts.crop) : h;
    const cw = cw0 - (cw0 % scale),
      ch = ch0 - (ch0 % scale);
    if (cw < 4 * scale || ch < 4 * scale) {
      skipped.push({ file, reason: 'too small' });
      continue;
    }
    if (cw !== w || ch !== h) {
      rgb = centreCrop(rgb, w, h, cw, ch);
      w = cw;
      h = ch;
    }
    const lw = w / scale,
      lh = h / scale;
    const lr = resizeBytes(rgb, w, h, 3, lw, lh);
    const bic = resizeBytes(lr, lw, lh, 3, w, h);
    const row: EvalImage = {
      file: path.relative(folder, file),
      width: w,
      height: h,
      bicubic: scoreOf(rgb, bic, w, h, scale),
      models: {},
    };
    for (const m of models) {
      const { out, seconds } = await runModel(m, lr, lw, lh, opts.tile);
      row.models[m.name] = {
        ...scoreOf(rgb, out, w, h, scale),
        seconds,
        secondsPerMP: seconds / ((lw * lh) / 1e6),
      };
    }
    images.push(row);
    opts.onImage?.(row, i, files.length);
  }
  const avg = (f: (r: EvalImage) => number) => images.reduce((a, r) => a + f(r), 0) / Math.max(1, images.length);
  const bicubic = {
    psnr: avg((r) => r.bicubic.psnr),
    ssim: avg((r) => r.bicubic.ssim),
    sharpness: avg((r) => r.bicubic.sharpness),
  };
  const mean: EvalResult['mean'] = { bicubic, models: {} };
  for (const m of models) {
    const p = avg((r) => r.models[m.name].psnr);
    const secs = images.reduce((a, r) => a + r.models[m.name].seconds, 0);
    const mp = images.reduce((a, r) => a + (r.width / scale) * (r.height / scale), 0) / 1e6;
    mean.models[m.name] = {
      psnr: p,
      ssim: avg((r) => r.models[m.name].ssim),
      sharpness: avg((r) => r.models[m.name].sharpness),
      seconds: secs,
      secondsPerMP: secs / Math.max(1e-9, mp),
      gainDb: p - bicubic.psnr,
    };
  }
  return {
    scale,
    protocol: `PSNR/SSIM/sharpness on Y (BT.601), ${scale}-pixel border cropped; LR = bicubic (antialiased) x1/${scale}, 8-bit; sharpness = mean Sobel gradient magnitude / the original's`,
    images,
    skipped,
    mean,
  };
}

/** The result as a fixed-width text table. */
export function formatEvalTable(r: EvalResult): string {
  const names = Object.keys(r.mean.models);
  const cell = (s: Score) => `${s.psnr.toFixed(2)} / ${s.ssim.toFixed(4)} / ${s.sharpness.toFixed(2)}`;
  const head = ['image', 'size', 'bicubic', ...names];
  const rows = r.images.map((im) => [
    im.file,
    `${im.width}x${im.height}`,
    cell(im.bicubic),
    ...names.map((n) => cell(im.models[n])),
  ]);
  rows.push([
    'mean',
    '',
    cell(r.mean.bicubic),
    ...names.map(
      (n) =>
        `${cell(r.mean.models[n])} (${r.mean.models[n].gainDb >= 0 ? '+' : ''}${r.mean.models[n].gainDb.toFixed(2)} dB)`,
    ),
  ]);
  rows.push(['s per input MP', '', '', ...names.map((n) => r.mean.models[n].secondsPerMP.toFixed(2))]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  return [`x${r.scale}: PSNR-Y (dB) / SSIM-Y / sharpness; ${r.protocol}`, line(head), ...rows.map(line)].join('\n');
}
