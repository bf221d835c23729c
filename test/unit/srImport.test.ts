// Community ESRGAN-family models (RRDBNet new/old layouts, SRVGGNetCompact): detection from keys
// and shapes, our tfjs networks against PyTorch's own outputs (test/fixtures/sr-import, made by
// scripts/make-sr-import-fixtures.py) on cpu and native, seamless tiling, cancel, and the CLI
// (`gan upscale --model <file>`, `gan import-sr`) as a user runs it.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../src/trainer/engine/backend';
import { readImage } from '../../src/trainer/engine/image/codec';
import type { RawImage } from '../../src/trainer/engine/image/types';
import { detectSrModel, loadSrNetwork, loadTorchSrRunner } from '../../src/trainer/infer/import';
import type { StateDict, StateTensor } from '../../src/trainer/infer/import/stateDict';
import { readStateDict } from '../../src/trainer/infer/import/stateDict';
import { nearestUp, pixelShuffle, pixelUnshuffle } from '../../src/trainer/infer/import/torchOps';
import { runUpscale } from '../../src/trainer/infer/inferJobs';
import { loadSrRunner, type SrRunner } from '../../src/trainer/infer/srModels';
import { AbortError, upscaleImage } from '../../src/trainer/infer/upscale';
import { runGan } from '../lib/cli';
import { tmpDir } from './helpers';
import { texture, writeImage } from './srHelpers';

const FIX = path.resolve('test/fixtures/sr-import');

interface Fixture {
  file: string;
  arch?: 'rrdb' | 'srvgg' | null;
  scale?: number;
  layout?: string;
  params?: { nf: number; gc?: number; numBlock?: number; numConv?: number; act?: string };
  input?: string;
  inputShape?: number[];
  output?: string;
  outputShape?: number[];
  error?: string;
}
const manifest = JSON.parse(fs.readFileSync(path.join(FIX, 'manifest.json'), 'utf8')) as { fixtures: Fixture[] };
const models = manifest.fixtures.filter((f) => f.arch === 'rrdb' || f.arch === 'srvgg');
const fixture = (name: string) => path.join(FIX, name);

function readF32(file: string): Float32Array {
  const b = fs.readFileSync(fixture(file));
  return new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
}

/** NCHW floats -> an NHWC tensor. */
function nhwc(data: Float32Array, [n, c, h, w]: number[]): tf.Tensor4D {
  return tf.tidy(() => tf.transpose(tf.tensor4d(data, [n, c, h, w]), [0, 2, 3, 1]));
}

let dir = '';
before(async () => {
  dir = tmpDir('gan-srimport-');
  await initBackend('cpu');
});

// ---- ops against PyTorch's definitions, index by index ----

test('sr import: pixel_shuffle / pixel_unshuffle use PyTorch channel order (c*r*r + i*r + j)', () => {
  const [h, w, c, r] = [3, 2, 2, 2];
  const x = tf.tensor4d(
    Array.from({ length: h * w * c * r * r }, (_, i) => i),
    [1, h, w, c * r * r],
  );
  const y = pixelShuffle(x, r);
  assert.deepEqual(y.shape, [1, h * r, w * r, c]);
  const yv = y.arraySync()[0];
  const xv = x.arraySync()[0];
  for (let ch = 0; ch < c; ch++)
    for (let i = 0; i < r; i++)
      for (let j = 0; j < r; j++)
        for (let yy = 0; yy < h; yy++)
          for (let xx = 0; xx < w; xx++)
            assert.equal(yv[yy * r + i][xx * r + j][ch], xv[yy][xx][ch * r * r + i * r + j]);
  const back = pixelUnshuffle(y, r);
  assert.deepEqual(back.arraySync(), x.arraySync());
  tf.dispose([x, y, back]);
});

test('sr import: nearest x2/x4 repeats each pixel (F.interpolate mode="nearest")', () => {
  const x = tf.tensor4d([1, 2, 3, 4, 5, 6], [1, 2, 3, 1]);
  for (const s of [2, 4]) {
    const y = nearestUp(x, s);
    const v = y.arraySync()[0];
    for (let i = 0; i < 2 * s; i++)
      for (let j = 0; j < 3 * s; j++) assert.equal(v[i][j][0], 1 + Math.floor(i / s) * 3 + Math.floor(j / s));
    y.dispose();
  }
  x.dispose();
});

// ---- detection ----

const t = (shape: number[]): StateTensor => ({
  shape,
  dtype: 'float32',
  data: new Float32Array(shape.reduce((a, b) => a * b, 1)),
});

