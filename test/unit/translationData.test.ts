// Image-to-image data as users bring it: A|B files, A/ and B/ folders matched by name,
// unpaired folders, one folder of photos made into pairs; jitter and flip that keep a pair
// aligned; corrupt, mis-shaped and unmatched files reported (gan check) and skipped in
// training, never a crash.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { resolveConfig } from '../../src/shared/config';
import type { RawImage } from '../../src/trainer/engine/image/types';
import { Rng } from '../../src/trainer/engine/rng';
import { checkDataset, formatReport } from '../../src/trainer/data/check';
import { jitterLoadSize, loadTranslationData } from '../../src/trainer/data/translationData';
import { makeInput } from '../../src/trainer/data/synthPairs';
import { tmpDir } from './helpers';
import { texture, writeImage } from './srHelpers';

/** w x h RGB of one colour. */
const solid = (w: number, h: number, rgb: number[]): RawImage => {
  const data = new Uint8Array(w * h * 3);
  for (let i = 0; i < w * h; i++) data.set(rgb, i * 3);
  return { width: w, height: h, channels: 3, data };
};

/** A|B: left half `a`, right half `b` (each w x h). */
function sideBySide(a: RawImage, b: RawImage): RawImage {
  const w = a.width,
    h = a.height,
    data = new Uint8Array(2 * w * h * 3);
  for (let y = 0; y < h; y++) {
    data.set(a.data.subarray(y * w * 3, (y + 1) * w * 3), y * 2 * w * 3);
    data.set(b.data.subarray(y * w * 3, (y + 1) * w * 3), (y * 2 + 1) * w * 3);
  }
  return { width: 2 * w, height: h, channels: 3, data };
}

function dataset(raw: Record<string, unknown>, dir: string, model = 'pix2pix') {
  return resolveConfig({ model, imageSize: 32, batchSize: 2, dataset: raw }, dir);
}

const pixel = (t: tf.Tensor, i: number) =>
  Array.from(t.dataSync().slice(i * 3, i * 3 + 3)).map((v) => Math.round((v + 1) * 127.5));

test('paired A|B: halves split, direction swaps them, corrupt and square files skipped and counted', () => {
  const dir = tmpDir('gan-ab-');
  for (let i = 0; i < 3; i++)
    writeImage(
      path.join(dir, 'ab', `p${i}.${i ? 'png' : 'jpg'}`),
      sideBySide(solid(40, 40, [200, 0, 0]), solid(40, 40, [0, 0, 200])),
    );
  fs.writeFileSync(path.join(dir, 'ab', 'broken.png'), 'not a png');
  writeImage(path.join(dir, 'ab', 'square.png'), solid(40, 40, [9, 9, 9]));
  const cfg = dataset({ kind: 'paired', path: 'ab', jitter: false, flip: false }, dir);
  const ds = loadTranslationData(cfg.dataset, 32);
  assert.equal(ds.count, 5);
  const warnings: string[] = [];
  ds.setLogger((m) => warnings.push(m));
  const b = ds.makeBatch([0, 1, 2, 3, 4], new Rng(1));
  assert.deepEqual(b.images.shape, [5, 32, 32, 3]);
  for (let k = 0; k < 5; k++) {
    const [ra, , ba] = pixel(b.images, k * 32 * 32 + 100),
      [rb, , bb] = pixel(b.targets as tf.Tensor, k * 32 * 32 + 100);
    assert.ok(ra > 150 && ba < 50 && rb < 50 && bb > 150, `pair ${k}: A is the left (red), B the right (blue) half`);
  }
  assert.equal(ds.skipped(), 2);
  assert.equal(warnings.length, 2);
  assert.match(warnings.join('\n'), /skipped unreadable .*broken\.png: not a PNG, JPEG, WebP, AVIF, TIFF or GIF image/);
  assert.match(warnings.join('\n'), /square\.png: not an A\|B image: 40x40/);
  tf.dispose(Object.values(b));
  const swapped = loadTranslationData(
    dataset({ kind: 'paired', path: 'ab', direction: 'BtoA', jitter: false }, dir).dataset,
    32,
  );
  const s = swapped.makeBatch([0], new Rng(1));
  assert.ok(pixel(s.images, 0)[2] > 150, 'BtoA: the input is the right half');
  tf.dispose(Object.values(s));
});

