// The SR commands as a user runs them (dist/cli.js): a few-step srgan training that writes a
// run folder, upscaling from its checkpoint and with the shipped model, eval-sr, and bad
// input refused with one line and nothing written.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readImage } from '../../src/trainer/engine/image/codec';
import { readMetrics, tmpDir } from './helpers';
import { exifJpeg, quadrants, texture, writeImage } from './srHelpers';
import { CLI, runGan } from '../lib/cli';

const gan = (args: string[]) => runGan(args, { timeout: 120_000 });

let dir = '';
let run = '';

before(() => {
  dir = tmpDir('gan-sr-');
  for (let i = 0; i < 3; i++)
    writeImage(path.join(dir, 'hr', `photo${i}.${i ? 'png' : 'jpg'}`), texture(96, 80, 3, i + 1));
  fs.writeFileSync(path.join(dir, 'hr', 'broken.jpg'), 'not a jpeg');
  fs.writeFileSync(
    path.join(dir, 'sr.json'),
    JSON.stringify({
      name: 'tiny-sr',
      model: 'srgan',
      dataset: { kind: 'sr', path: './hr', scale: 2, crops: 16 },
      imageSize: 32,
      batchSize: 2,
      steps: 3,
      seed: 1,
      logEvery: 1,
      sampleEvery: 2,
      checkpointEvery: 3,
      params: {
        ngf: 8,
        ndf: 4,
        residualBlocks: 1,
        srBatchNorm: false,
        srUpsampler: 'lr',
        pretrainSteps: 1,
        lambdaAdv: 0.01,
        adversarial: 'relativistic',
        decayFrom: 1,
      },
    }),
  );
  run = path.join(dir, 'run');
});

