import { test, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { installDom, FakeChannel, tick } from './domEnv';
import { PreviewApp } from '../../../../webview/lib/previewApp';
import type { MetricPoint, PreviewState, RunInfo } from '../../../../src/shared/webviewProtocol';

const runDir = '/w/runs/dcgan-1';
const run = (o: Partial<RunInfo> = {}): RunInfo => ({
  runDir,
  name: 'dcgan-1',
  status: 'running',
  step: 40,
  totalSteps: 100,
  live: true,
  backend: 'wasm',
  stepsPerSec: 2,
  etaSec: 30,
  ...o,
});
const pts = (from: number, to: number): MetricPoint[] =>
  Array.from({ length: to - from + 1 }, (_, i) => ({
    step: from + i,
    losses: { dLoss: 1 / (from + i), gLoss: 0.5 },
    dReal: 0.7,
    dFake: 0.2,
  }));
let root: HTMLElement;

beforeEach(() => {
  installDom();
  root = document.getElementById('app') as HTMLElement;
});

const buttons = () => [...root.querySelectorAll('vscode-button')].map((b) => b.getAttribute('data-action'));

test('empty: handshake without history, a Train GAN button', () => {
  const ch = new FakeChannel<PreviewState>();
  new PreviewApp(root, ch);
  assert.deepEqual(ch.posted, [{ type: 'ready', view: 'preview', runDir: null, lastStep: -1, lastSampleStep: -1 }]);
  assert.deepEqual(buttons(), ['train']);
  (root.querySelector('vscode-button') as HTMLElement).click();
  assert.deepEqual(ch.posted[1], { type: 'action', action: 'train', runDir: null });
});

test('reset, then streamed points and a new sample; state saved', async () => {
  const ch = new FakeChannel<PreviewState>();
  new PreviewApp(root, ch);
  ch.deliver({ type: 'reset', run: run(), points: pts(1, 10), samples: [{ step: 10, uri: 'https://r/step-10.png' }] });
  await tick();
  const img = root.querySelector('img.grid-img') as HTMLImageElement;
  assert.equal(img.getAttribute('src'), 'https://r/step-10.png');
  assert.equal(img.alt, 'Sample grid at step 10');
  assert.match(root.textContent ?? '', /step 40\/100/);
  assert.deepEqual(buttons(), ['pause', 'stop', 'sampleNow', 'openDashboard', 'showLog']);
  assert.equal(root.querySelectorAll('polyline').length, 2);
  assert.match(root.querySelector('.legend')?.textContent ?? '', /dLoss 0\.1.*gLoss 0\.5/);
  assert.equal(root.querySelectorAll('meter').length, 2);

  ch.deliver({ type: 'points', runDir, points: pts(5, 12) }); // overlapping steps are not duplicated
  ch.deliver({ type: 'points', runDir: '/w/runs/other', points: pts(13, 20) }); // another run: ignored
  ch.deliver({ type: 'samples', runDir, samples: [{ step: 12, uri: 'https://r/step-12.png' }] });
  assert.equal(img.getAttribute('src'), 'https://r/step-10.png', 'old grid stays until the new one loaded');
  await tick();
  assert.equal(img.getAttribute('src'), 'https://r/step-12.png');
  assert.deepEqual(
    ch.state?.points.map((p) => p.step),
    pts(1, 12).map((p) => p.step),
  );
  assert.equal(ch.state?.sample?.step, 12);
});

test('re-shown view paints from state and asks only for what is newer', () => {
  const state: PreviewState = { run: run(), points: pts(1, 30), sample: { step: 20, uri: 'https://r/step-20.png' } };
  const ch = new FakeChannel<PreviewState>(state);
  new PreviewApp(root, ch);
  // Painted before any host message: no flicker.
  assert.equal((root.querySelector('img.grid-img') as HTMLImageElement).getAttribute('src'), 'https://r/step-20.png');
  assert.equal(root.querySelectorAll('polyline').length, 2);
  assert.deepEqual(ch.posted[0], { type: 'ready', view: 'preview', runDir, lastStep: 30, lastSampleStep: 20 });
});

test('the sparkline window is bounded', () => {
  const ch = new FakeChannel<PreviewState>();
  new PreviewApp(root, ch);
  ch.deliver({ type: 'reset', run: run(), points: pts(1, 1000), samples: [] });
  ch.deliver({ type: 'points', runDir, points: pts(1001, 1100) });
  assert.equal(ch.state?.points.length, 300);
  assert.equal(ch.state?.points[0].step, 801);
});

test('status changes the buttons; a failed run shows its message', () => {
  const ch = new FakeChannel<PreviewState>();
  new PreviewApp(root, ch);
  ch.deliver({ type: 'reset', run: run(), points: [], samples: [] });
  ch.deliver({ type: 'status', run: run({ status: 'paused' }) });
  assert.deepEqual(buttons(), ['resume', 'stop', 'sampleNow', 'openDashboard', 'showLog']);
  ch.deliver({ type: 'status', run: run({ status: 'failed', live: false, message: 'out of memory <b>' }) });
  assert.deepEqual(buttons(), ['resumeRun', 'openDashboard', 'showLog']);
  const alert = root.querySelector('[role=alert]') as HTMLElement;
  assert.equal(alert.textContent, 'out of memory <b>');
  assert.equal(alert.children.length, 0, 'messages are text, never markup');
  (root.querySelector('[data-action=resumeRun]') as HTMLElement).click();
  assert.deepEqual(ch.posted[ch.posted.length - 1], { type: 'action', action: 'resumeRun', runDir });
});

test('progress updates keep the buttons: a click or keyboard focus on Pause is not lost', () => {
  const ch = new FakeChannel<PreviewState>();
  new PreviewApp(root, ch);
  ch.deliver({ type: 'reset', run: run(), points: [], samples: [] });
  const pause = root.querySelector('[data-action=pause]') as HTMLElement;
  pause.setAttribute('tabindex', '0');
  pause.focus();
  ch.deliver({ type: 'status', run: run({ step: 41, etaSec: 29 }) }); // between mousedown and mouseup
  assert.match(root.textContent ?? '', /step 41\/100/);
  assert.equal(root.querySelector('[data-action=pause]'), pause, 'the same button, not a new one');
  assert.equal(document.activeElement, pause, 'focus stays on it');
  pause.click();
  assert.deepEqual(ch.posted[ch.posted.length - 1], { type: 'action', action: 'pause', runDir });
});
