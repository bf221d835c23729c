// The classifier scores of MNIST / Fashion-MNIST runs (src/trainer/train/quality): the Fréchet
// distance against references computed other ways, the shipped classifier on real test images,
// and a short cGAN run that writes `recognised` and `fd`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { imagesToTensor, loadMnist } from '../../src/trainer/data/mnist';
import { classifierDir, classifierScores, loadClassifier } from '../../src/trainer/train/quality/classifier';
import {
  frechetDistance,
  moments,
  sqrtPsd,
  symmetricEigen,
  type Moments,
} from '../../src/trainer/train/quality/frechet';
import { runTraining } from '../../src/trainer/train/run';
import { Rng } from '../../src/trainer/engine/rng';
import { readMetrics, tmpDir, writeConfig } from './helpers';

const close = (a: number, b: number, tol: number, what: string) =>
  assert.ok(Math.abs(a - b) <= tol * Math.max(1, Math.abs(b)), `${what}: ${a} vs ${b}`);

/** A random symmetric positive definite d*d matrix: B B^T + eps I. */
function randomSpd(d: number, rng: Rng): Float64Array {
  const b = Float64Array.from(rng.normals(d * d));
  const out = new Float64Array(d * d);
  for (let i = 0; i < d; i++)
    for (let j = 0; j < d; j++) for (let k = 0; k < d; k++) out[i * d + j] += b[i * d + k] * b[j * d + k];
  for (let i = 0; i < d; i++) out[i * d + i] += 0.1;
  return out;
}

function mul(a: ArrayLike<number>, b: ArrayLike<number>, d: number): Float64Array {
  const out = new Float64Array(d * d);
  for (let i = 0; i < d; i++)
    for (let j = 0; j < d; j++) for (let k = 0; k < d; k++) out[i * d + j] += a[i * d + k] * b[k * d + j];
  return out;
}

/** Gauss-Jordan inverse (test reference only). */
function inverse(m: ArrayLike<number>, d: number): Float64Array {
  const a = Float64Array.from(m);
  const inv = new Float64Array(d * d);
  for (let i = 0; i < d; i++) inv[i * d + i] = 1;
  for (let c = 0; c < d; c++) {
    let p = c;
    for (let r = c + 1; r < d; r++) if (Math.abs(a[r * d + c]) > Math.abs(a[p * d + c])) p = r;
    for (const x of [a, inv]) for (let k = 0; k < d; k++) [x[c * d + k], x[p * d + k]] = [x[p * d + k], x[c * d + k]];
    const piv = a[c * d + c];
    for (const x of [a, inv]) for (let k = 0; k < d; k++) x[c * d + k] /= piv;
    for (let r = 0; r < d; r++) {
      if (r === c) continue;
      const f = a[r * d + c];
      for (const x of [a, inv]) for (let k = 0; k < d; k++) x[r * d + k] -= f * x[c * d + k];
    }
  }
  return inv;
}

/** tr sqrt(A) of a (non-symmetric) matrix with positive eigenvalues, by the Denman-Beavers iteration. */
function traceSqrtDenmanBeavers(a: Float64Array, d: number): number {
  let y = Float64Array.from(a);
  let z = new Float64Array(d * d);
  for (let i = 0; i < d; i++) z[i * d + i] = 1;
  for (let it = 0; it < 60; it++) {
    const yi = inverse(y, d);
    const zi = inverse(z, d);
    y = y.map((v, k) => (v + zi[k]) / 2);
    z = z.map((v, k) => (v + yi[k]) / 2);
  }
  let t = 0;
  for (let i = 0; i < d; i++) t += y[i * d + i];
  return t;
}

test('frechet: the eigen-decomposition rebuilds the matrix and the square root squares back', () => {
  const rng = new Rng(3, 0);
  const d = 12;
  const a = randomSpd(d, rng);
  const { values, vectors: v } = symmetricEigen(a, d);
  const rebuilt = new Float64Array(d * d);
  for (let k = 0; k < d; k++)
    for (let i = 0; i < d; i++)
      for (let j = 0; j < d; j++) rebuilt[i * d + j] += v[i * d + k] * values[k] * v[j * d + k];
  rebuilt.forEach((x, k) => close(x, a[k], 1e-9, `A[${k}]`));
  const s = sqrtPsd(a, d);
  mul(s, s, d).forEach((x, k) => close(x, a[k], 1e-9, `sqrt(A)^2[${k}]`));
});

