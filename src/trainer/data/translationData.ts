// The data of pix2pix and CycleGAN: batches of (A, B) images in [-1, 1], with the papers'
// augmentation: jitter (resize to 286/256 of the size, crop the size at a random place) and
// a random left-right flip, the same for both images of a pair. Unpaired sets draw B at
// random for each A, as CycleGAN's loader does. Randomness comes from the run's generator,
// whose state is in every checkpoint, so a resumed run sees the same batches.
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import type { DatasetConfig } from '../../shared/config';
import type { Rng } from '../engine/rng';
import type { Batch } from './index';
import { ImageStore } from './imageStore';
import { DataError, type LabelledImages } from './mnist';
import { listImageSets, refName, type ImageRef, type ImageSets } from './pairedFiles';

/** Fixed or held-out images: A in `images`, B in `targets` (the same count). */
export interface ExamplePairs {
  images: tf.Tensor4D;
  targets: tf.Tensor4D;
}

export interface TranslationDataset extends LabelledImages {
  readonly translation: true;
  readonly sets: ImageSets;
  readonly val?: ImageSets;
  readonly imageSize: number;
  /** Side the images are resized to before the random crop (imageSize without jitter). */
  readonly loadSize: number;
  makeBatch(indices: ArrayLike<number>, rng: Rng): Batch;
  /** `count` fixed examples (held-out ones when there are), centred, unflipped. */
  examples(count: number): ExamplePairs;
  /** Up to `max` held-out pairs, or undefined without held-out data. */
  heldOut(max: number): ExamplePairs | undefined;
  /** Where skipped files are reported; messages from before the call are passed on then. */
  setLogger(warn: (message: string) => void): void;
  /** Files skipped so far as unreadable. */
  skipped(): number;
}

export const isTranslationDataset = (d: LabelledImages): d is TranslationDataset =>
  (d as Partial<TranslationDataset>).translation === true;

/** The papers' load size: 286 for 256 (jitter), i.e. imageSize * 286 / 256. */
export const jitterLoadSize = (imageSize: number) => Math.round((imageSize * 286) / 256);

interface Placement {
  x: number;
  y: number;
  flip: boolean;
}

function toFloats(src: Uint8Array, L: number, S: number, p: Placement, dst: Float32Array, off: number): void {
  for (let y = 0; y < S; y++) {
    for (let x = 0; x < S; x++) {
      const s = ((p.y + y) * L + (p.flip ? p.x + S - 1 - x : p.x + x)) * 3,
        d = off + (y * S + x) * 3;
      dst[d] = src[s] / 127.5 - 1;
      dst[d + 1] = src[s + 1] / 127.5 - 1;
      dst[d + 2] = src[s + 2] / 127.5 - 1;
    }
  }
}

