// The seeded generator and the batch stream: same seed = same numbers, and a saved state
// continues exactly where it left off.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ShuffledBatches } from '../../src/trainer/data/batches';
import { installAsMathRandom, Rng } from '../../src/trainer/engine/rng';

const draw = (r: Rng, n: number) => Array.from({ length: n }, () => r.random());

test('rng: same seed gives the same stream, another seed or stream a different one', () => {
  assert.deepEqual(draw(new Rng(42), 100), draw(new Rng(42), 100));
  assert.notDeepEqual(draw(new Rng(42), 100), draw(new Rng(43), 100));
  assert.notDeepEqual(draw(new Rng(42, 0), 100), draw(new Rng(42, 1), 100));
});

test('rng: state survives a JSON round trip mid-stream (normals included)', () => {
  const a = new Rng(7);
  draw(a, 13);
  a.normal(); // leaves a spare normal in the state
  const saved = JSON.parse(JSON.stringify(a.getState()));
  const b = Rng.fromState(saved);
  assert.deepEqual(Array.from(b.normals(51)), Array.from(a.normals(51)));
  assert.deepEqual(draw(b, 50), draw(a, 50));
});

test('rng: uniform in [0,1) and normals with mean ~0, variance ~1', () => {
  const r = new Rng(1);
  const u = draw(r, 20000);
  assert.ok(u.every((x) => x >= 0 && x < 1));
  assert.ok(Math.abs(u.reduce((s, x) => s + x, 0) / u.length - 0.5) < 0.01);
  const z = Array.from(r.normals(20000));
  const mean = z.reduce((s, x) => s + x, 0) / z.length;
  const variance = z.reduce((s, x) => s + (x - mean) ** 2, 0) / z.length;
  assert.ok(Math.abs(mean) < 0.03, `mean ${mean}`);
  assert.ok(Math.abs(variance - 1) < 0.05, `variance ${variance}`);
});

test('rng: installed as Math.random it makes Math.random reproducible, and is removed again', () => {
  const original = Math.random;
  const restore = installAsMathRandom(new Rng(5));
  const a = [Math.random(), Math.random()];
  restore();
  assert.equal(Math.random, original);
  const restore2 = installAsMathRandom(new Rng(5));
  const b = [Math.random(), Math.random()];
  restore2();
  assert.deepEqual(a, b);
});

test('rng: invalid state is refused', () => {
  assert.throws(() => new Rng(1).setState({ s: [0, 0, 0, 0], spare: null }));
});

test('batches: every index once per epoch, epochs reshuffled, all batches full', () => {
  const s = new ShuffledBatches(10, 3, new Rng(1));
  const e1 = [s.next(), s.next(), s.next()];
  assert.ok(e1.every((b) => b.epoch === 1 && b.indices.length === 3));
  const seen = e1.flatMap((b) => Array.from(b.indices));
  assert.equal(new Set(seen).size, 9);
  const e2 = s.next();
  assert.equal(e2.epoch, 2);
  assert.throws(() => new ShuffledBatches(2, 3, new Rng(1)), /larger than the data set/);
});

test('batches: resuming from a saved state gives the same batches as never stopping', () => {
  const straight = new ShuffledBatches(50, 8, new Rng(9));
  const ref = Array.from({ length: 20 }, () => Array.from(straight.next().indices));
  const first = new ShuffledBatches(50, 8, new Rng(9));
  const part = Array.from({ length: 9 }, () => Array.from(first.next().indices));
  const state = JSON.parse(JSON.stringify(first.getState()));
  const resumed = new ShuffledBatches(50, 8, new Rng(12345), state);
  const rest = Array.from({ length: 11 }, () => Array.from(resumed.next().indices));
  assert.deepEqual([...part, ...rest], ref);
});