/** A hand-made RRDBNet state dict in the new layout. */
function rrdbDict(inCh: number, outCh = 3, nf = 4, gc = 3, blocks = 1): StateDict {
  const sd: StateDict = new Map();
  const conv = (k: string, o: number, i: number) => {
    sd.set(`${k}.weight`, t([o, i, 3, 3]));
    sd.set(`${k}.bias`, t([o]));
  };
  conv('conv_first', nf, inCh);
  for (let b = 0; b < blocks; b++)
    for (const r of [1, 2, 3])
      for (let c = 1; c <= 5; c++) conv(`body.${b}.rdb${r}.conv${c}`, c === 5 ? nf : gc, nf + (c - 1) * gc);
  for (const k of ['conv_body', 'conv_up1', 'conv_up2', 'conv_hr']) conv(k, nf, nf);
  conv('conv_last', outCh, nf);
  return sd;
}

test('sr import: detection finds arch, scale and sizes of every fixture', () => {
  for (const f of models) {
    const d = detectSrModel(readStateDict(fixture(f.file)));
    assert.equal(d.arch, f.arch === 'rrdb' ? 'RRDBNet' : 'SRVGGNetCompact', f.file);
    assert.equal(d.scale, f.scale, f.file);
    assert.equal(d.params.nf, f.params!.nf, f.file);
    if (d.arch === 'RRDBNet') {
      assert.equal(d.layout, f.layout, f.file);
      assert.equal(d.params.gc, f.params!.gc, f.file);
      assert.equal(d.params.blocks, f.params!.numBlock, f.file);
    } else {
      assert.equal(d.params.numConv, f.params!.numConv, f.file);
      assert.equal(d.params.act, f.params!.act, f.file);
    }
  }
});

test('sr import: detection: x1/x2 by input channels, refusals name what was found', () => {
  assert.equal(detectSrModel(rrdbDict(48)).scale, 1);
  assert.equal(detectSrModel(rrdbDict(12)).scale, 2);
  assert.equal(detectSrModel(rrdbDict(3)).scale, 4);
  assert.throws(() => detectSrModel(rrdbDict(1, 1)), /1-channel \(greyscale\) RRDBNet/);
  assert.throws(() => detectSrModel(rrdbDict(6)), /6 input and 3 output channels is not supported/);
  const bad = rrdbDict(3);
  bad.set('body.0.rdb2.conv3.weight', t([3, 9, 3, 3]));
  assert.throws(() => detectSrModel(bad), /body\.0\.rdb2\.conv3\.weight is \[3,9,3,3\], expected \[3,10,3,3\]/);
  const fc: StateDict = new Map([
    ['fc.weight', t([10, 64])],
    ['fc.bias', t([10])],
  ]);
  assert.throws(
    () => detectSrModel(fc),
    /^InputError: not an ESRGAN-family model: found 2 tensors such as fc\.weight \[10,64\], fc\.bias \[10\]; expected RRDBNet/,
  );
  const classifier = readStateDict(fixture('classifier.pth'));
  assert.throws(() => detectSrModel(classifier), /not an ESRGAN-family model: found \d+ tensors such as/);
});

// ---- our output against PyTorch's ----

for (const backend of ['cpu', 'wasm', 'native'] as const) {
  test(`sr import: every fixture's output matches PyTorch's within 1e-4 on ${backend}`, async () => {
    assert.equal(await initBackend(backend), backend);
    try {
      for (const f of models) {
        const { net } = loadSrNetwork(fixture(f.file));
        const x = nhwc(readF32(f.input!), f.inputShape!);
        const live = tf.memory().numTensors;
        const out = await net.forward(x);
        assert.equal(tf.memory().numTensors, live + 1, `${f.file}: forward leaves only its output`);
        const y = tf.tidy(() => tf.transpose(out, [0, 3, 1, 2]));
        out.dispose();
        assert.deepEqual(y.shape, f.outputShape, f.file);
        const ours = (await y.data()) as Float32Array;
        const ref = readF32(f.output!);
        let md = 0;
        for (let i = 0; i < ref.length; i++) md = Math.max(md, Math.abs(ours[i] - ref[i]));
        assert.ok(md < 1e-4, `${f.file} on ${backend}: max abs difference ${md}`);
        tf.dispose([x, y]);
        net.dispose();
      }
    } finally {
      await initBackend('cpu');
    }
  });
}

// ---- tiling and cancel ----

