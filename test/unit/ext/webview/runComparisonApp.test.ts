import { test, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { installDom, FakeChannel } from './domEnv';
import { RunComparisonApp } from '../../../../webview/lib/runComparisonApp';
import type { Chart, ChartData, ChartFactory } from '../../../../webview/lib/lossChart';
import type {
  ComparedRun,
  RunComparisonHostMessage,
  RunComparisonState,
  RunComparisonWebviewMessage,
} from '../../../../src/shared/runComparisonProtocol';
import type { MetricPoint, RunInfo } from '../../../../src/shared/webviewProtocol';

type Ch = FakeChannel<RunComparisonState, RunComparisonWebviewMessage, RunComparisonHostMessage>;
const info = (name: string, model = 'gan'): RunInfo => ({
  runDir: `/w/runs/${name}`,
  name,
  status: 'finished',
  step: 40,
  totalSteps: 40,
  live: false,
  backend: model,
});
const pts = (every: number, loss: number, extra: Partial<MetricPoint> = {}): MetricPoint[] =>
  Array.from({ length: 40 / every }, (_, i) => ({
    step: (i + 1) * every,
    losses: { dLoss: loss + i, gLoss: 2 },
    dReal: 0.6,
    msPerStep: 50,
    ...extra,
  }));
const run = (name: string, every: number, sampleSteps: number[], more: Partial<ComparedRun> = {}): ComparedRun => ({
  info: info(name),
  family: 'gan',
  points: pts(every, 1),
  samples: sampleSteps.map((s) => ({ step: s, uri: `https://r/${name}/step-${s}.png` })),
  ...more,
});

let root: HTMLElement;
let charts: {
  label: string;
  updates: ChartData[];
  zooms: unknown[];
  hover: (i: number | null) => void;
  destroyed: boolean;
}[];
const factory: ChartFactory = (_el, opts) => {
  const rec = {
    label: opts.label,
    updates: [] as ChartData[],
    zooms: [] as unknown[],
    hover: opts.onHover,
    destroyed: false,
  };
  charts.push(rec);
  const c: Chart = {
    update: (d) => rec.updates.push(d),
    zoom: (r) => rec.zooms.push(r),
    destroy: () => {
      rec.destroyed = true;
    },
  };
  return c;
};
const chart = (label: string) => charts.find((c) => c.label === label && !c.destroyed);
const last = (label: string) => chart(label)?.updates.at(-1) as ChartData;
const gridSrcs = () => [...root.querySelectorAll('.run-sample img')].map((i) => i.getAttribute('src'));

beforeEach(() => {
  installDom();
  root = document.getElementById('app') as HTMLElement;
  charts = [];
});

function open(state?: RunComparisonState, runs = [run('lr-a', 5, [0, 10, 20, 30]), run('lr-b', 10, [0, 20, 40])]) {
  const ch: Ch = new FakeChannel(state);
  const app = new RunComparisonApp(root, ch, factory);
  ch.deliver({ type: 'reset', runs, configDiff: [{ key: 'optimizer.lr', values: ['0.0002', '0.001'] }] });
  return { ch, app };
}

test('one chart per shared metric, one coloured series per run on the union of steps', () => {
  const { ch, app } = open();
  assert.deepEqual(ch.posted[0], { type: 'ready' });
  assert.deepEqual(app.snapshot.metrics, ['dLoss', 'gLoss', 'dReal', 'msPerStep']);
  const d = last('dLoss');
  assert.deepEqual(
    d.series.map((s) => s.name),
    ['lr-a', 'lr-b'],
  );
  assert.notEqual(d.series[0].color, d.series[1].color);
  assert.equal(d.xs.length, 8, 'steps 5..40 every 5');
  assert.equal(d.spanGaps, true);
  assert.equal(d.series[1].raw[0], null, 'lr-b logs every 10 steps');
  assert.equal(d.series[1].raw[1], 1);
  assert.deepEqual(
    [...root.querySelectorAll('.run-item strong')].map((e) => e.textContent),
    ['lr-a', 'lr-b'],
  );
  assert.equal(root.querySelector('figure[data-metric=dReal] figcaption')?.textContent, 'D(x) real');
  assert.equal(root.querySelector('figure[data-metric=dLoss]')?.getAttribute('data-curves'), '2');
});

test("the config diff table has a row per differing key with each run's value", () => {
  open();
  const row = root.querySelector('tr[data-key="optimizer.lr"]') as HTMLElement;
  assert.deepEqual(
    [...row.querySelectorAll('td')].map((td) => td.textContent),
    ['0.0002', '0.001'],
  );
  assert.deepEqual(
    [...root.querySelectorAll('.config-diff thead th')].map((th) => th.textContent),
    ['Key', 'lr-a', 'lr-b'],
  );
});

test('runs of different families overlay only their shared metrics and say what is left out', () => {
  const pix = run('pix', 10, [], {
    family: 'pix2pix',
    points: pts(10, 1).map((p) => ({ step: p.step, losses: { ...p.losses, l1Loss: 3 }, msPerStep: 9 })),
  });
  const { app } = open(undefined, [run('lr-a', 5, [0]), pix]);
  assert.deepEqual(app.snapshot.metrics, ['dLoss', 'gLoss', 'msPerStep']);
  assert.match(root.querySelector('.partial')?.textContent ?? '', /dReal \(lr-a\).*l1Loss \(pix\)/);
});

test('one step scrubber: each run shows its nearest grid; following the newest by default', () => {
  const { ch } = open();
  assert.deepEqual(gridSrcs(), ['https://r/lr-a/step-30.png', 'https://r/lr-b/step-40.png']);
  const range = root.querySelector('#scrubber') as HTMLInputElement;
  assert.equal(range.max, '4', 'steps 0, 10, 20, 30, 40');
  range.value = '1';
  range.dispatchEvent(new Event('input'));
  assert.deepEqual(gridSrcs(), ['https://r/lr-a/step-10.png', 'https://r/lr-b/step-0.png']);
  assert.equal(ch.state?.scrubStep, 10);
  assert.equal(ch.state?.followLatest, false);
  (root.querySelector('.run-sample[data-run="1"] button') as HTMLElement).click();
  assert.deepEqual(ch.posted.at(-1), { type: 'openSample', run: 1, step: 0 });
});

test('live runs update in place: points, samples and status of one run', () => {
  const { ch } = open();
  ch.deliver({
    type: 'points',
    runDir: '/w/runs/lr-b',
    points: [{ step: 50, losses: { dLoss: 9, gLoss: 2 }, dReal: 0.5, msPerStep: 50 }],
  });
  const d = last('dLoss');
  assert.equal(d.xs.at(-1), 50);
  assert.equal(d.series[1].raw.at(-1), 9);
  assert.equal(d.series[0].raw.at(-1), null);
  ch.deliver({ type: 'samples', runDir: '/w/runs/lr-a', samples: [{ step: 60, uri: 'https://r/lr-a/step-60.png' }] });
  assert.deepEqual(gridSrcs(), ['https://r/lr-a/step-60.png', 'https://r/lr-b/step-40.png']);
  const dashboard = root.querySelector('.run-item[data-run="0"] vscode-button') as HTMLElement;
  ch.deliver({ type: 'status', run: { ...info('lr-a'), status: 'running', live: true } });
  assert.equal(root.querySelector('.run-item[data-run="0"] .status-badge')?.textContent, 'running');
  assert.equal(root.querySelector('.run-item[data-run="0"] vscode-button'), dashboard, 'its button is kept');
  dashboard.click();
  assert.deepEqual(ch.posted.at(-1), { type: 'openDashboard', run: 0 });
  ch.deliver({ type: 'points', runDir: '/w/runs/other', points: [{ step: 99, losses: { dLoss: 1 } }] });
  assert.equal(last('dLoss').xs.at(-1), 50, "another run's points are ignored");
});

test('smoothing, x axis (training time), zoom and hover; settings persist', () => {
  const { ch } = open();
  const slider = root.querySelector('#smoothing') as HTMLInputElement;
  slider.value = '0';
  slider.dispatchEvent(new Event('input'));
  assert.deepEqual(last('dLoss').series[0].smooth, last('dLoss').series[0].raw);
  assert.equal(last('dLoss').showRaw, false);
  const axis = root.querySelector('#x-axis') as HTMLSelectElement;
  axis.value = 'time';
  axis.dispatchEvent(new Event('change'));
  assert.equal(last('dLoss').xLabel, 'seconds');
  assert.deepEqual(last('dLoss').xs.slice(0, 2), [0.25, 0.5]);
  const zoom = root.querySelector('#zoom') as HTMLSelectElement;
  zoom.value = '0.5';
  zoom.dispatchEvent(new Event('change'));
  assert.deepEqual(chart('dLoss')?.zooms.at(-1), { min: 1.125, max: 2 });
  assert.deepEqual(
    { s: ch.state?.smoothing, x: ch.state?.xAxis, z: ch.state?.zoom, dirs: ch.state?.runDirs },
    { s: 0, x: 'time', z: 0.5, dirs: ['/w/runs/lr-a', '/w/runs/lr-b'] },
  );
  axis.value = 'step';
  axis.dispatchEvent(new Event('change'));
  chart('dLoss')?.hover(2);
  assert.equal(root.querySelector('.readout')?.textContent, 'dLoss at step 15: lr-a 3 · lr-b 1');
});

test('a reload restores the view settings', () => {
  open({ runDirs: [], smoothing: 0.9, xAxis: 'time', zoom: 0.2, scrubStep: 20, followLatest: false });
  assert.equal(last('dLoss').xLabel, 'seconds');
  assert.equal((root.querySelector('#smoothing') as HTMLInputElement).value, '0.9');
  assert.equal((root.querySelector('#zoom') as HTMLSelectElement).value, '0.2');
  assert.deepEqual(gridSrcs(), ['https://r/lr-a/step-20.png', 'https://r/lr-b/step-20.png']);
});

test('a malformed message is ignored', () => {
  const { ch } = open();
  ch.deliver({ type: 'reset', runs: 'nope' } as unknown as RunComparisonHostMessage);
  assert.equal(root.querySelectorAll('.run-item').length, 2);
});
