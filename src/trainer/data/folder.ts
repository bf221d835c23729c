// The user's own folder of images for gan, dcgan and cgan ("dataset.kind": "folder"): PNG,
// JPEG, WebP, AVIF, TIFF or GIF of any size, colour or grey, each resized on its shorter side
// and centre-cropped to imageSize (with jitter: to imageSize * 286/256, then a random imageSize
// crop), optionally mirrored. With "labels": "subfolders" every subfolder is a class, sorted by name as
// torchvision's ImageFolder does, so class k is the k-th name in codepoint order.
//
// Only the file list is made up front; images are decoded lazily through the ImageStore cache
// of the image-to-image loaders. A file that cannot be read is logged once and replaced by
// the next usable image of the same class (labels stay right). At load one image per class is
// decoded (a class with none readable is refused), plus a sample of up to 16 to decide grey
// or RGB when "channels" is "auto".
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import type { DatasetConfig } from '../../shared/config';
import type { Rng } from '../engine/rng';
import type { Batch } from './index';
import { ImageStore } from './imageStore';
import { DataError, type LabelledImages } from './mnist';
import { READABLE_FORMATS } from '../engine/image/codec';
import { listImages } from './srFolder';
import { jitterLoadSize } from './translationData';

type FolderConfig = Extract<DatasetConfig, { kind: 'folder' }>;

export interface FolderDataset extends LabelledImages {
  readonly folder: true;
  /** Every listed file, grouped by class (class k is files[classStart[k]] to files[classStart[k + 1] - 1]). */
  readonly files: string[];
  readonly classStart: number[];
  /** Files directly in path that "labels": "subfolders" leaves out. */
  readonly ignored: string[];
  readonly store: ImageStore;
  makeBatch(indices: ArrayLike<number>, rng?: Rng): Batch;
  /** Where skipped files are reported; messages from before the call are passed on then. */
  setLogger(warn: (message: string) => void): void;
  /** Files skipped so far as unreadable. */
  skipped(): number;
}

export const isFolderDataset = (d: LabelledImages): d is FolderDataset => (d as Partial<FolderDataset>).folder === true;

/** Classes as ImageFolder finds them: the subfolders of dir (not hidden), in codepoint order. */
export function classFolders(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && !e.name.startsWith('.'))
    .map((e) => e.name)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

export interface FolderListing {
  files: string[];
  classNames: string[];
  classStart: number[];
  ignored: string[];
}

/** The files of a folder data set, before any is decoded. DataError when there are none. */
export function listFolder(ds: FolderConfig): FolderListing {
  const root = ds.path;
  const all = listImages(root);
  if (ds.labels !== 'subfolders') {
    if (!all.length) throw new DataError(`no ${READABLE_FORMATS} images in ${root}`);
    return { files: all, classNames: [], classStart: [0, all.length], ignored: [] };
  }
  const classNames = classFolders(root);
  if (!classNames.length)
    throw new DataError(`${root}: "labels": "subfolders" needs one subfolder of images per class, and there are none`);
  if (classNames.length > 256)
    throw new DataError(`${root}: ${classNames.length} class subfolders, at most 256 are supported`);
  const files: string[] = [],
    classStart: number[] = [];
  for (const name of classNames) {
    classStart.push(files.length);
    const list = listImages(path.join(root, name));
    if (!list.length)
      throw new DataError(
        `class "${name}" is empty: no ${READABLE_FORMATS} images in ${path.join(root, name)} (add some or remove the folder)`,
      );
    files.push(...list);
  }
  classStart.push(files.length);
  const ignored = all.filter((f) => path.dirname(f) === root);
  return { files, classNames, classStart, ignored };
}

interface Placement {
  x: number;
  y: number;
  flip: boolean;
}

/** Grey when R == G == B everywhere (the codec keeps grey files grey; the store hands out RGB). */
function isGreyRgb(rgb: Uint8Array): boolean {
  for (let i = 0; i < rgb.length; i += 3) if (rgb[i] !== rgb[i + 1] || rgb[i] !== rgb[i + 2]) return false;
  return true;
}