export function loadTranslationData(ds: DatasetConfig, imageSize: number): TranslationDataset {
  if (ds.kind !== 'paired' && ds.kind !== 'unpaired')
    throw new DataError(`dataset kind "${ds.kind}" is not an image-to-image set`);
  const sets = listImageSets(ds, 'train') as ImageSets;
  const val = listImageSets(ds, 'val');
  for (const s of [sets, ...(val ? [val] : [])]) {
    if (!s.a.length || !s.b.length) {
      const what = s.aligned ? 'no image pairs' : `no ${s.a.length ? 'B' : 'A'} images`;
      throw new DataError(
        `${what} in ${s.describe}${s.unmatched.length ? ` (${s.unmatched.length} files without a partner; run gan check)` : ''}`,
      );
    }
  }
  const S = imageSize;
  const L = ds.jitter ? jitterLoadSize(S) : S;
  const store = new ImageStore(L);
  const valStore = new ImageStore(S);
  const nA = sets.a.length,
    nB = sets.b.length;
  const count = sets.aligned ? nA : Math.max(nA, nB);
  const pending: string[] = [];
  let warn: ((m: string) => void) | undefined;
  const report = (file: string, reason: string) => {
    const m = `skipped unreadable ${file}: ${reason} (${store.failures.size + valStore.failures.size} skipped so far)`;
    if (warn) warn(m);
    else pending.push(m);
  };
  store.onFailure = report;
  valStore.onFailure = report;

  /** The first usable image at or after index i (wrapping); DataError when there is none. */
  const usable = (
    st: ImageStore,
    s: ImageSets,
    refs: ImageRef[],
    i: number,
    partner?: ImageRef[],
  ): [number, Uint8Array, Uint8Array?] => {
    for (let t = 0; t < refs.length; t++) {
      const j = (i + t) % refs.length;
      const a = st.get(refs[j]);
      const b = partner ? st.get(partner[j]) : undefined;
      if (a && (!partner || b)) return [j, a, b];
    }
    const first = [...refs, ...(partner ?? [])].find((r) => st.failed(r)) ?? refs[0];
    throw new DataError(
      `none of the ${refs.length} ${partner ? 'pairs' : 'images'} of ${s.describe} can be read (e.g. ${refName(first)}: ${st.failures.get(first.file) ?? 'unreadable'})`,
    );
  };

  /** A and B bytes for index i: the pair, or (unpaired) A[i] with a random B. */
  const pairAt = (st: ImageStore, s: ImageSets, i: number, rng?: Rng): [Uint8Array, Uint8Array] => {
    if (s.aligned) {
      const [, a, b] = usable(st, s, s.a, i % s.a.length, s.b);
      return [a, b as Uint8Array];
    }
    const [, a] = usable(st, s, s.a, i % s.a.length);
    const [, b] = usable(st, s, s.b, rng ? rng.int(s.b.length) : i % s.b.length);
    return [a, b];
  };

  const place = (rng: Rng): Placement => ({
    x: L > S ? rng.int(L - S + 1) : 0,
    y: L > S ? rng.int(L - S + 1) : 0,
    flip: ds.flip && rng.random() < 0.5,
  });

  /** Evenly spread indices: the same examples in every run of this data set. */
  const spread = (n: number, k: number) => Array.from({ length: k }, (_, i) => Math.floor((i * n) / k));

  const fixed = (st: ImageStore, s: ImageSets, k: number): ExamplePairs => {
    const side = st.side,
      off = Math.floor((side - S) / 2),
      centre: Placement = { x: off, y: off, flip: false };
    const a = new Float32Array(k * S * S * 3),
      b = new Float32Array(k * S * S * 3);
    const n = s.aligned ? s.a.length : Math.min(s.a.length, s.b.length);
    spread(n, k).forEach((i, j) => {
      const [pa, pb] = pairAt(st, s, i);
      toFloats(pa, side, S, centre, a, j * S * S * 3);
      toFloats(pb, side, S, centre, b, j * S * S * 3);
    });
    return { images: tf.tensor4d(a, [k, S, S, 3]), targets: tf.tensor4d(b, [k, S, S, 3]) };
  };

  return {
    translation: true,
    sets,
    val,
    imageSize: S,
    loadSize: L,
    name: `${ds.kind}:${path.basename(ds.kind === 'paired' ? ds.path : ds.pathA)}`,
    count,
    height: S,
    width: S,
    channels: 3,
    pixels: new Uint8Array(0),
    labels: new Uint8Array(count),
    numClasses: 0,
    classNames: [],

    makeBatch(indices, rng) {
      const n = indices.length,
        size = S * S * 3;
      const a = new Float32Array(n * size),
        b = new Float32Array(n * size);
      for (let k = 0; k < n; k++) {
        const [pa, pb] = pairAt(store, sets, indices[k], rng);
        const pA = place(rng);
        toFloats(pa, L, S, pA, a, k * size);
        toFloats(pb, L, S, sets.aligned ? pA : place(rng), b, k * size);
      }
      return {
        images: tf.tensor4d(a, [n, S, S, 3]),
        targets: tf.tensor4d(b, [n, S, S, 3]),
        labels: tf.zeros([n, 0]) as tf.Tensor2D,
      };
    },

    examples(k) {
      return val ? fixed(valStore, val, k) : fixed(store, sets, k);
    },

    heldOut(max) {
      if (!val) return undefined;
      return fixed(valStore, val, Math.min(max, val.aligned ? val.a.length : Math.min(val.a.length, val.b.length)));
    },

    setLogger(fn) {
      warn = fn;
      pending.splice(0).forEach((m) => fn(m));
    },

    skipped: () => store.failures.size + valStore.failures.size,
  };
}
