// Training data for super-resolution: a folder of high-resolution photos (any format the codec reads, any
// sizes) turned into a pool of random square HR crops at the model's imageSize. The
// low-resolution inputs are made from these crops inside the SR family (bicubic, on the fly),
// so the pool is all the loop needs and fits its fixed-size image batches.
//
// Why a pool: the loop's batches index a fixed set of equal-sized images; photos come in all
// sizes. Crops are drawn once, spread over the photos in proportion to their area, half of
// them from a half-size copy (detail at more scales: the same photo seen from further away),
// the most detailed of three random positions, each flipped/rotated at random. Unreadable
// files are skipped and counted, never fatal. With `flip`, each use of a crop in a batch also
// gets a fresh random symmetry of the square: a pool of 12,000 crops read 20 times over
// then shows the network each one in up to 8 ways instead of one.
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  readImage,
  ImageDecodeError,
  READABLE_EXTENSIONS,
  READABLE_FORMATS,
  resizeImage,
  type RawImage,
} from '../engine/image/codec';
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../engine/rng';
import { eachOrientedPixel } from '../engine/image/symmetry';
import { DataError, labelsToOneHot, type LabelledImages } from './mnist';
import type { Batch } from './index';

export const IMAGE_EXTENSIONS = READABLE_EXTENSIONS;

export interface SrPoolOptions {
  /** Side of each HR crop (the config's imageSize). */
  size: number;
  /** Crops in the pool; 0 = about two per crop-sized area of the data (at most 6000). */
  crops?: number;
  seed: number;
  /** A fresh random flip/rotation of every crop each time a batch uses it (the run's generator). */
  flip?: boolean;
  /** Called for each file that could not be read. */
  skipped?(file: string, reason: string): void;
}

export interface SrPool extends LabelledImages {
  srPool: true;
  flip: boolean;
  files: number;
  unreadable: number;
}

export const isSrPool = (d: LabelledImages): d is SrPool => (d as Partial<SrPool>).srPool === true;

/** The crops at `indices` in [-1, 1]; with the pool's `flip` and a generator, each in a random symmetry. */
export function srPoolBatch(pool: SrPool, indices: ArrayLike<number>, rng?: Rng): Batch {
  const size = pool.width,
    bytes = size * size * 3,
    picked = new Uint8Array(indices.length * bytes);
  // The pool read as one tall image: crop k is the square at row k * size.
  const whole: Source = { w: size, h: size * pool.count, rgb: pool.pixels, weight: 1 };
  for (let i = 0; i < indices.length; i++) {
    const t = pool.flip && rng ? rng.int(8) : 0;
    copyCrop(whole, 0, indices[i] * size, size, t, picked, i * bytes);
  }
  return tf.tidy(() => ({
    images: tf.sub(tf.div(tf.tensor4d(picked, [indices.length, size, size, 3], 'float32'), 127.5), 1) as tf.Tensor4D,
    labels: labelsToOneHot(pool, indices),
  }));
}

export function listImages(dir: string): string[] {
  if (!fs.existsSync(dir)) throw new DataError(`image folder not found: ${dir}`);
  if (!fs.statSync(dir).isDirectory()) throw new DataError(`not a folder: ${dir}`);
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      if (e.name.startsWith('.')) continue;
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (IMAGE_EXTENSIONS.includes(path.extname(e.name).toLowerCase())) out.push(p);
    }
  };
  walk(dir);
  return out;
}

/** RGB bytes of any decoded image (grey replicated, alpha dropped). */
export function toRgb(img: RawImage): Uint8Array {
  if (img.channels === 3) return img.data;
  const n = img.width * img.height,
    c = img.channels,
    out = new Uint8Array(n * 3);
  for (let i = 0; i < n; i++) {
    const s = i * c;
    if (c <= 2) out[i * 3] = out[i * 3 + 1] = out[i * 3 + 2] = img.data[s];
    else {
      out[i * 3] = img.data[s];
      out[i * 3 + 1] = img.data[s + 1];
      out[i * 3 + 2] = img.data[s + 2];
    }
  }
  return out;
}

interface Source {
  w: number;
  h: number;
  rgb: Uint8Array;
  weight: number;
}

