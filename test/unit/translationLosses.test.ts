// The training rules of pix2pix and CycleGAN: loss terms and their weights (checked by hand
// against formulas on known tensors), the 50-image pool's 50/50 behaviour, the learning-rate
// schedule, and one real step of each family (every network moves, no tensor leaks).
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { resolveConfig } from '../../src/shared/config';
import { initBackend } from '../../src/trainer/engine/backend';
import { Rng } from '../../src/trainer/engine/rng';
import { cyclegan, generatorTerms } from '../../src/trainer/models/cyclegan';
import { gradsOfSum } from '../../src/trainer/train/gradsOfSum';
import { trainableVariables } from '../../src/trainer/train/nsgan';
import type { ModelFamily, ModelSpec, Optimizers } from '../../src/trainer/models/family';
import { pix2pix } from '../../src/trainer/models/pix2pix';
import {
  cycleGLoss,
  lsgan,
  lsganDLoss,
  pix2pixDLoss,
  pix2pixGLoss,
} from '../../src/trainer/models/common/translationLosses';
import { ImagePool } from '../../src/trainer/train/imagePool';
import { scheduledLr } from '../../src/trainer/train/schedule';

before(async () => {
  await initBackend('native', { threads: 1 });
});

const num = (t: tf.Tensor) => t.dataSync()[0];
const softplus = (x: number) => Math.log1p(Math.exp(x));
const close = (a: number, b: number, msg?: string) =>
  assert.ok(Math.abs(a - b) < 1e-5 * Math.max(1, Math.abs(b)), `${msg ?? ''} ${a} vs ${b}`);

test('pix2pix losses: G = BCE(D(x,G(x)), 1) + 100 * L1; D = (BCE(real, 1) + BCE(fake, 0)) / 2', () => {
  const logits = [0.5, -1, 2, 0],
    fake = [0.2, -0.4, 0.9, 0],
    target = [0, 0.1, 0.5, -1];
  const t = pix2pixGLoss(tf.tensor(logits), tf.tensor(fake), tf.tensor(target), 100);
  const adv = logits.reduce((s, x) => s + softplus(-x), 0) / 4;
  const l1 = fake.reduce((s, v, i) => s + Math.abs(v - target[i]), 0) / 4;
  close(num(t.adv), adv, 'adv');
  close(num(t.l1), l1, 'l1');
  close(num(t.total), adv + 100 * l1, 'total');
  const real = [1, 3],
    fk = [-2, 0.5];
  close(
    num(pix2pixDLoss(tf.tensor(real), tf.tensor(fk))),
    0.5 * ((softplus(-1) + softplus(-3)) / 2 + (softplus(-2) + softplus(0.5)) / 2),
    'D halved',
  );
});

test('cyclegan losses: LSGAN both ways + 10 * both cycles + 0.5 * 10 * both identities; D halved', () => {
  const r = (seed: number) => tf.randomUniform([2, 4, 4, 3], -1, 1, 'float32', seed);
  const x = {
    a: r(1),
    b: r(2),
    fakeB: r(3),
    recA: r(4),
    fakeA: r(5),
    recB: r(6),
    idtA: r(7),
    idtB: r(8),
    dBFake: r(9),
    dAFake: r(10),
  };
  const l1 = (p: tf.Tensor, q: tf.Tensor) => num(tf.mean(tf.abs(tf.sub(p, q))));
  const mse1 = (p: tf.Tensor) => num(tf.mean(tf.square(tf.sub(p, 1))));
  const cfg = resolveConfig({ model: 'cyclegan', dataset: { kind: 'unpaired', pathA: 'a', pathB: 'b' } }, '/');
  const t = cycleGLoss(x, cfg.params.lambdaCycle, cfg.params.lambdaIdentity);
  const expected =
    mse1(x.dBFake) +
    mse1(x.dAFake) +
    10 * (l1(x.recA, x.a) + l1(x.recB, x.b)) +
    5 * (l1(x.idtA, x.a) + l1(x.idtB, x.b));
  close(num(t.total), expected, 'total');
  close(num(t.cycleA), l1(x.recA, x.a), 'cycle A is |F(G(a)) - a|');
  close(num(t.idtB as tf.Tensor), l1(x.idtB, x.b), 'identity B is |G(b) - b|');
  const noIdt = cycleGLoss(x, 10, 0);
  assert.equal(noIdt.idtA, undefined);
  close(num(noIdt.total), expected - 5 * (l1(x.idtA, x.a) + l1(x.idtB, x.b)), 'lambdaIdentity 0 drops the term');
  close(num(lsgan(tf.tensor([0.5, 2]), 0)), (0.25 + 4) / 2);
  close(num(lsganDLoss(tf.tensor([1, 0]), tf.tensor([0, 1]))), 0.5 * (0.5 + 0.5));
});

