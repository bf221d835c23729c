// "Huge image" warning: the time estimate before an upscale starts, learned from this
// machine's own jobs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_SEC_PER_MP, isHuge, learnRate, rateKey, secondsFor } from '../../../src/extension/infer/estimate';

test('estimates from the defaults, then from measured jobs', () => {
  // 12 MP at x4 with no history: the conservative default.
  assert.equal(secondsFor({}, 4, 'default', 4000, 3000), DEFAULT_SEC_PER_MP[4] * 12);
  let rates = learnRate({}, 4, 'default', 1000, 1000, 50);
  assert.equal(rates[rateKey(4, 'default')], 50);
  rates = learnRate(rates, 4, 'default', 1000, 1000, 30);
  assert.equal(rates[rateKey(4, 'default')], 40, 'moving average');
  assert.equal(secondsFor(rates, 4, 'default', 2000, 1000), 80);
  // Checkpoints share one rate per scale; tiny images teach nothing.
  assert.equal(rateKey(2, '/w/runs/sr'), 'x2:checkpoint');
  assert.deepEqual(learnRate(rates, 4, 'default', 32, 24, 0.4), rates);
});

test('huge: a long estimate or a large input', () => {
  assert.ok(!isHuge(30, 640, 480));
  assert.ok(isHuge(600, 1000, 1000));
  assert.ok(isHuge(10, 4000, 3000), '12 MP warns even on a fast machine (the result is 192 MP)');
});
