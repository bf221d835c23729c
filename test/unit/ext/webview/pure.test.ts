import { test } from 'node:test';
import assert from 'node:assert/strict';
import { smooth, scaleDistr, lossNames, toColumns } from '../../../../webview/lib/smoothing';
import { sparklineSegments } from '../../../../webview/lib/sparkline';
import {
  addSteps,
  emptyScrub,
  filmstripSteps,
  keyToIndex,
  selectIndex,
  selectStep,
  setFollow,
} from '../../../../webview/lib/scrubber';
import { RingBuffer } from '../../../../src/shared/ringBuffer';
import { formatNumber } from '../../../../src/shared/format';

test('smooth: debiased EMA, 0 = raw, NaN gaps do not poison', () => {
  assert.deepEqual(smooth([1, 2, 3], 0), [1, 2, 3]);
  const s = smooth([4, 4, 4], 0.9);
  for (const v of s) assert.ok(Math.abs((v as number) - 4) < 1e-9, 'constant stays constant (debiased)');
  const g = smooth([1, NaN, null, 1], 0.5);
  assert.equal(g[1], null);
  assert.equal(g[2], null);
  assert.ok(Math.abs((g[3] as number) - 1) < 1e-9);
  const r = smooth([0, 10], 0.5);
  assert.equal(r[0], 0);
  assert.ok((r[1] as number) > 5 && (r[1] as number) < 10);
});

test('scale distribution, loss names, columns', () => {
  assert.equal(scaleDistr([[1, 2]], false), 1);
  assert.equal(scaleDistr([[1, 2]], true), 3);
  assert.equal(
    scaleDistr(
      [
        [1, null],
        [0.5, -0.1],
      ],
      true,
    ),
    4,
  );
  assert.deepEqual(lossNames([{ losses: { a: 1 } }, { losses: { b: 1, a: 2 } }]), ['a', 'b']);
  const c = toColumns(
    [
      { step: 1, v: 1 },
      { step: 2, v: NaN },
    ],
    ['v'],
    (p) => p.v,
  );
  assert.deepEqual(c, { xs: [1, 2], ys: [[1, null]] });
});

test('sparkline: shared range, NaN splits a line, flat and empty series', () => {
  const [a, b] = sparklineSegments(
    [
      [0, 1, NaN, 1],
      [0.5, 0.5, 0.5, 0.5],
    ],
    { width: 30, height: 12, pad: 1 },
  );
  assert.deepEqual(a, ['1.0,11.0 10.3,1.0', '29.0,1.0']);
  assert.equal(b.length, 1);
  assert.deepEqual(sparklineSegments([[NaN]], { width: 10, height: 10 }), [[]]);
  assert.deepEqual(sparklineSegments([[2, 2]], { width: 10, height: 10, pad: 0 }), [['0.0,5.0 10.0,5.0']]);
});

test('scrubber state', () => {
  let s = addSteps(emptyScrub(), [20, 0, 10]);
  assert.deepEqual(s, { steps: [0, 10, 20], index: 2, follow: true });
  s = selectIndex(s, 0);
  assert.equal(s.follow, false);
  s = addSteps(s, [30, 10]);
  assert.deepEqual(s, { steps: [0, 10, 20, 30], index: 0, follow: false });
  assert.equal(selectStep(s, 14).index, 1);
  assert.equal(selectStep(s, 15).index, 1, 'ties go to the earlier grid');
  assert.equal(selectStep(s, 1000).follow, true);
  assert.equal(selectIndex(s, 99).index, 3);
  assert.equal(setFollow(s, true).index, 3);
  assert.equal(keyToIndex('ArrowRight', s), 1);
  assert.equal(keyToIndex('End', s), 3);
  assert.equal(keyToIndex('a', s), undefined);
  assert.deepEqual(filmstripSteps([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 3), [0, 5, 10]);
  assert.deepEqual(filmstripSteps([1, 2], 5), [1, 2]);
  assert.deepEqual(filmstripSteps([], 5), []);
});

test('ring buffer', () => {
  const r = new RingBuffer<number>(3);
  assert.equal(r.last(), undefined);
  for (const v of [1, 2, 3, 4, 5]) r.push(v);
  assert.deepEqual(r.toArray(), [3, 4, 5]);
  assert.equal(r.length, 3);
  assert.equal(r.last(), 5);
  assert.deepEqual(
    r.since((v) => v > 3),
    [4, 5],
  );
  assert.deepEqual(
    r.since((v) => v > 9),
    [],
  );
  r.clear();
  assert.deepEqual(r.toArray(), []);
  assert.throws(() => new RingBuffer(0));
});

test('formatNumber', () => {
  assert.equal(formatNumber(0.693147), '0.6931');
  assert.equal(formatNumber(NaN), 'NaN');
  assert.equal(formatNumber(undefined), '–');
  assert.equal(formatNumber(0.00001234), '1.23e-5');
  assert.equal(formatNumber(0), '0');
});