test('image pool: fills with the first 50 as they are, then returns a stored image half the time', async () => {
  const pool = new ImagePool(50);
  const rng = new Rng(5);
  const img = (i: number) => Float32Array.of(i);
  for (let i = 0; i < 50; i++) assert.equal(pool.queryArrays([img(i)], rng)[0][0], i, 'while filling: the new image');
  assert.equal(pool.length, 50);
  let old = 0;
  const seen = new Set<number>(Array.from({ length: 50 }, (_, i) => i));
  const n = 4000;
  for (let i = 50; i < 50 + n; i++) {
    const out = pool.queryArrays([img(i)], rng)[0][0];
    if (out !== i) {
      old++;
      assert.ok(seen.has(out) && out < i, 'a stored image is an earlier fake');
      seen.delete(out);
    }
    seen.add(i);
    assert.equal(pool.length, 50);
  }
  // Binomial(4000, 0.5): sd ~32, so 46-54% is more than 5 sd wide.
  assert.ok(old / n > 0.46 && old / n < 0.54, `history returned ${((100 * old) / n).toFixed(1)}% of the time`);
  const off = new ImagePool(0);
  assert.equal(off.queryArrays([img(1)], rng)[0][0], 1);
  // Batches: each image of a batch is decided on its own, tensors in and out.
  const p2 = new ImagePool(2);
  const t = await p2.query(tf.tensor4d([1, 2, 3], [3, 1, 1, 1]), rng);
  assert.deepEqual(Array.from(t.dataSync()).slice(0, 2), [1, 2]);
  t.dispose();
});

test('lr schedule: constant for the first half, then linear to zero at the last step', () => {
  const lr = (s: number) => scheduledLr(2e-4, s, 100, 200);
  assert.equal(lr(0), 2e-4);
  assert.equal(lr(99), 2e-4);
  assert.equal(lr(100), 2e-4);
  close(lr(150), 1e-4);
  close(lr(199), 2e-6);
  assert.equal(lr(200), 0);
  for (let s = 100; s < 199; s++) close(lr(s) - lr(s + 1), 2e-6, 'linear');
  assert.equal(scheduledLr(2e-4, 150, 0, 200), 2e-4, 'decayFrom 0: constant');
});

function tinySpec(model: 'pix2pix' | 'cyclegan'): ModelSpec {
  const cfg = resolveConfig(
    {
      model,
      imageSize: 32,
      params: { ngf: 4, ndf: 4, residualBlocks: 1 },
      dataset: model === 'pix2pix' ? { kind: 'paired', path: 'x' } : { kind: 'unpaired', pathA: 'a', pathB: 'b' },
    },
    '/',
  );
  return { imageSize: 32, channels: 3, numClasses: 0, params: cfg.params };
}

