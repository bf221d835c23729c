// "dataset.kind": "folder" (your own images for gan, dcgan, cgan): the loader on real PNG and
// JPEG files of mixed sizes, colour and grey, with a corrupt file among them; gan check's
// report with classes; a few-step dcgan run at 32x32 RGB and a cgan run on two class
// subfolders through the CLI as a user runs it (dist/cli.js), with gan sample --label <name>;
// an empty class refused with one line.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { resolveConfig } from '../../src/shared/config';
import { loadDataset, makeBatch, disposeBatch, DataError } from '../../src/trainer/data';
import { isFolderDataset } from '../../src/trainer/data/folder';
import { readImage } from '../../src/trainer/engine/image/codec';
import { Rng } from '../../src/trainer/engine/rng';
import { readMetrics, tmpDir } from './helpers';
import { quadrants, texture, writeImage } from './srHelpers';
import { runGan } from '../lib/cli';

const gan = (args: string[]) => runGan(args, { timeout: 180_000 });

let dir = '';
const tiny = {
  imageSize: 32,
  batchSize: 2,
  steps: 3,
  seed: 1,
  logEvery: 1,
  sampleEvery: 3,
  checkpointEvery: 3,
  keepCheckpoints: 1,
  params: { latentDim: 8, ngf: 4, ndf: 4 },
};
const folder = (over: Record<string, unknown>) =>
  resolveConfig({ model: 'dcgan', imageSize: 16, dataset: { kind: 'folder', ...over } }, dir).dataset;

before(() => {
  dir = tmpDir('gan-folder-');
  // Mixed sizes and formats, one grey PNG among RGB ones, one corrupt JPEG.
  writeImage(path.join(dir, 'photos', 'a.png'), texture(40, 30, 3, 1));
  writeImage(path.join(dir, 'photos', 'b.jpg'), texture(50, 64, 3, 2));
  writeImage(path.join(dir, 'photos', 'sub', 'c.png'), texture(33, 33, 1, 3));
  writeImage(path.join(dir, 'photos', 'd.png'), texture(20, 24, 4, 4));
  writeImage(path.join(dir, 'photos', 'e.jpg'), texture(64, 48, 3, 5));
  fs.writeFileSync(path.join(dir, 'photos', 'zz-broken.jpg'), Buffer.from([0xff, 0xd8, 0xff, 0xdb, 0, 0]));
  fs.writeFileSync(path.join(dir, 'photos', 'notes.txt'), 'not an image');
  // Two classes; names sort as ImageFolder does ("Zebra" < "apple" in codepoint order).
  for (let i = 0; i < 3; i++)
    writeImage(path.join(dir, 'classes', 'apple', `a${i}.png`), texture(36 + i * 8, 36, 3, i + 1));
  for (let i = 0; i < 2; i++) writeImage(path.join(dir, 'classes', 'Zebra', `z${i}.jpg`), quadrants(40, 30 + i * 10));
  for (let i = 0; i < 3; i++) writeImage(path.join(dir, 'grey', `g${i}.png`), texture(30, 40, 1, i + 1));
  fs.writeFileSync(
    path.join(dir, 'dcgan.json'),
    JSON.stringify({
      name: 'fd',
      model: 'dcgan',
      dataset: { kind: 'folder', path: 'photos', flip: true, jitter: true },
      ...tiny,
    }),
  );
  fs.writeFileSync(
    path.join(dir, 'cgan.json'),
    JSON.stringify({
      name: 'fc',
      model: 'cgan',
      dataset: { kind: 'folder', path: 'classes', labels: 'subfolders' },
      ...tiny,
    }),
  );
});

test('folder: schema defaults, and cgan needs labels "subfolders"', () => {
  assert.deepEqual(folder({ path: 'photos' }), {
    kind: 'folder',
    path: path.join(dir, 'photos'),
    labels: 'none',
    channels: 'auto',
    jitter: false,
    flip: false,
  });
  assert.throws(
    () => resolveConfig({ model: 'cgan', dataset: { kind: 'folder', path: 'photos' } }, dir),
    /model "cgan" needs a labelled dataset .*"folder" with "labels": "subfolders"\), got "folder" without labels/,
  );
  assert.equal(
    resolveConfig({ model: 'cgan', dataset: { kind: 'folder', path: 'classes', labels: 'subfolders' } }, dir).model,
    'cgan',
  );
  assert.throws(() => folder({ path: 'photos', channels: 2 }), /"dataset\.channels" must be one of "auto", 1, 3/);
});