export function loadFolderData(ds: FolderConfig, imageSize: number): FolderDataset {
  const { files, classNames, classStart, ignored } = listFolder(ds);
  const S = imageSize;
  const L = ds.jitter ? jitterLoadSize(S) : S;
  const store = new ImageStore(L, undefined, true);
  const pending: string[] = [];
  let warn: ((m: string) => void) | undefined;
  store.onFailure = (file, reason) => {
    const m = `skipped unreadable ${file}: ${reason} (${store.failures.size} skipped so far)`;
    if (warn) warn(m);
    else pending.push(m);
  };
  const numClasses = classNames.length;
  const classes = Math.max(1, numClasses);
  const labels = new Uint8Array(files.length);
  for (let k = 0; k < numClasses; k++) labels.fill(k, classStart[k], classStart[k + 1]);

  /** The bytes of file i, or of the next usable file of its class (wrapping). */
  const usable = (i: number): Uint8Array => {
    const k = numClasses ? labels[i] : 0,
      lo = classStart[k],
      n = classStart[k + 1] - lo;
    for (let t = 0; t < n; t++) {
      const bytes = store.get({ file: files[lo + ((i - lo + t) % n)] });
      if (bytes) return bytes;
    }
    const what = numClasses
      ? `class "${classNames[k]}" has no readable images`
      : `none of the ${n} images in ${ds.path} can be read`;
    const first = files[lo];
    throw new DataError(`${what} (e.g. ${first}: ${store.failures.get(first) ?? 'unreadable'})`);
  };

  // At load: one readable image per class (else refuse), and the grey-or-colour sample.
  const seen: Uint8Array[] = [];
  for (let k = 0; k < classes; k++) seen.push(usable(classStart[k]));
  const spread = Math.min(16, files.length);
  for (let j = 0; j < spread; j++) {
    const bytes = store.get({ file: files[Math.floor((j * files.length) / spread)] });
    if (bytes) seen.push(bytes);
  }
  const C = ds.channels === 1 || ds.channels === 3 ? ds.channels : seen.every(isGreyRgb) ? 1 : 3;

  const place = (rng?: Rng): Placement => {
    if (!rng) {
      const c = Math.floor((L - S) / 2);
      return { x: c, y: c, flip: false };
    }
    return {
      x: L > S ? rng.int(L - S + 1) : 0,
      y: L > S ? rng.int(L - S + 1) : 0,
      flip: ds.flip && rng.random() < 0.5,
    };
  };

  const toFloats = (src: Uint8Array, p: Placement, dst: Float32Array, off: number) => {
    for (let y = 0; y < S; y++) {
      for (let x = 0; x < S; x++) {
        const s = ((p.y + y) * L + (p.flip ? p.x + S - 1 - x : p.x + x)) * 3,
          d = off + (y * S + x) * C;
        if (C === 1) dst[d] = (0.299 * src[s] + 0.587 * src[s + 1] + 0.114 * src[s + 2]) / 127.5 - 1;
        else {
          dst[d] = src[s] / 127.5 - 1;
          dst[d + 1] = src[s + 1] / 127.5 - 1;
          dst[d + 2] = src[s + 2] / 127.5 - 1;
        }
      }
    }
  };

  const counts = numClasses ? classNames.map((c, k) => `${c} ${classStart[k + 1] - classStart[k]}`).join(', ') : '';
  return {
    folder: true,
    files,
    classStart,
    ignored,
    store,
    // The loop logs "<name> <count> images".
    name: `folder:${path.basename(ds.path)}${numClasses ? ` (${numClasses} classes: ${counts})` : ''}`,
    count: files.length,
    height: S,
    width: S,
    channels: C,
    pixels: new Uint8Array(0),
    labels,
    numClasses,
    classNames,

    makeBatch(indices, rng) {
      const n = indices.length,
        size = S * S * C;
      const images = new Float32Array(n * size),
        onehot = new Float32Array(n * numClasses);
      for (let j = 0; j < n; j++) {
        // Placement first, so the run's random stream does not depend on which files are readable.
        const p = ds.jitter || ds.flip ? place(rng) : place();
        toFloats(usable(indices[j]), p, images, j * size);
        if (numClasses) onehot[j * numClasses + labels[indices[j]]] = 1;
      }
      return { images: tf.tensor4d(images, [n, S, S, C]), labels: tf.tensor2d(onehot, [n, numClasses]) };
    },

    setLogger(fn) {
      warn = fn;
      pending.splice(0).forEach((m) => fn(m));
    },

    skipped: () => store.failures.size,
  };
}
