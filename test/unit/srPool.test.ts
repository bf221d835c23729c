// "dataset.kind": "sr": the pool of HR crops and its batches. With "flip" (the default) each
// use of a crop shows it in a fresh random symmetry of the square, drawn from the run's
// generator (so a resume repeats it); with "flip": false a batch is the crops as drawn.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../src/trainer/engine/backend';
import { resolveConfig } from '../../src/shared/config';
import { loadDataset, makeBatch, disposeBatch } from '../../src/trainer/data';
import { isSrPool } from '../../src/trainer/data/srFolder';
import { Rng } from '../../src/trainer/engine/rng';
import { tmpDir } from './helpers';
import { texture, writeImage } from './srHelpers';

const SIZE = 16;
let dir = '';

before(async () => {
  await initBackend('cpu');
  dir = tmpDir('sr-pool-');
  writeImage(path.join(dir, 'a.png'), texture(48, 40, 3, 3));
});

function pool(flip?: boolean) {
  const cfg = resolveConfig(
    {
      model: 'srgan',
      imageSize: SIZE,
      dataset: { kind: 'sr', path: dir, crops: 6, ...(flip === undefined ? {} : { flip }) },
    },
    dir,
  );
  const ds = loadDataset(cfg.dataset, dir, { imageSize: SIZE, seed: 1 });
  assert.ok(isSrPool(ds));
  return { cfg, ds };
}

/** Crop k of the pool as [size, size, 3] in [-1, 1]. */
const cropOf = (ds: ReturnType<typeof pool>['ds'], k: number) =>
  tf
    .tensor3d(ds.pixels.subarray(k * SIZE * SIZE * 3, (k + 1) * SIZE * SIZE * 3), [SIZE, SIZE, 3], 'float32')
    .div(127.5)
    .sub(1);

/** The 8 symmetries of a square image, as arrays. */
function symmetries(img: tf.Tensor3D): number[][] {
  const out: number[][] = [];
  for (const t of [img, tf.transpose(img, [1, 0, 2])])
    for (const axes of [[], [0], [1], [0, 1]]) out.push(Array.from((axes.length ? tf.reverse(t, axes) : t).dataSync()));
  return out;
}

const same = (a: ArrayLike<number>, b: ArrayLike<number>) => Array.from(a).every((v, i) => Math.abs(v - b[i]) < 1e-6);

test('sr pool: "flip" defaults to true; each use of a crop is one of its 8 symmetries, drawn from the run generator', () => {
  const { cfg, ds } = pool();
  assert.equal(cfg.dataset.kind === 'sr' && cfg.dataset.flip, true);
  const seen = new Set<number>();
  const rng = new Rng(5, 0);
  for (let draw = 0; draw < 12; draw++) {
    const b = makeBatch(ds, [0, 3], SIZE, rng);
    const imgs = tf.unstack(b.images);
    [0, 3].forEach((k, i) => {
      const which = symmetries(cropOf(ds, k) as tf.Tensor3D).findIndex((s) => same(imgs[i].dataSync(), s));
      assert.ok(which >= 0, `batch image ${i} is not a flip/rotation of crop ${k}`);
      seen.add(which);
    });
    disposeBatch(b);
  }
  assert.ok(seen.size >= 4, `only ${seen.size} of 8 symmetries in 24 uses`);
  // The same generator state gives the same batch: a resumed run repeats its augmentation.
  const a = makeBatch(ds, [1, 2], SIZE, new Rng(9, 0)),
    b = makeBatch(ds, [1, 2], SIZE, new Rng(9, 0));
  assert.ok(same(a.images.dataSync(), b.images.dataSync()));
  disposeBatch(a);
  disposeBatch(b);
});

test('sr pool: "flip": false gives the crops as drawn, every time', () => {
  const { ds } = pool(false);
  const rng = new Rng(5, 0);
  for (let draw = 0; draw < 3; draw++) {
    const b = makeBatch(ds, [4, 5], SIZE, rng);
    const imgs = tf.unstack(b.images);
    assert.ok(same(imgs[0].dataSync(), cropOf(ds, 4).dataSync()));
    assert.ok(same(imgs[1].dataSync(), cropOf(ds, 5).dataSync()));
    disposeBatch(b);
  }
});
