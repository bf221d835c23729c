import { test } from 'node:test';
import assert from 'node:assert/strict';
import { configDiff, flattenConfig } from '../../../src/shared/configDiff';
import {
  parseRunComparisonHostMessage,
  parseRunComparisonState,
  parseRunComparisonWebviewMessage,
} from '../../../src/shared/runComparisonProtocol';
import type { MetricPoint } from '../../../src/shared/webviewProtocol';
import { alignColumns, pointMetrics, sharedMetrics, trainingSeconds, xValues } from '../../../webview/lib/metricAlign';
import { nearestIndex } from '../../../webview/lib/scrubber';
import { zoomWindow } from '../../../webview/lib/chartControls';

test('config flattening: dotted keys, arrays and empty objects are leaves', () => {
  assert.deepEqual(
    flattenConfig({ model: 'gan', optimizer: { lr: 0.0002, betas: [0.5, 0.9] }, extra: {}, d: { x: { y: null } } }),
    {
      model: '"gan"',
      'optimizer.lr': '0.0002',
      'optimizer.betas': '[0.5,0.9]',
      extra: '{}',
      'd.x.y': 'null',
    },
  );
  assert.deepEqual(flattenConfig(null), {});
  assert.deepEqual(flattenConfig([1, 2]), {});
});

test('config diff: only keys that differ, a missing key is null, first-seen order', () => {
  const a = { model: 'gan', steps: 100, optimizer: { lr: 0.0002, beta1: 0.5 } };
  const b = { model: 'gan', steps: 100, optimizer: { lr: 0.001, beta1: 0.5 }, ema: 0.999 };
  const c = { model: 'dcgan', steps: 100, optimizer: { lr: 0.0002, beta1: 0.5 } };
  assert.deepEqual(configDiff([a, b]), [
    { key: 'optimizer.lr', values: ['0.0002', '0.001'] },
    { key: 'ema', values: [null, '0.999'] },
  ]);
  assert.deepEqual(
    configDiff([a, b, c]).map((r) => r.key),
    ['model', 'optimizer.lr', 'ema'],
  );
  assert.deepEqual(configDiff([a, structuredClone(a)]), []);
  assert.deepEqual(configDiff([a, undefined]).length, 4, 'a run without config.json differs on every key');
  assert.deepEqual(
    configDiff(
      [
        { name: 'x', s: 1 },
        { name: 'y', s: 1 },
      ],
      ['name'],
    ),
    [],
  );
  assert.deepEqual(configDiff([{ s: 1 }, { s: '1' }]), [{ key: 's', values: ['1', '"1"'] }], 'types count');
});

const pt = (
  step: number,
  losses: Record<string, number>,
  more: Partial<Omit<MetricPoint, 'scores'>> & Record<string, unknown> = {},
): MetricPoint => ({ step, losses, msPerStep: 100, ...more }) as MetricPoint;

test('metrics of a point: losses, D outputs, ms/step and whatever else the trainer adds', () => {
  const p = pt(3, { dLoss: 1, gLoss: 2 }, { dReal: 0.6, fd: 7, scores: { swd: 0.1, fd: 3, note: 'x' }, epoch: 1 });
  assert.deepEqual(pointMetrics(p), {
    dLoss: 1,
    gLoss: 2,
    msPerStep: 100,
    dReal: 0.6,
    fd: 7,
    swd: 0.1,
    'scores.fd': 3,
  });
});

test('shared metrics: runs of different families overlay only what they all report', () => {
  const gan = [pt(1, { dLoss: 1, gLoss: 2 }, { dReal: 0.5 }), pt(2, { dLoss: 1, gLoss: 2 }, { dReal: 0.5, swd: 0.3 })];
  const pix = [pt(1, { dLoss: 1, gLoss: 2, l1Loss: 4 })];
  const { shared, partial } = sharedMetrics([gan, pix]);
  assert.deepEqual(shared, ['dLoss', 'gLoss', 'msPerStep']);
  assert.deepEqual(partial, [
    { name: 'dReal', runs: [0] },
    { name: 'swd', runs: [0] },
    { name: 'l1Loss', runs: [1] },
  ]);
});

test('training time: the sum of ms/step over the steps between points', () => {
  const pts = [pt(10, {}, { msPerStep: 100 }), pt(20, {}, { msPerStep: 200 }), pt(30, {}, { msPerStep: undefined })];
  assert.deepEqual(trainingSeconds(pts), [1, 3, 5]);
  assert.deepEqual(xValues(pts, 'step'), [10, 20, 30]);
  assert.deepEqual(xValues(pts, 'time'), [1, 3, 5]);
});