test('folder: any sizes, grey and colour, shorter side resized and centre cropped; a corrupt file skipped and named', () => {
  const ds = loadDataset(folder({ path: 'photos' }), dir, { imageSize: 16 });
  assert.ok(isFolderDataset(ds));
  assert.deepEqual([ds.count, ds.width, ds.height, ds.channels, ds.numClasses], [6, 16, 16, 3, 0]);
  assert.deepEqual(
    ds.files.map((f) => path.relative(dir, f)),
    ['photos/a.png', 'photos/b.jpg', 'photos/d.png', 'photos/e.jpg', 'photos/sub/c.png', 'photos/zz-broken.jpg'],
  );
  const logged: string[] = [];
  ds.setLogger((m) => logged.push(m));
  const b = makeBatch(ds, [5, 0, 4], 16, new Rng(1));
  assert.deepEqual(b.images.shape, [3, 16, 16, 3]);
  assert.deepEqual(b.labels.shape, [3, 0]);
  const v = b.images.dataSync();
  assert.ok(v.every((x) => x >= -1 && x <= 1));
  // The corrupt file (index 5) was replaced by the next usable one (wrapping: a.png), the same as index 0.
  assert.deepEqual(Array.from(v.subarray(0, 16 * 16 * 3)), Array.from(v.subarray(16 * 16 * 3, 2 * 16 * 16 * 3)));
  assert.equal(logged.length, 1);
  assert.match(logged[0], /^skipped unreadable .*zz-broken\.jpg: corrupt JPEG .*\(1 skipped so far\)$/);
  assert.equal(ds.skipped(), 1);
  disposeBatch(b);

  // Centre crop of the shorter side: a 40x30 quadrant image keeps its four colours in the four corners.
  const q = tmpDir('gan-folder-q-');
  writeImage(path.join(q, 'q.png'), quadrants(60, 30));
  const one = loadDataset(
    { kind: 'folder', path: q, labels: 'none', channels: 'auto', jitter: false, flip: false },
    q,
    { imageSize: 8 },
  );
  const t = makeBatch(one, [0], 8);
  const px = (x: number, y: number) =>
    Array.from(t.images.dataSync().subarray((y * 8 + x) * 3, (y * 8 + x) * 3 + 3)).map((c) =>
      Math.round((c + 1) * 127.5),
    );
  // The centre 30x30 of a 60x30 image is half red | half green on top, blue | white below.
  assert.deepEqual(
    [px(0, 0), px(7, 0), px(0, 7), px(7, 7)],
    [
      [255, 0, 0],
      [0, 255, 0],
      [0, 0, 255],
      [255, 255, 255],
    ],
  );
  disposeBatch(t);
});

test('folder: grey images train as one channel unless "channels" says otherwise; classes sorted as ImageFolder', () => {
  const grey = loadDataset(folder({ path: 'grey' }), dir, { imageSize: 12 });
  assert.equal(grey.channels, 1);
  const b = makeBatch(grey, [0, 1], 12);
  assert.deepEqual(b.images.shape, [2, 12, 12, 1]);
  disposeBatch(b);
  assert.equal(loadDataset(folder({ path: 'grey', channels: 3 }), dir, { imageSize: 12 }).channels, 3);
  assert.equal(loadDataset(folder({ path: 'photos', channels: 1 }), dir, { imageSize: 12 }).channels, 1);

  const cls = loadDataset(folder({ path: 'classes', labels: 'subfolders' }), dir, { imageSize: 12 });
  assert.deepEqual(cls.classNames, ['Zebra', 'apple']);
  assert.deepEqual(Array.from(cls.labels), [0, 0, 1, 1, 1]);
  const lb = makeBatch(cls, [4, 0], 12, new Rng(2));
  assert.deepEqual(Array.from(lb.labels.dataSync()), [0, 1, 1, 0]);
  disposeBatch(lb);
});