for (const family of [pix2pix, cyclegan] as ModelFamily[]) {
  test(`${family.kind}: a training step updates every network, reports its losses and leaks no tensor`, async () => {
    const spec = tinySpec(family.kind as 'pix2pix' | 'cyclegan');
    const nets = family.build(spec);
    const optimizers: Optimizers = Object.fromEntries(family.networkNames.map((n) => [n, tf.train.adam(2e-4, 0.5)]));
    const before = Object.fromEntries(
      Object.entries(nets).map(([k, m]) => [k, m.getWeights().map((w) => w.dataSync().slice())]),
    );
    const rng = new Rng(3);
    const step = async () => {
      const images = tf.randomUniform([2, 32, 32, 3], -1, 1, 'float32', 1) as tf.Tensor4D;
      const targets = tf.randomUniform([2, 32, 32, 3], -1, 1, 'float32', 2) as tf.Tensor4D;
      const labels = tf.zeros([2, 0]) as tf.Tensor2D;
      try {
        return await family.trainStep({ nets, optimizers, spec, rng }, { images, targets, labels });
      } finally {
        tf.dispose([images, targets, labels]);
      }
    };
    await step();
    const n0 = tf.memory().numTensors;
    const r = await step();
    assert.equal(tf.memory().numTensors, n0, 'tensors per step');
    for (const k of family.lossNames) assert.ok(Number.isFinite(r.losses[k]), `${k} = ${r.losses[k]}`);
    for (const [k, m] of Object.entries(nets)) {
      const moved = m.getWeights().some((w, i) => w.dataSync().some((v, j) => v !== before[k][i][j]));
      assert.ok(moved, `${k} was updated`);
    }
    for (const m of Object.values(nets)) m.dispose();
    for (const o of Object.values(optimizers)) o.dispose();
  });
}

test('cyclegan: the generator loss taken as three tapes has the gradient of the whole loss', () => {
  const spec = tinySpec('cyclegan');
  const nets = cyclegan.build(spec);
  const ctx = { nets, optimizers: {}, spec, rng: new Rng(1) };
  const run = (m: tf.LayersModel, x: tf.Tensor) => m.apply(x, { training: true }) as tf.Tensor;
  const { generatorAB: G, generatorBA: F, discriminatorA: DA, discriminatorB: DB } = nets;
  const vars = [...trainableVariables(G), ...trainableVariables(F)];
  const a = tf.randomUniform([1, 32, 32, 3], -1, 1, 'float32', 4) as tf.Tensor4D;
  const b = tf.randomUniform([1, 32, 32, 3], -1, 1, 'float32', 5) as tf.Tensor4D;
  const whole = tf.variableGrads(() => {
    const fakeB = run(G, a),
      fakeA = run(F, b);
    const x = {
      a,
      b,
      fakeB,
      recA: run(F, fakeB),
      fakeA,
      recB: run(G, fakeA),
      idtB: run(G, b),
      idtA: run(F, a),
      dBFake: run(DB, fakeB),
      dAFake: run(DA, fakeA),
    };
    return cycleGLoss(x, spec.params.lambdaCycle, spec.params.lambdaIdentity).total;
  }, vars);
  const reported: number[] = [];
  const kept: string[] = [];
  const split = gradsOfSum(
    generatorTerms(
      ctx,
      run,
      a,
      b,
      (...t) => reported.push(...t.map(num)),
      (domain) => kept.push(domain),
    ),
    vars,
  );
  assert.deepEqual(kept, ['B', 'A'], 'G(a) and F(b) are handed out for the pools');
  assert.equal(reported.length, 6, 'adversarial and cycle both ways, both identities');
  const [advAB, cycleA, advBA, cycleB, idtA, idtB] = reported;
  const lc = spec.params.lambdaCycle,
    li = spec.params.lambdaIdentity;
  close(
    advAB + advBA + lc * (cycleA + cycleB) + li * lc * (idtA + idtB),
    num(whole.value),
    'the terms add up to the loss',
  );
  for (const v of vars) {
    const w = whole.grads[v.name].dataSync(),
      s = split[v.name].dataSync();
    let maxDiff = 0,
      maxRef = 0;
    for (let i = 0; i < w.length; i++) {
      maxDiff = Math.max(maxDiff, Math.abs(w[i] - s[i]));
      maxRef = Math.max(maxRef, Math.abs(w[i]));
    }
    assert.ok(
      maxDiff <= 1e-5 * Math.max(1, maxRef),
      `${v.name}: max |difference| ${maxDiff} (largest gradient ${maxRef})`,
    );
  }
  tf.dispose([a, b, whole.value, ...Object.values(whole.grads), ...Object.values(split)]);
  for (const m of Object.values(nets)) m.dispose();
});