async function upscaleBytes(img: RawImage, r: SrRunner, tile: number): Promise<Uint8Array> {
  const rows: Uint8Array[] = [];
  await upscaleImage(img, r, (b) => void rows.push(b.slice()), { tile });
  return Buffer.concat(rows);
}

test('sr import: tiled and untiled differ by at most 1 grey level, odd sizes included', async () => {
  await initBackend('native');
  for (const f of models) {
    const r = loadTorchSrRunner(fixture(f.file));
    try {
      // Odd sides: the x2 RRDBNet (pixel_unshuffle 2) needs its tiles on a 2-pixel grid. Big
      // enough for several tiles with each model's own margin (up to 72 pixels here).
      const img = texture(241, 203, 3, 5);
      const whole = await upscaleBytes(img, r, 0);
      assert.equal(whole.length, 241 * 203 * 3 * r.scale * r.scale, f.file);
      assert.ok(241 > 48 + 2 * r.margin!, `${f.file}: the image is cut into tiles`);
      const tiled = await upscaleBytes(img, r, 48);
      let md = 0;
      for (let i = 0; i < whole.length; i++) md = Math.max(md, Math.abs(whole[i] - tiled[i]));
      assert.ok(md <= 1, `${f.file}: tiled vs untiled max difference ${md}`);
    } finally {
      r.dispose();
    }
  }
  await initBackend('cpu');
});

test('sr import: an imported model cancels between tiles in the inference child, writing nothing', async () => {
  const input = writeImage(path.join(dir, 'cancel-in.png'), texture(90, 70));
  const output = path.join(dir, 'cancel-out.png');
  let polls = 0;
  const ctx = {
    options: { backend: 'cpu' as const },
    progress: () => {},
    cancelled: () => ++polls > 3,
  };
  const job = { kind: 'upscale' as const, input, output, scale: 4 as const, model: fixture('srvgg-x4.pth'), tile: 16 };
  await assert.rejects(
    runUpscale(job, ctx, () => {}),
    (e: Error) => e.name === 'AbortError',
  );
  assert.deepEqual(
    fs.readdirSync(dir).filter((n) => n.includes('cancel-out')),
    [],
  );
  const r = await loadSrRunner(fixture('srvgg-x4.pth'));
  await assert.rejects(
    upscaleImage(texture(90, 70), r, () => {}, { tile: 16, cancelled: () => true }),
    AbortError,
  );
  r.dispose();
  // Inside a tile too, between blocks (x4plus takes a minute a tile on a CPU), leaking nothing.
  const heavy = loadTorchSrRunner(fixture('rrdb-x4-new.pth'));
  const live = tf.memory().numTensors;
  let checks = 0;
  await assert.rejects(
    heavy.run(new Float32Array(16 * 16 * 3), 16, 16, () => ++checks > 1),
    AbortError,
  );
  assert.equal(checks, 2, 'stopped at the second block');
  assert.equal(tf.memory().numTensors, live);
  heavy.dispose();
});

// ---- the CLI ----

const gan = (args: string[], env?: Record<string, string>) => runGan(args, { timeout: 120_000, env });

test('sr import cli: gan upscale --model <file.pth|file.safetensors> writes exactly scale x the input', () => {
  const input = writeImage(path.join(dir, 'in.png'), texture(37, 29));
  for (const [file, s] of [
    ['rrdb-x4-old.pth', 4],
    ['rrdb-x2-new.safetensors', 2],
    ['srvgg-x4.pth', 4],
  ] as const) {
    const out = path.join(dir, `out-${file}.png`);
    const r = gan(['upscale', input, out, '--model', fixture(file), '--backend', 'cpu']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`x${s}, model ${file.replace(/\./g, '\\.')}`));
    const img = readImage(out);
    assert.deepEqual([img.width, img.height], [37 * s, 29 * s], file);
  }
  const out = path.join(dir, 'wrong-scale.png');
  const r = gan(['upscale', input, out, '--model', fixture('srvgg-x4.pth'), '--scale', '2', '--backend', 'cpu']);
  assert.equal(r.code, 2);
  assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  assert.match(r.stderr, /srvgg-x4\.pth upscales x4, not x2/);
  assert.ok(!fs.existsSync(out));
});