/** Mean absolute luma gradient of a crop, every other pixel: how much detail there is to learn. */
function detail(src: Source, x0: number, y0: number, size: number): number {
  let sum = 0,
    n = 0;
  const lum = (x: number, y: number) => {
    const i = (y * src.w + x) * 3;
    return 2 * src.rgb[i] + 5 * src.rgb[i + 1] + src.rgb[i + 2];
  };
  for (let y = y0; y < y0 + size - 1; y += 2) {
    for (let x = x0; x < x0 + size - 1; x += 2) {
      const c = lum(x, y);
      sum += Math.abs(lum(x + 1, y) - c) + Math.abs(lum(x, y + 1) - c);
      n++;
    }
  }
  return sum / (8 * n);
}

/** The symmetry copyCrop's t names, in eachOrientedPixel's numbering: the two number the flips of
 * a transposed crop the other way round, and the shipped recipes' crops follow copyCrop's. */
const cropOrientation = (t: number) => (t & 4 ? 4 | ((t & 1) << 1) | ((t & 2) >> 1) : t);

/** A size x size crop at (x0, y0) of src, in symmetry t (0-7), as RGB bytes at dst[off]. */
function copyCrop(src: Source, x0: number, y0: number, size: number, t: number, dst: Uint8Array, off: number): void {
  eachOrientedPixel(size, size, cropOrientation(t), (d, row, col) => {
    const s = ((y0 + row) * src.w + x0 + col) * 3,
      o = off + d * 3;
    dst[o] = src.rgb[s];
    dst[o + 1] = src.rgb[s + 1];
    dst[o + 2] = src.rgb[s + 2];
  });
}

export function loadSrPool(dir: string, o: SrPoolOptions): SrPool {
  const files = listImages(dir);
  if (!files.length) throw new DataError(`no ${READABLE_FORMATS} images in ${dir}`);
  const sources: Source[] = [];
  let unreadable = 0;
  for (const f of files) {
    let img: RawImage;
    try {
      img = readImage(f);
    } catch (e) {
      if (!(e instanceof ImageDecodeError)) throw e;
      unreadable++;
      o.skipped?.(f, e.message);
      continue;
    }
    if (img.width < o.size || img.height < o.size) {
      unreadable++;
      o.skipped?.(f, `smaller than imageSize ${o.size}`);
      continue;
    }
    const full: Source = { w: img.width, h: img.height, rgb: toRgb(img), weight: 1 };
    sources.push(full);
    // The half-size copy is weighted up to give it as many crops as the original.
    const hw = Math.floor(img.width / 2),
      hh = Math.floor(img.height / 2);
    if (hw >= o.size && hh >= o.size)
      sources.push({
        w: hw,
        h: hh,
        rgb: resizeImage({ width: full.w, height: full.h, channels: 3, data: full.rgb }, hw, hh).data,
        weight: 4,
      });
  }
  if (!sources.length)
    throw new DataError(
      `${dir}: none of the ${files.length} images can be used (unreadable or smaller than imageSize ${o.size})`,
    );
  const area = sources.map((s) => (s.w - o.size + 1) * (s.h - o.size + 1) * s.weight);
  const totalArea = area.reduce((a, b) => a + b, 0);
  const count = o.crops || Math.max(64, Math.min(6000, Math.round((2 * totalArea) / (5 * o.size * o.size))));
  const rng = new Rng(o.seed, 7);
  const cum: number[] = [];
  area.reduce((a, b, i) => (cum[i] = a + b), 0);
  const bytes = o.size * o.size * 3;
  const pixels = new Uint8Array(count * bytes);
  for (let k = 0; k < count; k++) {
    const r = rng.random() * totalArea;
    let i = cum.findIndex((c) => c > r);
    if (i < 0) i = sources.length - 1;
    const s = sources[i];
    // Best of three positions by detail: photos are mostly sky, bokeh and smooth walls, where
    // bicubic is already right; the net learns from edges and texture.
    let bx = 0,
      by = 0,
      best = -1;
    for (let t = 0; t < 3; t++) {
      const x = rng.int(s.w - o.size + 1),
        y = rng.int(s.h - o.size + 1),
        d = detail(s, x, y, o.size);
      if (d > best) {
        best = d;
        bx = x;
        by = y;
      }
    }
    copyCrop(s, bx, by, o.size, rng.int(8), pixels, k * bytes);
  }
  return {
    srPool: true,
    flip: !!o.flip,
    // The loop logs "<name> <count> images": the name carries the file counts.
    name: `sr:${path.basename(dir)} (${files.length} files${unreadable ? `, ${unreadable} unreadable or too small, skipped` : ''}; crops:)`,
    count,
    height: o.size,
    width: o.size,
    channels: 3,
    pixels,
    labels: new Uint8Array(count),
    numClasses: 0,
    classNames: [],
    files: files.length,
    unreadable,
  };
}
