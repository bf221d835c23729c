// pix2pix and CycleGAN through the CLI as a user runs it (dist/cli.js): gan check's report and
// exit codes, a few-step gan train of each family writing the run folder of DESIGN.md (with
// held-out scores from step 0 and the input | output | target and A -> B -> A' grids), a
// corrupt file skipped mid-run, gan translate from both checkpoints at any size, and bad input
// refused with one line and nothing written.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readImage } from '../../src/trainer/engine/image/codec';
import type { RawImage } from '../../src/trainer/engine/image/types';
import { readMetrics, readPng, tmpDir } from './helpers';
import { texture, writeImage } from './srHelpers';
import { runGan } from '../lib/cli';

const gan = (args: string[]) => runGan(args, { timeout: 180_000 });

let dir = '';
const tiny = {
  imageSize: 32,
  batchSize: 2,
  steps: 4,
  seed: 1,
  logEvery: 1,
  sampleEvery: 2,
  checkpointEvery: 4,
  keepCheckpoints: 1,
};

function pairImage(i: number): RawImage {
  // A = the grey of B, side by side (a colourisation pair).
  const b = texture(40, 36, 3, i + 1),
    w = 40,
    h = 36;
  const data = new Uint8Array(2 * w * h * 3);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const s = (y * w + x) * 3,
        g = Math.round(0.299 * b.data[s] + 0.587 * b.data[s + 1] + 0.114 * b.data[s + 2]);
      data.set([g, g, g], (y * 2 * w + x) * 3);
      data.set(b.data.subarray(s, s + 3), (y * 2 * w + w + x) * 3);
    }
  return { width: 2 * w, height: h, channels: 3, data };
}

before(() => {
  dir = tmpDir('gan-i2i-');
  for (let i = 0; i < 4; i++)
    writeImage(path.join(dir, 'pairs', 'train', `p${i}.${i % 2 ? 'jpg' : 'png'}`), pairImage(i));
  for (let i = 4; i < 6; i++) writeImage(path.join(dir, 'pairs', 'val', `p${i}.png`), pairImage(i));
  fs.writeFileSync(path.join(dir, 'pairs', 'train', 'zz-broken.jpg'), Buffer.from([0xff, 0xd8, 0xff, 0xdb, 0, 0]));
  for (let i = 0; i < 3; i++) writeImage(path.join(dir, 'trainA', `a${i}.png`), texture(36, 36, 1, i + 1));
  for (let i = 0; i < 4; i++) writeImage(path.join(dir, 'trainB', `b${i}.jpg`), texture(44, 36, 3, i + 2));
  fs.writeFileSync(
    path.join(dir, 'pix2pix.json'),
    JSON.stringify({
      name: 'p2p',
      model: 'pix2pix',
      dataset: { kind: 'paired', path: 'pairs/train', valPath: 'pairs/val' },
      ...tiny,
      params: { ngf: 4, ndf: 4 },
    }),
  );
  fs.writeFileSync(
    path.join(dir, 'cyclegan.json'),
    JSON.stringify({
      name: 'cg',
      model: 'cyclegan',
      dataset: { kind: 'unpaired', pathA: 'trainA', pathB: 'trainB' },
      ...tiny,
      params: { ngf: 4, ndf: 4, residualBlocks: 1 },
    }),
  );
});