test('alignment on the union of x values: null where a run has no point, later duplicate wins', () => {
  const { xs, ys } = alignColumns([
    { xs: [0, 10, 20], ys: [[1, 2, 3]] },
    { xs: [5, 10, 10], ys: [[7, 8, 9]] },
  ]);
  assert.deepEqual(xs, [0, 5, 10, 20]);
  assert.deepEqual(ys, [[[1, null, 2, 3]], [[null, 7, 9, null]]]);
});

test('nearest sample step and the zoom window', () => {
  assert.equal(nearestIndex([0, 10, 20], 14), 1);
  assert.equal(nearestIndex([0, 10, 20], 15), 1, 'ties go to the earlier');
  assert.equal(nearestIndex([0, 10, 20], 99), 2);
  assert.equal(nearestIndex([], 5), -1);
  assert.deepEqual(zoomWindow([0, 50, 100], 0.2), { min: 80, max: 100 });
  assert.equal(zoomWindow([0, 100], 1), undefined);
  assert.equal(zoomWindow([], 0.5), undefined);
});

test('page -> host: runs by index only; anything else is dropped', () => {
  assert.deepEqual(parseRunComparisonWebviewMessage({ type: 'ready' }, 2), { type: 'ready' });
  assert.deepEqual(parseRunComparisonWebviewMessage({ type: 'openDashboard', run: 1 }, 2), {
    type: 'openDashboard',
    run: 1,
  });
  assert.deepEqual(parseRunComparisonWebviewMessage({ type: 'openSample', run: 0, step: 40, path: '/etc/passwd' }, 2), {
    type: 'openSample',
    run: 0,
    step: 40,
  });
  const bad: unknown[] = [
    null,
    'ready',
    [],
    { type: 'openDashboard', run: 2 },
    { type: 'openDashboard', run: -1 },
    { type: 'openDashboard', run: '0' },
    { type: 'openConfig', run: 0.5 },
    { type: 'openSample', run: 0 },
    { type: 'openSample', run: 0, step: -1 },
    { type: 'openFile', path: '/etc/passwd' },
    { type: 'action', action: 'stop', runDir: '/w/runs/a' },
  ];
  for (const m of bad) assert.equal(parseRunComparisonWebviewMessage(m, 2), undefined, JSON.stringify(m));
});

const info = (name: string) => ({
  runDir: `/w/runs/${name}`,
  name,
  status: 'finished',
  step: 20,
  totalSteps: 20,
  live: false,
});

test('host -> page: reset and the dashboard-shaped stream are validated', () => {
  const reset = {
    type: 'reset',
    configDiff: [{ key: 'optimizer.lr', values: ['0.0002', null] }],
    runs: [
      {
        info: info('a'),
        family: 'gan',
        points: [{ step: 1, losses: { dLoss: 1 } }],
        samples: [{ step: 0, uri: 'https://x/a.png' }],
      },
      { info: info('b'), points: [], samples: [] },
    ],
  };
  const ok = parseRunComparisonHostMessage(reset);
  assert.equal(ok?.type, 'reset');
  assert.equal(ok?.type === 'reset' && ok.runs[0].family, 'gan');
  assert.equal(
    parseRunComparisonHostMessage({ type: 'points', runDir: '/w/runs/a', points: [{ step: 2, losses: { dLoss: 1 } }] })
      ?.type,
    'points',
  );
  assert.equal(parseRunComparisonHostMessage({ type: 'status', run: info('a') })?.type, 'status');
  const bad: unknown[] = [
    { ...reset, configDiff: [{ key: 'k', values: ['1'] }] },
    { ...reset, configDiff: [{ key: 'k', values: [1, 2] }] },
    { ...reset, runs: [{ ...reset.runs[0], family: 5 }, reset.runs[1]] },
    { ...reset, runs: [{ ...reset.runs[0], points: [{ step: -1, losses: {} }] }, reset.runs[1]] },
    { ...reset, runs: Array.from({ length: 13 }, () => reset.runs[1]), configDiff: [] },
    { type: 'reset', run: null, points: [], samples: [] },
    { type: 'samples', runDir: '/w', samples: [{ step: 1 }] },
  ];
  for (const m of bad) assert.equal(parseRunComparisonHostMessage(m), undefined, JSON.stringify(m).slice(0, 120));
});

test('restored state: two to twelve run folders, else nothing', () => {
  assert.deepEqual(parseRunComparisonState({ runDirs: ['/a', '/b'], smoothing: 3 }), { runDirs: ['/a', '/b'] });
  for (const s of [
    undefined,
    {},
    { runDirs: ['/a'] },
    { runDirs: ['/a', 5] },
    { runDirs: ['/a', ''] },
    { runDirs: Array(13).fill('/a') },
  ]) {
    assert.equal(parseRunComparisonState(s), undefined, JSON.stringify(s));
  }
});
