// The latent-space explorer's engine on the old-format fixture checkpoints (gan, dcgan, cgan):
// a seed always gives the same image, and the one `gan sample --seed` draws; an interpolation's
// ends are the two seeds' images; truncation 0 is the z = 0 image; cGAN draws a row per class;
// and the inference protocol refuses hostile latent requests and results.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { fork } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { parseInferEvent, parseInferRequest, type LatentSamplesJob } from '../../src/shared/inferProtocol';
import { initBackend } from '../../src/trainer/engine/backend';
import {
  drawLatent,
  latentPngs,
  loadLatentGenerator,
  resolveLatent,
  seedZ,
  slerp,
  slerpPath,
  type LatentGenerator,
} from '../../src/trainer/infer/latentSamples';
import { runGan } from '../lib/cli';
import { tmpDir } from './helpers';

const FIXTURES = path.resolve('test/fixtures/checkpoints-8094b05');
const gens: Record<string, LatentGenerator> = {};
const job = (o: Partial<LatentSamplesJob>): LatentSamplesJob => ({
  kind: 'latentSamples',
  checkpoint: '',
  seeds: [1],
  truncation: 1,
  ...o,
});
const pngs = async (family: string, o: Partial<LatentSamplesJob>) =>
  (await latentPngs(gens[family], job(o))).images.map((b) => b.toString('base64'));

before(async () => {
  await initBackend('cpu', {});
  for (const f of ['gan', 'dcgan', 'cgan']) gens[f] = await loadLatentGenerator(resolveLatent(path.join(FIXTURES, f)));
});

after(() => Object.values(gens).forEach((g) => g.dispose()));

test('the same seed gives the same image; other seeds differ', async () => {
  for (const f of ['gan', 'dcgan']) {
    const a = await pngs(f, { seeds: [7, 8, 7] });
    const b = await pngs(f, { seeds: [7] });
    assert.equal(a.length, 3);
    assert.equal(a[0], a[2], `${f}: seed 7 twice in one grid`);
    assert.equal(a[0], b[0], `${f}: seed 7 in two requests`);
    assert.notEqual(a[0], a[1], `${f}: seeds 7 and 8`);
  }
});

test('seed s is the first image of gan sample --seed s', async () => {
  const out = tmpDir('gan-latent-sample-');
  const r = runGan(
    ['sample', path.join(FIXTURES, 'dcgan'), '--out', out, '--count', '2', '--seed', '42', '--backend', 'cpu'],
    { timeout: 120_000 },
  );
  assert.equal(r.code, 0, r.stderr);
  const cli = fs.readFileSync(path.join(out, 'sample-0001.png')).toString('base64');
  assert.equal((await pngs('dcgan', { seeds: [42] }))[0], cli);
  fs.rmSync(out, { recursive: true, force: true });
});

test('slerp: the path has the asked count, exact ends, and stays on the sphere', () => {
  const p = seedZ(1, 16),
    q = seedZ(2, 16);
  const path5 = slerpPath(p, q, 5);
  assert.equal(path5.length, 5);
  assert.deepEqual(path5[0], p);
  assert.deepEqual(path5[4], q);
  const unit = (v: Float32Array) => {
    const n = Math.hypot(...v);
    return v.map((x) => x / n);
  };
  const mid = slerp(unit(p), unit(q), 0.5);
  assert.ok(Math.abs(Math.hypot(...mid) - 1) < 1e-5, 'unit vectors stay unit');
  assert.deepEqual(
    slerp(p, p, 0.3).map((x) => Math.round(x * 1e4)),
    p.map((x) => Math.round(x * 1e4)),
  );
});

test("an interpolation starts and ends at the two seeds' images", async () => {
  for (const f of ['gan', 'dcgan']) {
    const row = await pngs(f, { seeds: [3], interpolate: { from: 3, to: 11, steps: 6 } });
    const [a, b] = await pngs(f, { seeds: [3, 11] });
    assert.equal(row.length, 6, f);
    assert.equal(row[0], a, `${f}: first step`);
    assert.equal(row[5], b, `${f}: last step`);
    assert.notEqual(row[2], a, `${f}: a middle step is new`);
  }
});