test('folder: an empty class, a class of unreadable files and a folder without images are refused with one line', () => {
  const d = tmpDir('gan-folder-empty-');
  writeImage(path.join(d, 'cats', 'c.png'), texture(20, 20));
  fs.mkdirSync(path.join(d, 'dogs'));
  fs.writeFileSync(path.join(d, 'dogs', 'readme.txt'), 'no images here');
  const cfg = { kind: 'folder', path: d, labels: 'subfolders', channels: 'auto', jitter: false, flip: false } as const;
  assert.throws(
    () => loadDataset(cfg, d, { imageSize: 8 }),
    (e: Error) =>
      e instanceof DataError &&
      e.message ===
        `class "dogs" is empty: no PNG, JPEG, WebP, AVIF, TIFF or GIF images in ${path.join(d, 'dogs')} (add some or remove the folder)`,
  );
  fs.writeFileSync(path.join(d, 'dogs', 'd.png'), 'not really a png');
  assert.throws(
    () => loadDataset(cfg, d, { imageSize: 8 }),
    (e: Error) =>
      e instanceof DataError &&
      /^class "dogs" has no readable images \(e\.g\. .*d\.png: not a PNG, JPEG, WebP, AVIF, TIFF or GIF image\)$/.test(
        e.message,
      ),
  );
  const none = tmpDir('gan-folder-none-');
  assert.throws(
    () => loadDataset({ ...cfg, path: none, labels: 'none' }, none),
    (e: Error) => e instanceof DataError && e.message === `no PNG, JPEG, WebP, AVIF, TIFF or GIF images in ${none}`,
  );
  assert.throws(
    () => loadDataset({ ...cfg, path: none }, none),
    /"labels": "subfolders" needs one subfolder of images per class, and there are none/,
  );
});

