// The sliced Wasserstein distance (src/trainer/train/quality): against a plain reference
// written here from the paper's description, its behaviour on known distributions, and a
// short dcgan run writing it at its sample steps.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { Rng } from '../../src/trainer/engine/rng';
import type { ImageBatch } from '../../src/trainer/engine/imageGrid';
import {
  DIRECTION_STREAM,
  POSITION_STREAM,
  slicedWasserstein,
  sortedDistance,
  SwdReference,
} from '../../src/trainer/train/quality/swd';
import { runTraining } from '../../src/trainer/train/run';
import { runGan } from '../lib/cli';
import { readMetrics, tmpDir, writeConfig } from './helpers';

// ---- The reference: nested arrays, a 2-D 5x5 kernel, comparator sorts, no shared code. ----
type Plane = number[][];
const K1 = [1, 4, 6, 4, 1].map((v) => v / 16);
const clampTo = (v: number, n: number) => Math.min(n - 1, Math.max(0, v));

function conv(p: Plane, gain: number): Plane {
  const h = p.length,
    w = p[0].length;
  return p.map((row, y) =>
    row.map((_, x) => {
      let s = 0;
      for (let a = -2; a <= 2; a++)
        for (let b = -2; b <= 2; b++) s += K1[a + 2] * K1[b + 2] * p[clampTo(y + a, h)][clampTo(x + b, w)];
      return s * gain;
    }),
  );
}
const down = (p: Plane): Plane =>
  conv(p, 1)
    .filter((_, y) => y % 2 === 0)
    .map((r) => r.filter((_, x) => x % 2 === 0));
function up(p: Plane, h: number, w: number): Plane {
  const z: Plane = Array.from({ length: h }, (_, y) =>
    Array.from({ length: w }, (_, x) => (y % 2 || x % 2 ? 0 : p[y / 2][x / 2])),
  );
  return conv(z, 4);
}
/** levels[l][image][channel] = plane. */
function refPyramid(b: ImageBatch): Plane[][][] {
  let sides = 1;
  for (let s = Math.min(b.h, b.w); Math.ceil(s / 2) >= 8; s = Math.ceil(s / 2)) sides++;
  const levels: Plane[][][] = Array.from({ length: sides }, () => []);
  for (let i = 0; i < b.n; i++) {
    for (let ch = 0; ch < b.c; ch++) {
      let g: Plane = Array.from({ length: b.h }, (_, y) =>
        Array.from({ length: b.w }, (_, x) => b.data[((i * b.h + y) * b.w + x) * b.c + ch]),
      );
      for (let l = 0; l < sides; l++) {
        const coarse = l < sides - 1 ? down(g) : undefined;
        const plane = coarse ? g.map((row, y) => row.map((v, x) => v - up(coarse, g.length, g[0].length)[y][x])) : g;
        (levels[l][i] ??= [])[ch] = plane;
        if (coarse) g = coarse;
      }
    }
  }
  return levels;
}
/** Descriptors as arrays of 49c numbers, drawn in the module's order: image, y, x. */
function refDescriptors(level: Plane[][], count: number, rng: Rng): number[][] {
  const h = level[0][0].length,
    w = level[0][0][0].length,
    c = level[0].length;
  const out: number[][] = [];
  for (let d = 0; d < count; d++) {
    const i = rng.int(level.length),
      y0 = rng.int(Math.max(1, h - 6)),
      x0 = rng.int(Math.max(1, w - 6));
    const v: number[] = [];
    for (let y = 0; y < 7; y++)
      for (let x = 0; x < 7; x++)
        for (let ch = 0; ch < c; ch++) v.push(level[i][ch][clampTo(y0 + y, h)][clampTo(x0 + x, w)]);
    out.push(v);
  }
  return out;
}
function refSwd(
  real: ImageBatch,
  fake: ImageBatch,
  o: { descriptors: number; directions: number; repeats: number; seed: number },
): Record<string, number> {
  const dirRng = new Rng(o.seed, DIRECTION_STREAM),
    realRng = new Rng(o.seed, POSITION_STREAM),
    fakeRng = new Rng(o.seed, POSITION_STREAM);
  const rp = refPyramid(real),
    fp = refPyramid(fake),
    out: Record<string, number> = {};
  rp.forEach((level, l) => {
    const c = real.c,
      side = Math.min(level[0][0].length, level[0][0][0].length);
    const rd = refDescriptors(level, o.descriptors, realRng);
    const mean = Array.from({ length: c }, (_, ch) => avg(rd.flatMap((v) => v.filter((_, k) => k % c === ch))));
    const std = mean.map((m, ch) =>
      Math.sqrt(avg(rd.flatMap((v) => v.filter((_, k) => k % c === ch).map((x) => (x - m) ** 2)))),
    );
    const norm = (v: number[]) => v.map((x, k) => (x - mean[k % c]) / std[k % c]);
    const a = rd.map(norm);
    const dirs = Array.from({ length: o.directions * o.repeats }, () => {
      const v = Array.from({ length: 49 * c }, () => dirRng.normal());
      const len = Math.hypot(...v);
      return v.map((x) => x / len);
    });
    const b = refDescriptors(fp[l], o.descriptors, fakeRng).map(norm);
    const dist = dirs.map((dir) => {
      const pa = a.map((v) => dot(v, dir)).sort((x, y) => x - y),
        pb = b.map((v) => dot(v, dir)).sort((x, y) => x - y);
      return avg(pa.map((x, k) => Math.abs(x - pb[k])));
    });
    out[`swd${side}`] = avg(dist) * 1000;
  });
  return { swd: avg(Object.values(out)), ...out };
}
const avg = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
const dot = (a: number[], b: number[]) => a.reduce((s, x, k) => s + x * b[k], 0);