test('i2i cli: gan check reports counts, sizes and the corrupt file; exit 0 when training can start, 2 when not', () => {
  const r = gan(['check', path.join(dir, 'pix2pix.json')]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /train: A\|B images in .*train: 5 pairs found, 4 usable pairs/);
  assert.match(r.stdout, /sizes: 80x36 \(4\)/);
  assert.match(r.stdout, /unreadable \(1\):\n {4}.*zz-broken\.jpg: corrupt JPEG/);
  assert.match(r.stdout, /held-out: .*2 usable pairs/);
  assert.match(r.stdout, /warning: train: 1 unreadable file \(training skips it\)/);
  assert.match(r.stdout, /ready: training can start/);
  const json = JSON.parse(gan(['check', path.join(dir, 'cyclegan.json'), '--json']).stdout) as {
    ok: boolean;
    sets: Array<{ usable: number; usableB: number }>;
  };
  assert.equal(json.ok, true);
  assert.deepEqual([json.sets[0].usable, json.sets[0].usableB], [3, 4]);
  const big = path.join(dir, 'big.json');
  fs.writeFileSync(
    big,
    JSON.stringify({ model: 'pix2pix', dataset: { kind: 'paired', path: 'pairs/train' }, imageSize: 32, batchSize: 8 }),
  );
  const bad = gan(['check', big]);
  assert.equal(bad.code, 2);
  assert.match(bad.stdout, /problem: "batchSize" 8 is larger than the 4 usable training pairs/);
  assert.equal(
    bad.stderr.trim(),
    'gan: training cannot start: "batchSize" 8 is larger than the 4 usable training pairs',
  );
  const size = path.join(dir, 'size.json');
  fs.writeFileSync(
    size,
    JSON.stringify({ model: 'pix2pix', dataset: { kind: 'paired', path: 'pairs/train' }, imageSize: 80 }),
  );
  const s = gan(['check', size]);
  assert.equal(s.code, 2);
  assert.match(
    s.stderr,
    /^gan: size\.json: "imageSize" 80 does not fit model "pix2pix".*multiple of 32 \(use 64 or 96/,
  );
});

for (const model of ['pix2pix', 'cyclegan'] as const) {
  test(`i2i cli: gan train ${model} writes the run folder; gan translate works from its checkpoint`, () => {
    const run = path.join(dir, `run-${model}`);
    const r = gan(['train', path.join(dir, `${model}.json`), '--run-dir', run]);
    assert.equal(r.code, 0, r.stderr);
    for (const f of [
      'config.json',
      'events.log',
      'metrics.jsonl',
      'loss.png',
      'samples/step-00000000.png',
      'samples/step-00000004.png',
      'checkpoints/latest/state.json',
      'checkpoints/step-00000004/state.json',
    ]) {
      assert.ok(fs.existsSync(path.join(run, f)), f);
    }
    const nets =
      model === 'pix2pix'
        ? ['generator', 'discriminator']
        : ['generatorAB', 'generatorBA', 'discriminatorA', 'discriminatorB'];
    for (const n of nets) assert.ok(fs.existsSync(path.join(run, 'checkpoints', 'latest', n, 'model.json')), n);
    const m = readMetrics(run);
    const events = fs.readFileSync(path.join(run, 'events.log'), 'utf8');
    // Grid: 4 fixed examples, one row each: input | output | target, or A, G(A), F(G(A)), B, F(B), G(F(B)).
    const grid = readPng(path.join(run, 'samples', 'step-00000004.png'));
    const cols = model === 'pix2pix' ? 3 : 6;
    assert.ok(
      grid.width > cols * 32 && grid.width < (cols + 1) * 32 + 40 && grid.height > 4 * 32 && grid.height < 5 * 32 + 40,
      `grid ${grid.width}x${grid.height}`,
    );
    if (model === 'pix2pix') {
      assert.deepEqual(
        m.map((x) => x.step),
        [0, 1, 2, 3, 4],
      );
      assert.ok(
        Number.isFinite(m[0].losses.valL1) && Number.isFinite(m[2].losses.valL1),
        'held-out L1 at step 0 and at sample steps',
      );
      for (const k of ['gLoss', 'l1Loss', 'dLoss']) assert.ok(Number.isFinite(m[1].losses[k]), k);
      assert.match(events, /held-out at step 0: valL1 0\.\d{4}/);
      assert.match(events, /skipped unreadable .*zz-broken\.jpg: corrupt JPEG .*\(1 skipped so far\)/);
    } else {
      assert.deepEqual(
        m.map((x) => x.step),
        [1, 2, 3, 4],
      );
      for (const k of ['gLoss', 'cycleLoss', 'idtLoss', 'dLoss']) assert.ok(Number.isFinite(m[0].losses[k]), k);
      // decayFrom defaults to half the steps: lr 2e-4 at steps 1-2 (0-based 0, 1), then 2e-4 * (1 - k/2).
      assert.deepEqual(
        m.map((x) => x.lr),
        [0.0002, 0.0002, 0.0002, 0.0001],
      );
    }

    // Any size in, the same size out; grey comes out in colour, RGBA keeps its alpha.
    const grey = writeImage(path.join(dir, `in-${model}.png`), texture(70, 45, 1));
    const out = path.join(dir, `out-${model}.png`);
    const t = gan(['translate', grey, out, '--checkpoint', run, '--threads', '1']);
    assert.equal(t.code, 0, t.stderr);
    assert.match(
      t.stdout,
      new RegExp(
        `wrote .*out-${model}\\.png \\(70x45, ${model} AtoB, step 4, ${model === 'pix2pix' ? 'resize' : 'tile'}`,
      ),
    );
    const o = readImage(out);
    assert.deepEqual([o.width, o.height, o.channels], [70, 45, 3]);
    const rgba = writeImage(path.join(dir, `in-${model}-a.png`), texture(100, 33, 4));
    const outA = path.join(dir, `out-${model}-a.jpg`);
    const mode = model === 'pix2pix' ? 'tile' : 'resize';
    const ta = gan([
      'translate',
      rgba,
      outA,
      '--checkpoint',
      path.join(run, 'checkpoints', 'latest'),
      '--mode',
      mode,
      '--direction',
      'AtoB',
    ]);
    assert.equal(ta.code, 0, ta.stderr);
    assert.deepEqual([readImage(outA).width, readImage(outA).height], [100, 33]);
    const outP = path.join(dir, `out-${model}-a.png`);
    assert.equal(gan(['translate', rgba, outP, '--checkpoint', run, '--mode', mode]).code, 0);
    assert.equal(readImage(outP).channels, 4, 'alpha kept');
    if (model === 'cyclegan') {
      const back = path.join(dir, 'back.png');
      const b = gan(['translate', out, back, '--checkpoint', run, '--direction', 'BtoA']);
      assert.equal(b.code, 0, b.stderr);
      assert.match(b.stdout, /cyclegan BtoA/);
    } else {
      const b = gan(['translate', grey, path.join(dir, 'never.png'), '--checkpoint', run, '--direction', 'BtoA']);
      assert.equal(b.code, 2);
      assert.equal(
        b.stderr.trim(),
        'gan: this pix2pix model translates AtoB only (it was trained with dataset.direction "AtoB"); train another with "BtoA"',
      );
      assert.ok(!fs.existsSync(path.join(dir, 'never.png')));
      const s = gan(['sample', run, '--out', path.join(dir, 'samples')]);
      assert.equal(s.code, 2);
      assert.match(
        s.stderr,
        /^gan: a pix2pix checkpoint translates images rather than drawing them: use gan translate/,
      );
    }
  });
}

test('i2i cli: gan translate refuses bad input with one line and writes nothing', () => {
  const run = path.join(dir, 'run-pix2pix');
  const img = writeImage(path.join(dir, 'ok.png'), texture(20, 20));
  const broken = path.join(dir, 'broken.jpg');
  fs.writeFileSync(broken, 'not a jpeg at all');
  const cases: Array<[string[], RegExp]> = [
    [
      ['translate', broken, path.join(dir, 'x1.png'), '--checkpoint', run],
      /^gan: .*broken\.jpg: not a PNG, JPEG, WebP, AVIF, TIFF or GIF image$/,
    ],
    [
      ['translate', path.join(dir, 'missing.png'), path.join(dir, 'x2.png'), '--checkpoint', run],
      /^gan: .*missing\.png: no such file$/,
    ],
    [['translate', img, path.join(dir, 'x3.gif'), '--checkpoint', run], /^gan: .*x3\.gif: unsupported output type/],
    [['translate', img, path.join(dir, 'x4.png')], /^gan: missing --checkpoint <dir>/],
    [['translate', img, path.join(dir, 'x5.png'), '--checkpoint', dir], /^gan: not a checkpoint folder: /],
    [
      ['translate', img, path.join(dir, 'x6.png'), '--checkpoint', run, '--direction', 'up'],
      /^gan: --direction must be AtoB or BtoA \(got "up"\)$/,
    ],
    [
      ['translate', img, path.join(dir, 'x7.png'), '--checkpoint', run, '--mode', 'zoom'],
      /^gan: --mode must be resize or tile/,
    ],
  ];
  for (const [args, re] of cases) {
    const r = gan(args);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr.trim(), re);
    assert.equal(r.stderr.trim().split('\n').length, 1, 'one line');
  }
  assert.deepEqual(
    fs.readdirSync(dir).filter((f) => /^x\d|\.partial$/.test(f)),
    [],
    'nothing written',
  );
});