test('paired A/ and B/ folders: matched by name (any extension), unmatched names reported by gan check', () => {
  const dir = tmpDir('gan-fold-');
  for (const n of ['x', 'y', 'z']) writeImage(path.join(dir, 'd', 'A', `${n}.png`), texture(48, 40));
  for (const n of ['x', 'y', 'w']) writeImage(path.join(dir, 'd', 'B', `${n}.jpg`), texture(48, 40, 3, 2));
  const cfg = dataset({ kind: 'paired', path: 'd' }, dir);
  const ds = loadTranslationData(cfg.dataset, 32);
  assert.equal(ds.sets.layout, 'folders');
  assert.equal(ds.count, 2);
  assert.deepEqual(
    ds.sets.a.map((r) => path.basename(r.file)),
    ['x.png', 'y.png'],
  );
  assert.deepEqual(
    ds.sets.b.map((r) => path.basename(r.file)),
    ['x.jpg', 'y.jpg'],
  );
  const report = checkDataset(cfg, dir);
  assert.ok(report.ok);
  assert.deepEqual(
    report.sets[0].unmatched.map((u) => [path.basename(u.file), u.reason]),
    [
      ['z.png', 'no image of the same name in B/'],
      ['w.jpg', 'no image of the same name in A/'],
    ],
  );
  const text = formatReport(report, 'gan.config.json').join('\n');
  assert.match(text, /train: A\/ and B\/ folders in .*: 2 pairs found, 2 usable pairs/);
  assert.match(text, /sizes: 48x40 \(4\)/);
  assert.match(text, /without a partner \(2\):\n {4}.*z\.png: no image of the same name in B\//);
  assert.match(text, /ready: training can start$/);
});

test('jitter and flip: load size 286/256 of the size, random crops, a pair stays aligned', () => {
  assert.deepEqual([64, 128, 256].map(jitterLoadSize), [72, 143, 286]);
  const dir = tmpDir('gan-jit-');
  // A == B: any misalignment between the two sides of a batch shows as a difference.
  for (let i = 0; i < 2; i++)
    writeImage(path.join(dir, 'ab', `p${i}.png`), sideBySide(texture(64, 64, 3, i + 1), texture(64, 64, 3, i + 1)));
  const ds = loadTranslationData(dataset({ kind: 'paired', path: 'ab' }, dir).dataset, 32);
  assert.equal(ds.loadSize, 36);
  const rng = new Rng(9);
  const seen = new Set<string>();
  for (let k = 0; k < 6; k++) {
    const b = ds.makeBatch([0, 1], rng);
    assert.equal(
      tf.max(tf.abs(tf.sub(b.images, b.targets as tf.Tensor))).dataSync()[0],
      0,
      'same crop and flip for A and B',
    );
    seen.add(Array.from(b.images.dataSync().slice(0, 6)).join(','));
    tf.dispose(Object.values(b));
  }
  assert.ok(seen.size >= 4, `crops vary (${seen.size} distinct of 6)`);
  const fixed = loadTranslationData(
    dataset({ kind: 'paired', path: 'ab', jitter: false, flip: false }, dir).dataset,
    32,
  );
  const [b1, b2] = [fixed.makeBatch([0], rng), fixed.makeBatch([0], rng)];
  assert.equal(
    tf.max(tf.abs(tf.sub(b1.images, b2.images))).dataSync()[0],
    0,
    'jitter and flip off: the same image every time',
  );
  tf.dispose([...Object.values(b1), ...Object.values(b2)]);
});

test('pairs made from one folder of photos: grayscale, edges, blurred', () => {
  const photo = texture(40, 40).data;
  const g = makeInput('grayscale', photo, 40, 40);
  for (let i = 0; i < g.length; i += 3) assert.ok(g[i] === g[i + 1] && g[i] === g[i + 2]);
  const e = makeInput('edges', photo, 40, 40);
  const values = new Set(e);
  assert.deepEqual(
    [...values].sort((a, b) => a - b),
    [0, 255],
    'black lines on white',
  );
  const dark = e.filter((v) => v === 0).length / e.length;
  assert.ok(dark > 0.03 && dark < 0.2, `edge share ${dark}`);
  const rng = new Rng(8);
  const noise = Uint8Array.from({ length: 40 * 40 * 3 }, () => rng.int(256));
  const blur = makeInput('blurred', noise, 40, 40);
  const tv = (d: Uint8Array) => d.reduce((s, v, i) => (i % 120 < 117 ? s + Math.abs(v - d[i + 3]) : s), 0);
  assert.ok(tv(blur) < 0.3 * tv(noise), 'blurred has far less detail');
  const dir = tmpDir('gan-make-');
  for (let i = 0; i < 2; i++) writeImage(path.join(dir, 'photos', `p${i}.jpg`), texture(50, 40, 3, i + 1));
  const ds = loadTranslationData(dataset({ kind: 'paired', path: 'photos', make: 'grayscale' }, dir).dataset, 32);
  const b = ds.makeBatch([0, 1], new Rng(2));
  const [r, gg, bb] = pixel(b.images, 77);
  assert.ok(r === gg && gg === bb, 'A is grey');
  const t = pixel(b.targets as tf.Tensor, 77);
  assert.ok(t[0] !== t[2], 'B is the colour photo');
  tf.dispose(Object.values(b));
});

test('unpaired: count is the larger side, B drawn at random; held-out sets need both folders', () => {
  const dir = tmpDir('gan-unp-');
  for (let i = 0; i < 3; i++) writeImage(path.join(dir, 'trainA', `a${i}.png`), solid(32, 32, [10 * i, 0, 0]));
  for (let i = 0; i < 5; i++) writeImage(path.join(dir, 'trainB', `b${i}.png`), solid(32, 32, [0, 0, 40 * i]));
  const cfg = dataset({ kind: 'unpaired', pathA: 'trainA', pathB: 'trainB', flip: false }, dir, 'cyclegan');
  const ds = loadTranslationData(cfg.dataset, 32);
  assert.equal(ds.count, 5);
  const blues = new Set<number>();
  const rng = new Rng(4);
  for (let k = 0; k < 8; k++) {
    const b = ds.makeBatch([k % 5], rng);
    assert.equal(pixel(b.images, 0)[0], 10 * ((k % 5) % 3), 'A in order, wrapping');
    blues.add(pixel(b.targets as tf.Tensor, 0)[2]);
    tf.dispose(Object.values(b));
  }
  assert.ok(blues.size >= 3, 'B varies independently of A');
  const half = dataset({ kind: 'unpaired', pathA: 'trainA', pathB: 'trainB', valPathA: 'trainA' }, dir, 'cyclegan');
  assert.throws(() => loadTranslationData(half.dataset, 32), /needs both "dataset.valPathA" and "dataset.valPathB"/);
});

test('gan check: what stops training (nothing usable, batch larger than the set, missing folder) and what does not', () => {
  const dir = tmpDir('gan-chk-');
  fs.mkdirSync(path.join(dir, 'bad'));
  fs.writeFileSync(path.join(dir, 'bad', 'a.jpg'), Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]));
  fs.writeFileSync(path.join(dir, 'bad', 'b.png'), '');
  const none = checkDataset(dataset({ kind: 'paired', path: 'bad' }, dir), dir);
  assert.equal(none.ok, false);
  assert.deepEqual(
    none.sets[0].unreadable.map((u) => [path.basename(u.file), u.reason.split(' (')[0]]),
    [
      ['a.jpg', 'corrupt JPEG'],
      ['b.png', 'empty file'],
    ],
  );
  assert.match(none.problems[0], /train: no usable pairs in A\|B images in/);
  writeImage(path.join(dir, 'one', 'ok.png'), sideBySide(texture(32, 32), texture(32, 32)));
  const small = checkDataset(dataset({ kind: 'paired', path: 'one' }, dir), dir);
  assert.deepEqual(small.problems, ['"batchSize" 2 is larger than the 1 usable training pairs']);
  const missing = checkDataset(dataset({ kind: 'paired', path: 'nope' }, dir), dir);
  assert.match(missing.problems[0], /image folder not found: .*nope/);
  assert.throws(
    () => loadTranslationData(dataset({ kind: 'paired', path: 'bad' }, dir).dataset, 32).makeBatch([0], new Rng(1)),
    /none of the 2 pairs of A\|B images in .* can be read \(e.g\. .*a\.jpg \(left half\): corrupt JPEG/,
  );
});