test('truncation 0 gives the z = 0 image whatever the seed; 0.5 is neither', async () => {
  const g = gens.dcgan;
  const zero = await drawLatent(g, [new Float32Array(g.state.spec.params.latentDim)], undefined);
  const t0 = await latentPngs(g, job({ seeds: [5, 9], truncation: 0 }));
  assert.equal(t0.batch.n, 2);
  assert.deepEqual(t0.batch.data.subarray(0, zero.data.length), zero.data);
  assert.equal(t0.images[0].toString('base64'), t0.images[1].toString('base64'));
  const half = await pngs('dcgan', { seeds: [5], truncation: 0.5 });
  assert.notEqual(half[0], t0.images[0].toString('base64'));
  assert.notEqual(half[0], (await pngs('dcgan', { seeds: [5] }))[0]);
});

test('cGAN: a row per class with the same z; a class it does not have is refused', async () => {
  const g = gens.cgan;
  const n = g.state.spec.numClasses;
  const labels = Array.from({ length: n }, (_, k) => k);
  const r = await latentPngs(g, job({ seeds: [4, 6], labels, output: 'x', cols: 2 }));
  assert.equal(r.images.length, 2 * n);
  assert.ok(r.grid && r.grid.length > 0);
  const rows = r.images.map((b) => b.toString('base64'));
  for (const k of [0, n - 1])
    assert.deepEqual(rows.slice(2 * k, 2 * k + 2), await pngs('cgan', { seeds: [4, 6], labels: [k] }), `class ${k}`);
  assert.ok(new Set(rows.filter((_, i) => i % 2 === 0)).size > 1, 'the classes differ for one z');
  // No labels: class 0, as `gan sample --count 1` draws.
  assert.equal((await pngs('cgan', { seeds: [4] }))[0], rows[0]);
  await assert.rejects(latentPngs(g, job({ labels: [n] })), /class 10 is not in this checkpoint/);
});

test('no tensors leak across a grid and an interpolation', async () => {
  await pngs('cgan', { seeds: [1, 2], labels: [0, 1] });
  const before = tf.memory().numTensors;
  await pngs('cgan', { seeds: [1, 2, 3], labels: [0, 1, 2] });
  await pngs('gan', { seeds: [1], interpolate: { from: 1, to: 2, steps: 4 } });
  assert.equal(tf.memory().numTensors, before);
});

test('a translating checkpoint is refused with the families that explore', () => {
  assert.throws(
    () => resolveLatent(path.join(FIXTURES, 'pix2pix')),
    /"pix2pix" checkpoint; the latent-space explorer needs gan, dcgan, cgan/,
  );
});

