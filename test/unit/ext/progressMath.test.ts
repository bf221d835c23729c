import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  RateEstimator,
  etaSeconds,
  formatDuration,
  formatRate,
  progressText,
  stepsPerSecond,
} from '../../../src/extension/trainer/progressMath';

test('rate over wall-clock time, reset on rewind', () => {
  const r = new RateEstimator(10_000);
  assert.equal(r.rate(), undefined);
  r.add(0, 0);
  r.add(10, 5000);
  assert.equal(r.rate(), 2);
  r.add(30, 10_000);
  assert.equal(r.rate(), 3);
  r.add(5, 11_000); // resumed from an earlier checkpoint
  assert.equal(r.rate(), undefined);
});

test('window drops old points but keeps two', () => {
  const r = new RateEstimator(1000);
  r.add(0, 0);
  r.add(1, 60_000);
  assert.equal(r.rate(), 1 / 60);
  r.add(2, 60_500);
  assert.equal(r.rate(), 2);
});

test('fallbacks, ETA and formatting', () => {
  assert.equal(stepsPerSecond(undefined, 250), 4);
  assert.equal(stepsPerSecond(2, 250), 2);
  assert.equal(stepsPerSecond(undefined, NaN), undefined);
  assert.equal(etaSeconds(100, 200, 2), 50);
  assert.equal(etaSeconds(100, 200, undefined), undefined);
  assert.equal(formatDuration(42), '42s');
  assert.equal(formatDuration(125), '2m 05s');
  assert.equal(formatDuration(3 * 3600 + 7 * 60), '3h 07m');
  assert.equal(formatDuration(undefined), '–');
  assert.equal(formatRate(2.5), '2.50 steps/s');
  assert.equal(formatRate(0.05), '20.0 s/step');
  assert.equal(
    progressText({ step: 5, totalSteps: 10, rate: 1, eta: 5, backend: 'cpu' }),
    'step 5/10 · 1.00 steps/s · ETA 5s · cpu',
  );
  assert.equal(progressText({ step: 5, totalSteps: 10, paused: true }), 'step 5/10 · paused');
});