// ---- Test images: a few soft blobs per image, optionally shifted in brightness or scaled. ----
function blobs(n: number, side: number, c: number, seed: number, shift = 0, scale = 1): ImageBatch {
  const r = new Rng(seed),
    data = new Float32Array(n * side * side * c);
  for (let i = 0; i < n; i++) {
    for (let b = 0; b < 4; b++) {
      const cx = r.random() * side,
        cy = r.random() * side,
        sig = 1.5 + r.random() * 3,
        ch = r.int(c);
      for (let y = 0; y < side; y++)
        for (let x = 0; x < side; x++)
          data[((i * side + y) * side + x) * c + ch] += Math.exp(-((x - cx) ** 2 + (y - cy) ** 2) / (2 * sig * sig));
    }
  }
  for (let k = 0; k < data.length; k++) data[k] = Math.tanh(scale * (data[k] * 2 - 1) + shift);
  return { data, n, h: side, w: side, c };
}

test('swd: matches a plain reference implementation on small inputs', () => {
  for (const [side, c] of [
    [16, 2],
    [20, 1],
  ]) {
    const real = blobs(5, side, c, 1),
      fake = blobs(3, side, c, 2, 0.2);
    const o = { descriptors: 40, directions: 8, repeats: 2, seed: 7 };
    const got = slicedWasserstein(real, fake, o),
      want = refSwd(real, fake, o);
    assert.deepEqual(Object.keys(got), Object.keys(want), `${side}x${side}x${c}: the same levels`);
    for (const k of Object.keys(want))
      assert.ok(
        Math.abs(got[k] - want[k]) <= 1e-4 * Math.max(1, want[k]),
        `${side}x${side}x${c} ${k}: ${got[k]} vs ${want[k]}`,
      );
    assert.ok(want.swd > 1, 'the cases are not trivially zero');
  }
});

test('swd: the sorted 1-D distance is the best matching of the two samples (brute force)', () => {
  const r = new Rng(3);
  const perms = (xs: number[]): number[][] =>
    xs.length <= 1 ? [xs] : xs.flatMap((x, i) => perms([...xs.slice(0, i), ...xs.slice(i + 1)]).map((p) => [x, ...p]));
  for (let t = 0; t < 5; t++) {
    const a = Array.from({ length: 6 }, () => r.normal()),
      b = Array.from({ length: 6 }, () => r.normal() * 2 + 1);
    const best = Math.min(...perms([0, 1, 2, 3, 4, 5]).map((p) => avg(p.map((j, i) => Math.abs(a[i] - b[j])))));
    const got = sortedDistance(Float32Array.from(a).sort(), Float32Array.from(b).sort());
    assert.ok(Math.abs(got - best) < 1e-5, `${got} vs ${best}`);
  }
});

test('swd: identical sets score 0; more brightness shift or contrast scores more; same seed, same number', () => {
  const real = blobs(64, 28, 1, 1);
  const ref = SwdReference.fromImages(real, { seed: 5 });
  assert.equal(ref.score(real).swd, 0);
  const same = ref.score(blobs(64, 28, 1, 2)).swd;
  const shifted = [0.2, 0.5, 1].map((s) => ref.score(blobs(64, 28, 1, 2, s)).swd);
  const scaled = ref.score(blobs(64, 28, 1, 2, 0, 1.6)).swd;
  assert.ok(
    same > 0 && same < shifted[0] && shifted[0] < shifted[1] && shifted[1] < shifted[2],
    `same ${same}, shifted ${shifted}`,
  );
  assert.ok(scaled > 1.5 * same, `scaled ${scaled} vs same ${same}`);
  assert.deepEqual(
    SwdReference.fromImages(real, { seed: 5 }).score(blobs(64, 28, 1, 2)),
    ref.score(blobs(64, 28, 1, 2)),
  );
  const rgb = SwdReference.fromImages(blobs(32, 32, 3, 1), { seed: 5 }).score(blobs(32, 32, 3, 2, 0.5));
  assert.deepEqual(Object.keys(rgb), ['swd', 'swd32', 'swd16', 'swd8']);
});

test('swd: a short dcgan run writes swd at its sample steps, and gan sample --stats prints it', async () => {
  const dir = tmpDir();
  const configPath = writeConfig(dir, {
    model: 'dcgan',
    steps: 4,
    sampleEvery: 2,
    checkpointEvery: 4,
    batchSize: 4,
    params: { latentDim: 4, ngf: 2, ndf: 2 },
  });
  const runDir = path.join(dir, 'run');
  const r = await runTraining({ configPath, runDir, backend: 'cpu' });
  assert.equal(r.status, 'finished');
  const m = readMetrics(runDir);
  assert.deepEqual(
    m.map((x) => x.step),
    [1, 2, 3, 4],
  );
  assert.deepEqual(
    m.filter((x) => x.scores).map((x) => x.step),
    [2, 4],
  );
  for (const x of m.filter((y) => y.scores)) {
    // Other scorers may add their own names (quality/index.ts): only the swd ones are checked.
    const swd = Object.entries(x.scores!).filter(([k]) => k.startsWith('swd'));
    assert.deepEqual(
      swd.map(([k]) => k),
      ['swd', 'swd28', 'swd14'],
    );
    assert.ok(
      swd.every(([, v]) => Number.isFinite(v) && v > 0),
      JSON.stringify(x.scores),
    );
  }
  const s = runGan(['sample', runDir, '--out', path.join(dir, 'out'), '--stats', '--seed', '3', '--backend', 'cpu']);
  assert.equal(s.code, 0, s.stderr);
  assert.match(s.stdout, /scores of 64 samples against mnist: swd \d+\.\d{3} {2}swd28 \d+\.\d{3} {2}swd14 \d+\.\d{3}/);
});