test('sr import cli: gan import-sr stores a checked copy; twice gives two folders; upscale by folder and name', () => {
  const home = path.join(dir, 'home');
  const env = { GAN_STUDIO_HOME: home };
  const a = gan(['import-sr', fixture('rrdb-x4-new.pth'), '--backend', 'cpu'], env);
  assert.equal(a.code, 0, a.stderr);
  const store = path.join(home, 'upscalers');
  assert.match(
    a.stdout.trim(),
    new RegExp(
      `^imported "rrdb-x4-new": RRDBNet x4 \\(2 blocks, 4 features, [\\d.]+k weights\\) -> ${store.replace(/[.\\/]/g, '\\$&')}`,
    ),
  );
  const b = gan(['import-sr', fixture('rrdb-x4-new.pth'), '--backend', 'cpu'], env);
  assert.equal(b.code, 0, b.stderr);
  assert.match(b.stdout, /imported "rrdb-x4-new-2"/);
  assert.deepEqual(fs.readdirSync(store).sort(), ['rrdb-x4-new', 'rrdb-x4-new-2']);
  const rec = JSON.parse(fs.readFileSync(path.join(store, 'rrdb-x4-new', 'import.json'), 'utf8'));
  assert.equal(rec.format, 1);
  assert.equal(rec.arch, 'RRDBNet');
  assert.equal(rec.scale, 4);
  assert.equal(rec.layout, 'new');
  assert.equal(rec.sourceName, 'rrdb-x4-new.pth');
  assert.equal(rec.bytes, fs.statSync(fixture('rrdb-x4-new.pth')).size);
  assert.deepEqual(
    fs.readFileSync(path.join(store, 'rrdb-x4-new', 'model.pth')),
    fs.readFileSync(fixture('rrdb-x4-new.pth')),
  );
  const c = gan([
    'import-sr',
    fixture('srvgg-x2-f16.safetensors'),
    '--name',
    'compact',
    '--out',
    path.join(dir, 'own'),
  ]);
  assert.equal(c.code, 0, c.stderr);
  assert.ok(fs.existsSync(path.join(dir, 'own', 'compact', 'model.safetensors')));

  const input = writeImage(path.join(dir, 'in2.png'), texture(20, 16));
  for (const model of [path.join(store, 'rrdb-x4-new-2'), 'rrdb-x4-new']) {
    const out = path.join(dir, `by-${path.basename(model)}.png`);
    const r = gan(['upscale', input, out, '--model', model, '--backend', 'cpu'], env);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual([readImage(out).width, readImage(out).height], [80, 64]);
  }
});

test('sr import cli: a wrong architecture and a truncated file give one line, exit 2, nothing written', () => {
  const store = path.join(dir, 'refused');
  const input = writeImage(path.join(dir, 'in3.png'), texture(20, 16));
  for (const [file, why] of [
    ['classifier.pth', /not an ESRGAN-family model: found \d+ tensors such as .*expected RRDBNet/],
    ['truncated.pth', /truncated\.pth.*(truncated|damaged)/],
  ] as const) {
    const r = gan(['import-sr', fixture(file), '--out', store, '--backend', 'cpu']);
    assert.equal(r.code, 2, r.stderr);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    assert.match(r.stderr, why);
    assert.equal(r.stdout, '');
    assert.deepEqual(fs.existsSync(store) ? fs.readdirSync(store) : [], [], `${file}: nothing stored`);
    const out = path.join(dir, `refused-${file}.png`);
    const u = gan(['upscale', input, out, '--model', fixture(file), '--backend', 'cpu']);
    assert.equal(u.code, 2, u.stderr);
    assert.match(u.stderr, why);
    assert.ok(!fs.existsSync(out));
  }
});

test('sr import cli: --backend webgpu gives the pixels of --backend cpu (within 1 grey level)', () => {
  const input = writeImage(path.join(dir, 'in-gpu.png'), texture(24, 20, 3, 7));
  for (const file of ['srvgg-x4.pth', 'rrdb-x2-new.safetensors']) {
    const px: Uint8Array[] = [];
    for (const backend of ['cpu', 'webgpu']) {
      const out = path.join(dir, `gpu-${backend}-${file}.png`);
      const r = gan(['upscale', input, out, '--model', fixture(file), '--backend', backend]);
      assert.equal(r.code, 0, r.stderr);
      if (backend === 'webgpu')
        assert.match(
          r.stderr + r.stdout,
          /GPU: \S/,
          'no WebGPU adapter on this machine: install a Vulkan driver (CI: mesa-vulkan-drivers from bookworm-backports)',
        );
      px.push(readImage(out).data);
    }
    let md = 0;
    for (let i = 0; i < px[0].length; i++) md = Math.max(md, Math.abs(px[0][i] - px[1][i]));
    assert.ok(md <= 1, `${file}: webgpu vs cpu max difference ${md}`);
  }
});