test('sr cli: a few-step gan train on an srgan config writes a run folder (pretrain then GAN phase)', () => {
  const r = gan(['train', path.join(dir, 'sr.json'), '--run-dir', run]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(
    fs.readFileSync(path.join(run, 'events.log'), 'utf8'),
    /sr:hr \(4 files, 1 unreadable or too small, skipped; crops:\) 16 images/,
  );
  const m = readMetrics(run);
  assert.equal(m.length, 3);
  assert.ok(
    'pixelLoss' in m[0].losses && 'psnr' in m[0].losses && !('dLoss' in m[0].losses),
    'step 1 is pixel loss only',
  );
  for (const k of ['dLoss', 'gLoss', 'contentLoss']) assert.ok(Number.isFinite(m[2].losses[k]), `step 3 has ${k}`);
  // decayFrom 1 of 3 steps: constant for steps 1-2 (0-based 0, 1), then half at step 3.
  const lr = m[0].lr;
  assert.deepEqual(
    m.map((x) => x.lr),
    [lr, lr, lr / 2],
  );
  for (const f of [
    'config.json',
    'events.log',
    'samples/step-00000002.png',
    'checkpoints/latest/state.json',
    'checkpoints/latest/generator/model.json',
    'checkpoints/latest/discriminator/model.json',
  ]) {
    assert.ok(fs.existsSync(path.join(run, f)), f);
  }
});

test('sr cli: upscale from a checkpoint: exact size, EXIF respected, alpha and grey kept', () => {
  const jpg = path.join(dir, 'rot.jpg');
  fs.writeFileSync(jpg, exifJpeg(quadrants(40, 24), 6));
  const out = path.join(dir, 'rot.x2.png');
  const r = gan(['upscale', jpg, out, '--model', run, '--tile', '32']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /wrote .*rot\.x2\.png \(48x80, x2/);
  assert.match(r.stderr, /100%/);
  const img = readImage(out);
  assert.deepEqual([img.width, img.height, img.channels], [48, 80, 3]);
  for (const [channels, name] of [
    [4, 'rgba.png'],
    [1, 'grey.png'],
  ] as const) {
    const src = writeImage(path.join(dir, name), texture(30, 22, channels));
    const o = path.join(dir, `out-${name}`);
    assert.equal(gan(['upscale', src, o, '--model', path.join(run, 'checkpoints', 'latest')]).code, 0);
    const back = readImage(o);
    assert.deepEqual([back.width, back.height, back.channels], [60, 44, channels]);
  }
  // --ensemble: the same size, made from the 8 orientations.
  const ens = gan(['upscale', jpg, path.join(dir, 'rot.x2.ens.png'), '--model', run, '--ensemble']);
  assert.equal(ens.code, 0, ens.stderr);
  assert.match(ens.stdout, /wrote .*rot\.x2\.ens\.png \(48x80, x2, model .*self-ensemble x8/);
  // A model of another scale is refused.
  const bad = gan(['upscale', jpg, path.join(dir, 'x4.png'), '--model', run, '--scale', '4']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /^gan: .* upscales x2, not x4\n$/);
});

test("sr cli: the scale comes from the saved spec, not the generator's name", () => {
  // A checkpoint copy whose generator has a name without "_x2" (as a model file's may).
  const ck = path.join(dir, 'renamed-ck');
  fs.cpSync(path.join(run, 'checkpoints', 'latest'), ck, { recursive: true });
  const modelJson = path.join(ck, 'generator', 'model.json');
  const m = JSON.parse(fs.readFileSync(modelJson, 'utf8'));
  m.modelTopology.config.name = 'my_upscaler';
  fs.writeFileSync(modelJson, JSON.stringify(m));
  const stateJson = path.join(ck, 'state.json');
  const state = JSON.parse(fs.readFileSync(stateJson, 'utf8'));
  state.files['generator/model.json'] = createHash('sha256').update(fs.readFileSync(modelJson)).digest('hex');
  fs.writeFileSync(stateJson, JSON.stringify(state));
  const src = writeImage(path.join(dir, 'named.png'), texture(20, 12, 3));
  for (const model of [ck, path.join(ck, 'generator')]) {
    const r = gan(['upscale', src, path.join(dir, `named-${path.basename(model)}.png`), '--model', model]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /\(40x24, x2/);
  }
  // Out of its checkpoint, with nothing saved beside it, its scale is unknown.
  const bare = path.join(dir, 'bare-generator');
  fs.cpSync(path.join(ck, 'generator'), bare, { recursive: true });
  const r = gan(['upscale', src, path.join(dir, 'bare.png'), '--model', bare]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /cannot tell the model's scale/);
});

test('sr cli: corrupt or unsupported input exits 2 with one line, nothing written', () => {
  const write = (name: string, data: string | Buffer) => {
    const p = path.join(dir, 'bad', name);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, data);
    return p;
  };
  const good = fs.readFileSync(path.join(dir, 'hr', 'photo0.jpg'));
  const cases: Array<[string[], RegExp]> = [
    [[write('trunc.jpg', good.subarray(0, 300)), 'o1.png'], /^gan: .*trunc\.jpg: corrupt JPEG/],
    [[write('text.png', 'hello'), 'o2.png'], /^gan: .*text\.png: not a PNG, JPEG, WebP, AVIF, TIFF or GIF image$/],
    [
      [write('paint.bmp', Buffer.from('BM\x01\x00\x01\x00')), 'o3.png'],
      /^gan: .*paint\.bmp: unsupported image format BMP/,
    ],
    [[path.join(dir, 'bad', 'missing.png'), 'o4.png'], /^gan: .*missing\.png: no such file$/],
    [[path.join(dir, 'hr', 'photo1.png'), 'o5.bmp'], /^gan: .*o5\.bmp: unsupported output type/],
  ];
  for (const [[input, outName], re] of cases) {
    const out = path.join(dir, 'bad', outName);
    const r = gan(['upscale', input, out, '--model', run]);
    assert.equal(r.code, 2, `${input}: ${r.stderr}`);
    assert.match(r.stderr.trim(), re);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    assert.ok(!fs.existsSync(out), `${out} was written`);
  }
  assert.deepEqual(
    fs.readdirSync(path.join(dir, 'bad')).filter((f) => f.startsWith('.')),
    [],
    'no temporary files left',
  );
});

test('sr cli: Ctrl-C during upscale exits 130 and leaves no file', async () => {
  const src = writeImage(path.join(dir, 'cancel', 'big.png'), texture(400, 300));
  const out = path.join(dir, 'cancel', 'big.x2.png');
  const child = spawn(process.execPath, [CLI, 'upscale', src, out, '--model', run, '--tile', '16'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
    if (/ 0%/.test(stderr) && !child.killed) child.kill('SIGINT');
  });
  const code = await new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
  assert.equal(code, 130, stderr);
  assert.match(stderr, /gan: upscale cancelled, nothing written/);
  assert.deepEqual(fs.readdirSync(path.dirname(out)), ['big.png']);
});

test('sr cli: eval-sr prints a table and JSON with bicubic and the model', () => {
  const r = gan(['eval-sr', path.join(dir, 'hr'), '--scale', '2', '--model', run, '--json']);
  assert.equal(r.code, 0, r.stderr);
  const j = JSON.parse(r.stdout);
  assert.equal(j.images.length, 3);
  assert.equal(j.skipped.length, 1);
  assert.ok(j.mean.bicubic.psnr > 15 && j.mean.bicubic.ssim > 0.3);
  const name = Object.keys(j.mean.models)[0];
  assert.ok(Number.isFinite(j.mean.models[name].gainDb));
  const t = gan(['eval-sr', path.join(dir, 'hr'), '--scale', '2', '--model', run]);
  assert.equal(t.code, 0);
  assert.match(t.stdout, /^mean +\d+\.\d\d \/ 0\.\d{4}/m);
  // --ensemble: each model as it is and as a self-ensemble, side by side.
  const e = gan(['eval-sr', path.join(dir, 'hr'), '--scale', '2', '--model', run, '--ensemble', '--json']);
  assert.equal(e.code, 0, e.stderr);
  const names = Object.keys(JSON.parse(e.stdout).mean.models);
  assert.deepEqual(names, [name, `${name} (self-ensemble x8)`]);
});

test(
  'sr cli: the shipped default models upscale x2 and x4',
  { skip: !fs.existsSync('models/sr-x4/model.json') && 'models/sr-x4 not shipped yet' },
  () => {
    const src = writeImage(path.join(dir, 'small.png'), texture(40, 30));
    for (const s of [2, 4]) {
      const out = path.join(dir, `small.x${s}.png`);
      const r = gan(['upscale', src, out, '--scale', String(s)]);
      assert.equal(r.code, 0, r.stderr);
      const img = readImage(out);
      assert.deepEqual([img.width, img.height], [40 * s, 30 * s]);
      // The shipped nets' receptive field fits in the tile margin: tiles leave no seam.
      const tiled = path.join(dir, `small.x${s}.tiled.png`);
      assert.equal(gan(['upscale', src, tiled, '--scale', String(s), '--tile', '16']).code, 0);
      const t = readImage(tiled);
      let md = 0;
      for (let i = 0; i < img.data.length; i++) md = Math.max(md, Math.abs(img.data[i] - t.data[i]));
      assert.ok(md <= 1, `x${s}: tiled differs by ${md}`);
    }
  },
);