test('frechet: the 1-D and diagonal cases match their closed forms', () => {
  const one = (m: number, v: number): Moments => ({ d: 1, mean: Float64Array.of(m), cov: Float64Array.of(v) });
  // 1-D: (m1 - m2)^2 + (s1 - s2)^2.
  close(frechetDistance(one(1, 4), one(-2, 9)), 9 + 1, 1e-12, '1-D');
  const d = 5;
  const diag = (vals: number[]) =>
    Float64Array.from({ length: d * d }, (_, k) => (k % (d + 1) === 0 ? vals[k / (d + 1)] : 0));
  const va = [1, 2, 3, 0.5, 4];
  const vb = [2, 2, 1, 0.25, 9];
  const a: Moments = { d, mean: Float64Array.of(0, 1, 2, 3, 4), cov: diag(va) };
  const b: Moments = { d, mean: Float64Array.of(1, 1, 2, 3, 2), cov: diag(vb) };
  const expected = 1 + 4 + va.reduce((s, x, i) => s + (Math.sqrt(x) - Math.sqrt(vb[i])) ** 2, 0);
  close(frechetDistance(a, b), expected, 1e-10, 'diagonal');
});

test('frechet: full covariances match tr sqrt(C1 C2) by Denman-Beavers, and a set against itself is 0', () => {
  const rng = new Rng(5, 0);
  const d = 6;
  const a: Moments = { d, mean: Float64Array.from(rng.normals(d)), cov: randomSpd(d, rng) };
  const b: Moments = { d, mean: Float64Array.from(rng.normals(d)), cov: randomSpd(d, rng) };
  let meanTerm = 0;
  for (let j = 0; j < d; j++) meanTerm += (a.mean[j] - b.mean[j]) ** 2;
  let tr = 0;
  for (let i = 0; i < d; i++) tr += a.cov[i * d + i] + b.cov[i * d + i];
  const expected = meanTerm + tr - 2 * traceSqrtDenmanBeavers(mul(a.cov, b.cov, d), d);
  close(frechetDistance(a, b), expected, 1e-8, 'full');
  // Sample moments: 200 vectors of 8 features; the same set scores ~0, a shifted one its shift^2.
  const x = rng.normals(200 * 8);
  const m = moments(x, 200, 8);
  assert.ok(frechetDistance(m, m) < 1e-9, `self ${frechetDistance(m, m)}`);
  const shifted = moments(
    x.map((v, k) => (k % 8 === 0 ? v + 2 : v)),
    200,
    8,
  );
  close(frechetDistance(m, shifted), 4, 1e-6, 'shifted');
});

test('shipped classifier: recognises real MNIST test digits of each class; real images score a low fd', async () => {
  await tf.setBackend('cpu');
  const dir = classifierDir('mnist');
  assert.ok(dir, 'models/classifiers/mnist is shipped');
  const c = await loadClassifier(dir);
  const test = loadMnist('test');
  // 20 test images of each digit, in class order.
  const idx: number[] = [];
  for (let k = 0; k < 10; k++) for (let i = 0; idx.length < 20 * (k + 1); i++) if (test.labels[i] === k) idx.push(i);
  const x = imagesToTensor(test, idx);
  const before = tf.memory().numTensors;
  const real = await classifierScores(
    c,
    x,
    idx.map((i) => test.labels[i]),
  );
  assert.equal(tf.memory().numTensors, before, 'scoring leaks no tensor');
  assert.ok(real.recognised >= 0.95, `recognised ${real.recognised}`);
  // Noise is far from digits: its fd is many times that of real images.
  const noise = tf.randomUniform([200, 28, 28, 1], -1, 1, 'float32', 1) as tf.Tensor4D;
  const fake = await classifierScores(c, noise);
  assert.ok(fake.fd > 5 * real.fd, `fd real ${real.fd}, noise ${fake.fd}`);
  tf.dispose([x, noise]);
  c.dispose();
});

test('a short cgan run on MNIST writes recognised and fd at its sample step; a gan run fd only', async () => {
  const dir = tmpDir();
  const ganRun = path.join(dir, 'gan');
  await runTraining({ configPath: writeConfig(dir, { steps: 2 }, 'gan.json'), runDir: ganRun, backend: 'cpu' });
  const ganScores = readMetrics(ganRun).find((r) => r.step === 2)?.scores;
  assert.ok(ganScores && Number.isFinite(ganScores.fd) && !('recognised' in ganScores), JSON.stringify(ganScores));
  const configPath = writeConfig(dir, {
    model: 'cgan',
    steps: 2,
    batchSize: 4,
    sampleEvery: 2,
    params: { latentDim: 4, ngf: 2, ndf: 2 },
  });
  const runDir = path.join(dir, 'run');
  await runTraining({ configPath, runDir, backend: 'cpu' });
  const scored = readMetrics(runDir).filter((r) => r.scores?.fd !== undefined);
  assert.ok(
    scored.some((r) => r.step === 2),
    `scored at the sample step (scored: ${scored.map((r) => r.step).join(', ')})`,
  );
  for (const { scores } of scored) {
    const { recognised, fd } = scores as Record<string, number>;
    assert.ok(recognised >= 0 && recognised <= 1, `recognised ${recognised}`);
    assert.ok(Number.isFinite(fd) && fd > 0, `fd ${fd}`);
  }
});
