import { test, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { installDom, FakeChannel } from './domEnv';
import { DashboardApp } from '../../../../webview/lib/dashboardApp';
import type { Chart, ChartData, ChartFactory } from '../../../../webview/lib/lossChart';
import type { DashboardState, MetricPoint, RunInfo, SampleRef } from '../../../../src/shared/webviewProtocol';

const runDir = '/w/runs/cgan-1';
const run: RunInfo = {
  runDir,
  name: 'cgan-1',
  status: 'finished',
  step: 100,
  totalSteps: 100,
  live: false,
  backend: 'native',
};
const pts = (n: number, neg = false): MetricPoint[] =>
  Array.from({ length: n }, (_, i) => ({
    step: (i + 1) * 10,
    losses: { dLoss: neg ? -1 + i : 1 + i, gLoss: 2 },
    dReal: 0.6,
    dFake: 0.3,
    msPerStep: 100,
  }));
const samples = (steps: number[]): SampleRef[] => steps.map((s) => ({ step: s, uri: `https://r/step-${s}.png` }));

let root: HTMLElement;
let charts: { label: string; updates: ChartData[]; zooms: unknown[]; hover: (i: number | null) => void }[];
const factory: ChartFactory = (_el, opts) => {
  const rec = { label: opts.label, updates: [] as ChartData[], zooms: [] as unknown[], hover: opts.onHover };
  charts.push(rec);
  const c: Chart = { update: (d) => rec.updates.push(d), zoom: (r) => rec.zooms.push(r), destroy: () => undefined };
  return c;
};

beforeEach(() => {
  installDom();
  root = document.getElementById('app') as HTMLElement;
  charts = [];
});

function open(state?: DashboardState) {
  const ch = new FakeChannel<DashboardState>(state);
  const app = new DashboardApp(root, ch, factory);
  ch.deliver({
    type: 'reset',
    run,
    points: pts(10),
    samples: samples([0, 20, 40, 60]),
    config: { name: 'cgan', evil: '<img src=x onerror=alert(1)>' },
    configPath: `${runDir}/config.json`,
  });
  return { ch, app };
}
const bigSrc = () => (root.querySelector('img.big-img') as HTMLImageElement).getAttribute('src');
const lastLoss = () => charts[0].updates[charts[0].updates.length - 1];

test('handshake, charts per loss, scrubber on the newest grid, config as text', () => {
  const { ch } = open();
  assert.equal(ch.posted[0].type, 'ready');
  const d = lastLoss();
  assert.deepEqual(
    d.series.map((s) => s.name),
    ['dLoss', 'gLoss'],
  );
  assert.equal(d.xs.length, 10);
  assert.equal(d.distr, 1);
  assert.ok(d.showRaw);
  assert.notDeepEqual(d.series[0].smooth, d.series[0].raw, 'smoothing 0.6 by default');
  assert.equal(charts[1].updates[0].series.length, 2, 'D(x) and D(G(z)) chart');
  assert.equal(bigSrc(), 'https://r/step-60.png');
  assert.equal((root.querySelector('#scrubber') as HTMLInputElement).max, '3');
  const pre = root.querySelector('pre.config') as HTMLElement;
  assert.match(pre.textContent ?? '', /onerror/);
  assert.equal(root.querySelectorAll('pre.config img').length, 0);
  assert.match(root.textContent ?? '', /backend native/);
  assert.deepEqual(
    [...root.querySelectorAll('.dash-header vscode-button')].map((b) => b.getAttribute('data-action')),
    ['showLog'],
  );
});

test('smoothing, log scale (asinh when a loss goes negative) and series toggles persist', () => {
  const { ch } = open();
  const slider = root.querySelector('#smoothing') as HTMLInputElement;
  slider.value = '0';
  slider.dispatchEvent(new Event('input'));
  assert.equal(ch.state?.smoothing, 0);
  assert.deepEqual(lastLoss().series[0].smooth, lastLoss().series[0].raw);
  assert.equal(lastLoss().showRaw, false);
  const log = root.querySelector('#log-scale') as HTMLElement & { checked: boolean };
  log.checked = true;
  log.dispatchEvent(new Event('change'));
  assert.equal(lastLoss().distr, 3);
  assert.equal(ch.state?.logScale, true);
  const toggle = root.querySelector('[data-series=gLoss]') as HTMLElement & { checked: boolean };
  toggle.checked = false;
  toggle.dispatchEvent(new Event('change'));
  assert.deepEqual(ch.state?.hidden, ['gLoss']);
  assert.equal(lastLoss().series[1].visible, false);
  // a WGAN-like negative loss switches log to asinh
  ch.deliver({ type: 'reset', run, points: pts(5, true), samples: [] });
  assert.equal(lastLoss().distr, 4);
});

test('scrubber: pick an old grid, stay there as new ones arrive, follow again', () => {
  const { ch } = open();
  const range = root.querySelector('#scrubber') as HTMLInputElement;
  range.value = '1';
  range.dispatchEvent(new Event('input'));
  assert.equal(bigSrc(), 'https://r/step-20.png');
  assert.equal(ch.state?.followLatest, false);
  assert.equal(ch.state?.scrubStep, 20);
  ch.deliver({ type: 'samples', runDir, samples: samples([80]) });
  assert.equal(bigSrc(), 'https://r/step-20.png');
  assert.equal(range.max, '4');
  const img = root.querySelector('img.big-img') as HTMLElement;
  img.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowRight' }));
  assert.equal(bigSrc(), 'https://r/step-40.png');
  img.dispatchEvent(new KeyboardEvent('keydown', { key: 'End' }));
  assert.equal(bigSrc(), 'https://r/step-80.png');
  assert.equal(ch.state?.followLatest, true);
  ch.deliver({ type: 'samples', runDir, samples: samples([100]) });
  assert.equal(bigSrc(), 'https://r/step-100.png');
  // filmstrip: every grid (<= 10) as a button; clicking one selects it
  const thumbs = [...root.querySelectorAll('.filmstrip button')] as HTMLElement[];
  assert.equal(thumbs.length, 6);
  thumbs[0].click();
  assert.equal(bigSrc(), 'https://r/step-0.png');
  assert.equal(root.querySelector('.filmstrip button[aria-pressed=true] span')?.textContent, '0');
});

test('a reload restores view settings and scrub position for the same run', () => {
  const state: DashboardState = {
    runDir,
    smoothing: 0.9,
    logScale: true,
    hidden: ['dLoss'],
    scrubStep: 40,
    followLatest: false,
  };
  const { ch } = open(state);
  assert.deepEqual(ch.posted[0], { type: 'ready', view: 'dashboard', runDir, lastStep: -1, lastSampleStep: -1 });
  assert.equal(lastLoss().distr, 3);
  assert.equal(lastLoss().series[0].visible, false);
  assert.equal(bigSrc(), 'https://r/step-40.png');
  assert.equal((root.querySelector('#smoothing') as HTMLInputElement).value, '0.9');
});

test('live points stream in; hover readout; zoom; open files inside the run', () => {
  const { ch } = open();
  ch.deliver({ type: 'points', runDir, points: [{ step: 110, losses: { dLoss: 5, gLoss: 1 } }] });
  assert.equal(lastLoss().xs.length, 11);
  charts[0].hover(10);
  assert.match(root.querySelector('.readout')?.textContent ?? '', /^step 110 · dLoss 5 \(smoothed [\d.]+\) · gLoss 1/);
  const zoom = root.querySelector('#zoom') as HTMLSelectElement;
  zoom.value = '0.5';
  zoom.dispatchEvent(new Event('change'));
  assert.deepEqual(charts[0].zooms[0], { min: 60, max: 110 });
  ([...root.querySelectorAll('vscode-button')] as HTMLElement[]).find((b) => b.textContent === 'Open image')?.click();
  assert.deepEqual(ch.posted[ch.posted.length - 1], { type: 'openFile', path: `${runDir}/samples/step-00000060.png` });
  ([...root.querySelectorAll('vscode-button')] as HTMLElement[])
    .find((b) => b.textContent === 'Open config.json')
    ?.click();
  assert.deepEqual(ch.posted[ch.posted.length - 1], { type: 'openFile', path: `${runDir}/config.json` });
});

test('sample quality: a chart of the scored steps only, hidden without scores; hover reads the step', () => {
  const { ch } = open();
  const q = charts.find((c) => c.label === 'score')!;
  assert.ok((root.querySelector('[aria-labelledby="q-title"]') as HTMLElement).hidden, 'no scores: no quality chart');
  assert.equal(q.updates.length, 0);
  ch.deliver({
    type: 'points',
    runDir,
    points: [
      { step: 110, losses: { dLoss: 1, gLoss: 1 }, scores: { swd: 300, swd28: 250, swd14: 350 } },
      { step: 120, losses: { dLoss: 1, gLoss: 1 } },
      { step: 130, losses: { dLoss: 1, gLoss: 1 }, scores: { swd: 200, swd28: 150, swd14: 250 } },
    ],
  });
  assert.equal((root.querySelector('[aria-labelledby="q-title"]') as HTMLElement).hidden, false);
  const d = q.updates[q.updates.length - 1];
  assert.deepEqual(d.xs, [110, 130]);
  assert.deepEqual(
    d.series.map((s) => [s.name, s.raw]),
    [
      ['swd', [300, 200]],
      ['swd28', [250, 150]],
      ['swd14', [350, 250]],
    ],
  );
  assert.equal(d.showRaw, false);
  q.hover(1);
  assert.match(root.querySelector('.readout')?.textContent ?? '', /^step 130 · .* · swd 200 · swd28 150 · swd14 250$/);
});

test('sample quality: fd goes with the distances, recognised (higher is better) into a chart of its own', () => {
  const { ch } = open();
  const q = charts.find((c) => c.label === 'score')!;
  const r = charts.find((c) => c.label === 'recognised')!;
  const section = () => root.querySelector('[aria-labelledby="r-title"]') as HTMLElement;
  ch.deliver({
    type: 'points',
    runDir,
    points: [{ step: 110, losses: { dLoss: 1, gLoss: 1 }, scores: { swd: 300, fd: 600 } }],
  });
  assert.ok(section().hidden, 'no recognised score (gan, dcgan): no chart for it');
  ch.deliver({
    type: 'points',
    runDir,
    points: [
      { step: 120, losses: { dLoss: 1, gLoss: 1 }, scores: { swd: 250, recognised: 0.1, fd: 500 } },
      { step: 130, losses: { dLoss: 1, gLoss: 1 }, scores: { swd: 200, recognised: 0.6, fd: 90 } },
    ],
  });
  assert.equal(section().hidden, false);
  const dq = q.updates[q.updates.length - 1];
  assert.deepEqual(
    dq.series.map((s) => [s.name, s.raw]),
    [
      ['swd', [300, 250, 200]],
      ['fd', [600, 500, 90]],
    ],
  );
  const dr = r.updates[r.updates.length - 1];
  assert.deepEqual(
    [dr.xs, dr.distr, dr.series.map((s) => [s.name, s.raw])],
    [[110, 120, 130], 1, [['recognised', [null, 0.1, 0.6]]]],
  );
  r.hover(2);
  assert.match(root.querySelector('.readout')?.textContent ?? '', /^step 130 · .* · recognised 0\.6 · fd 90$/);
});