test('the protocol refuses hostile latent requests and results', () => {
  const good = { kind: 'latentSamples', checkpoint: '/w/run', seeds: [0, 4294967295], truncation: 0.7, labels: [0, 1] };
  const req = (j: object) => parseInferRequest({ type: 'run', id: 1, job: j, options: {} });
  assert.deepEqual(req(good), { type: 'run', id: 1, job: good, options: { backend: undefined, threads: undefined } });
  assert.ok(req({ ...good, interpolate: { from: 1, to: 2, steps: 32 }, output: '/w/run/explore/g.png', cols: 8 }));
  for (const bad of [
    { ...good, seeds: [] },
    { ...good, seeds: [-1] },
    { ...good, seeds: [4294967296] },
    { ...good, seeds: [1.5] },
    { ...good, seeds: Array(65).fill(1) },
    { ...good, seeds: '1-10' },
    { ...good, truncation: NaN },
    { ...good, truncation: 1.01 },
    { ...good, truncation: -0.1 },
    { ...good, truncation: '1' },
    { ...good, labels: [-1] },
    { ...good, labels: Array(101).fill(0) },
    { ...good, checkpoint: '' },
    { ...good, checkpoint: '/w/\0run' },
    { ...good, interpolate: { from: 1, to: 2, steps: 1 } },
    { ...good, interpolate: { from: 1, to: 2, steps: 33 } },
    { ...good, interpolate: { from: 1, to: -2, steps: 4 } },
    { ...good, interpolate: 'all' },
    { ...good, output: '' },
    { ...good, output: '/w/g.png', cols: 0 },
    { ...good, seeds: Array(64).fill(1), labels: Array(11).fill(0) },
  ])
    assert.equal(req(bad), undefined, JSON.stringify(bad).slice(0, 200));

  const result = {
    kind: 'latentSamples',
    width: 12,
    height: 12,
    images: ['iVBORw0KGgo='],
    model: 'cgan, step 2',
    seconds: 0.1,
  };
  const ev = (r: object, out?: string) => parseInferEvent({ type: 'response', id: 1, ok: true, result: r }, () => out);
  assert.deepEqual(ev(result), { type: 'response', id: 1, ok: true, result });
  // A file is believed only when the job asked for one, and only under that name (or a counter variant).
  assert.equal(ev({ ...result, output: '/etc/passwd' }), undefined);
  assert.equal(ev({ ...result, output: '/etc/passwd' }, '/w/explore/grid.png'), undefined);
  assert.ok(ev({ ...result, output: '/w/explore/grid-2.png' }, '/w/explore/grid.png'));
  for (const bad of [
    { ...result, images: [1] },
    { ...result, images: 'x' },
    { ...result, width: 0 },
    { ...result, images: Array(641).fill('') },
  ]) {
    assert.equal(ev(bad), undefined, JSON.stringify(bad).slice(0, 100));
  }
});

test('the inference child answers a latent job and writes its grid without overwriting', async () => {
  const out = tmpDir('gan-latent-child-');
  const child = fork(path.resolve('dist/trainer.js'), [], {
    env: { ...process.env, GAN_STUDIO_INFER: '1' },
    stdio: ['ignore', 'ignore', 'ignore', 'ipc'],
  });
  const answers = new Map<number, unknown>();
  child.on('message', (m) => {
    const e = parseInferEvent(m, () => path.join(out, 'explore', 'grid.png'));
    if (e?.type === 'response') answers.set(e.id, e);
  });
  const ask = async (id: number, j: object) => {
    child.send({
      type: 'run',
      id,
      job: { kind: 'latentSamples', checkpoint: path.join(FIXTURES, 'cgan'), truncation: 1, ...j },
      options: { backend: 'cpu' },
    });
    for (let i = 0; i < 1200 && !answers.has(id); i++) await new Promise((r) => setTimeout(r, 50));
    return answers.get(id) as { ok: boolean; result?: { images: string[]; output?: string }; error?: string };
  };
  try {
    const grid = { seeds: [4, 6], labels: [0, 1, 2], output: path.join(out, 'explore', 'grid.png'), cols: 2 };
    const a = await ask(1, grid);
    assert.ok(a?.ok, JSON.stringify(a));
    assert.equal(a.result?.images.length, 6);
    assert.equal(
      a.result?.images[0],
      (await pngs('cgan', { seeds: [4], labels: [0] }))[0],
      'the child draws what the engine draws',
    );
    const b = await ask(2, grid);
    assert.deepEqual([a.result?.output, b.result?.output], [grid.output, path.join(out, 'explore', 'grid-2.png')]);
    assert.deepEqual(fs.readdirSync(path.join(out, 'explore')).sort(), ['grid-2.png', 'grid.png']);
    const bad = await ask(3, { seeds: [1], labels: [12] });
    assert.ok(bad && !bad.ok && /class 12 is not in this checkpoint/.test(bad.error ?? ''), JSON.stringify(bad));
  } finally {
    child.kill();
    fs.rmSync(out, { recursive: true, force: true });
  }
});