test('folder cli: gan check reports files, the corrupt one, sizes and classes with their counts', () => {
  const r = gan(['check', path.join(dir, 'dcgan.json')]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /5 usable images, trained as RGB 32x32x3 \(decided from the images/);
  assert.match(r.stdout, /train: images in .*photos: 6 files, 5 usable images/);
  assert.match(r.stdout, /unreadable \(1\):\n {4}.*zz-broken\.jpg: corrupt JPEG/);
  assert.match(r.stdout, /warning: train: 1 unreadable file \(training skips it\)/);
  const c = JSON.parse(gan(['check', path.join(dir, 'cgan.json'), '--json']).stdout) as {
    ok: boolean;
    classes: unknown;
    sets: { single: boolean; usable: number }[];
  };
  assert.equal(c.ok, true);
  assert.deepEqual(c.classes, [
    { name: 'Zebra', count: 2 },
    { name: 'apple', count: 3 },
  ]);
  assert.deepEqual([c.sets[0].single, c.sets[0].usable], [true, 5]);
  assert.match(
    gan(['check', path.join(dir, 'cgan.json')]).stdout,
    /classes \(2, label order\): 0 "Zebra" \(2\), 1 "apple" \(3\)/,
  );
});

test('folder cli: dcgan (32x32) and gan (16x16) train a few steps on RGB images of mixed sizes, skipping the corrupt file', () => {
  const run = path.join(dir, 'run-dcgan');
  const r = gan(['train', path.join(dir, 'dcgan.json'), '--run-dir', run, '--backend', 'cpu']);
  assert.equal(r.code, 0, r.stderr);
  const m = readMetrics(run);
  assert.deepEqual(
    m.map((x) => x.step),
    [1, 2, 3],
  );
  for (const x of m) assert.ok(Number.isFinite(x.losses.dLoss) && Number.isFinite(x.losses.gLoss));
  const events = fs.readFileSync(path.join(run, 'events.log'), 'utf8');
  assert.match(events, /model dcgan, folder:photos 6 images/);
  const state = JSON.parse(fs.readFileSync(path.join(run, 'checkpoints', 'latest', 'state.json'), 'utf8')) as {
    spec: { channels: number; imageSize: number };
  };
  assert.deepEqual([state.spec.channels, state.spec.imageSize], [3, 32]);
  // Six files at batch 2 for three steps: every file is read once, the corrupt one named in the log.
  assert.match(events, /skipped unreadable .*zz-broken\.jpg: corrupt JPEG/);
  // The MLP gan takes the same folder at another size (16x16x3), grey files and all.
  const mlp = path.join(dir, 'gan.json');
  fs.writeFileSync(
    mlp,
    JSON.stringify({
      ...tiny,
      name: 'fg',
      model: 'gan',
      imageSize: 16,
      steps: 2,
      checkpointEvery: 2,
      sampleEvery: 2,
      dataset: { kind: 'folder', path: 'photos' },
    }),
  );
  const g = gan(['train', mlp, '--run-dir', path.join(dir, 'run-gan'), '--backend', 'cpu']);
  assert.equal(g.code, 0, g.stderr);
  assert.deepEqual(
    readMetrics(path.join(dir, 'run-gan')).map((x) => x.step),
    [1, 2],
  );
  const out = path.join(dir, 'dcgan-samples');
  assert.equal(gan(['sample', run, '--out', out, '--count', '2', '--backend', 'cpu']).code, 0);
  const img = readImage(path.join(out, 'sample-0001.png'));
  assert.deepEqual([img.width, img.height], [32, 32]);
  // Drawn in colour (PNG samples are RGBA): some pixel has red != green.
  assert.ok(img.channels >= 3 && img.data.some((v, i) => i % img.channels === 0 && v !== img.data[i + 1]));
});

test('folder cli: cgan trains on two class subfolders; the names are in the checkpoint and gan sample --label takes one', () => {
  const run = path.join(dir, 'run-cgan');
  const r = gan(['train', path.join(dir, 'cgan.json'), '--run-dir', run, '--backend', 'cpu']);
  assert.equal(r.code, 0, r.stderr);
  const state = JSON.parse(fs.readFileSync(path.join(run, 'checkpoints', 'latest', 'state.json'), 'utf8')) as {
    spec: { numClasses: number; classNames: string[] };
  };
  assert.deepEqual([state.spec.numClasses, state.spec.classNames], [2, ['Zebra', 'apple']]);
  const out = path.join(dir, 'cgan-samples');
  const s = gan(['sample', run, '--out', out, '--count', '2', '--label', 'apple', '--backend', 'cpu']);
  assert.equal(s.code, 0, s.stderr);
  assert.deepEqual(fs.readdirSync(out).sort(), ['sample-0001-label-1-apple.png', 'sample-0002-label-1-apple.png']);
  assert.equal(
    gan(['sample', run, '--out', out, '--count', '1', '--label', 'zebra', '--backend', 'cpu']).code,
    0,
    'case-insensitive',
  );
  assert.equal(
    gan(['sample', run, '--out', out, '--count', '1', '--label', '0', '--backend', 'cpu']).code,
    0,
    'a number still works',
  );
  const bad = gan(['sample', run, '--out', out, '--label', 'pear', '--backend', 'cpu']);
  assert.equal(bad.code, 2);
  assert.equal(
    bad.stderr.trim(),
    'gan: --label "pear" is not a class of this checkpoint: use "Zebra", "apple" or a number from 0 to 1',
  );

  // An empty class: gan train refuses with one line naming it, and writes no run folder.
  fs.mkdirSync(path.join(dir, 'classes', 'empty'));
  try {
    const e = gan(['train', path.join(dir, 'cgan.json'), '--run-dir', path.join(dir, 'never'), '--backend', 'cpu']);
    assert.equal(e.code, 2);
    assert.equal(
      e.stderr.trim(),
      `gan: class "empty" is empty: no PNG, JPEG, WebP, AVIF, TIFF or GIF images in ${path.join(dir, 'classes', 'empty')} (add some or remove the folder)`,
    );
    assert.ok(!fs.existsSync(path.join(dir, 'never')));
    const c = gan(['check', path.join(dir, 'cgan.json')]);
    assert.equal(c.code, 2);
    assert.match(c.stdout, /problem: class "empty" is empty/);
  } finally {
    fs.rmdirSync(path.join(dir, 'classes', 'empty'));
  }
});
