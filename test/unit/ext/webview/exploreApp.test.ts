import { test, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { installDom, FakeChannel } from './domEnv';
import { ExploreApp, truncationTip } from '../../../../webview/lib/exploreApp';
import type {
  ExploreHostMessage,
  ExploreInfo,
  ExploreState,
  ExploreWebviewMessage,
} from '../../../../src/shared/exploreProtocol';

type Ch = FakeChannel<ExploreState, ExploreWebviewMessage, ExploreHostMessage>;
const cganInfo: ExploreInfo = {
  title: 'digits · latest (step 40)',
  family: 'cGAN',
  step: 40,
  classes: ['0', '1', 'cat'],
};
const ganInfo: ExploreInfo = { title: 'faces · latest (step 9)', family: 'GAN', step: 9, classes: [] };

let root: HTMLElement;
beforeEach(() => {
  installDom();
  root = document.getElementById('app') as HTMLElement;
});

const $ = <T extends HTMLElement>(sel: string) => root.querySelector(sel) as T;
const cells = (sel: string) => [...root.querySelectorAll<HTMLButtonElement>(`${sel} .cell`)];
const imgs = (n: number, tag = 'i') => Array.from({ length: n }, (_, k) => `${tag}${k}`);

function open(info = cganInfo, state?: ExploreState) {
  const ch: Ch = new FakeChannel(state);
  const app = new ExploreApp(root, ch, () => 0.5);
  ch.deliver({ type: 'init', info });
  return { ch, app };
}

function grid(ch: Ch, seeds: number[], labels: number[]) {
  ch.deliver({
    type: 'grid',
    seeds,
    labels,
    truncation: 1,
    width: 12,
    height: 12,
    images: imgs(seeds.length * Math.max(1, labels.length)),
  });
}

test('ready, then the default seeds are asked for; a cGAN grid has a labelled row per class', () => {
  const { ch, app } = open();
  assert.deepEqual(ch.posted.slice(0, 2), [
    { type: 'ready' },
    { type: 'grid', seeds: [0, 1, 2, 3, 4, 5, 6, 7], truncation: 1 },
  ]);
  assert.equal($('#seeds').getAttribute('aria-invalid'), 'false');
  grid(ch, [0, 1], [0, 1, 2]);
  assert.equal(cells('#grid').length, 6);
  assert.deepEqual(
    [...root.querySelectorAll('.row-label')].map((e) => e.textContent),
    ['0', '1', 'cat'],
  );
  assert.equal(cells('#grid')[5].getAttribute('aria-label'), 'seed 1, class 2 (cat)');
  assert.equal(cells('#grid')[0].querySelector('img')?.getAttribute('src'), 'data:image/png;base64,i0');
  assert.deepEqual(app.snapshot.seeds, [0, 1]);
  assert.equal($('h2').textContent, cganInfo.title);
});

test('typed seeds: a range is drawn, a bad one is said and not sent; new seeds keeps the count', () => {
  const { ch } = open(ganInfo);
  assert.deepEqual(ch.posted[1], { type: 'grid', seeds: Array.from({ length: 16 }, (_, k) => k), truncation: 1 });
  const input = $<HTMLInputElement>('#seeds');
  input.value = '10-12, 40';
  input.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter' }));
  assert.deepEqual(ch.posted.at(-1), { type: 'grid', seeds: [10, 11, 12, 40], truncation: 1 });
  assert.equal(ch.state?.seeds, '10-12, 40');
  input.value = '5-2';
  $('#draw').click();
  assert.equal(ch.posted.length, 3);
  assert.equal(input.getAttribute('aria-invalid'), 'true');
  assert.match($('#status').textContent ?? '', /range goes down/);
  input.value = '1-3';
  $('#new-seeds').click();
  const start = Math.floor(0.5 * (0xffffffff - 3));
  assert.equal(input.value, `${start}-${start + 2}`);
  assert.deepEqual(ch.posted.at(-1), { type: 'grid', seeds: [start, start + 1, start + 2], truncation: 1 });
});

test("two clicks interpolate between their seeds (the first one's class); steps are adjustable", () => {
  const { ch, app } = open();
  grid(ch, [4, 5, 6], [0, 1, 2]);
  const c = cells('#grid');
  c[3 + 0].click(); // seed 4, class 1
  assert.match(app.snapshot.status, /From seed 4/);
  c[3 + 2].click(); // seed 6
  assert.deepEqual(
    c.filter((b) => b.classList.contains('end')).map((b) => b.getAttribute('aria-label')),
    ['seed 4, class 1', 'seed 6, class 1'],
  );
  assert.deepEqual(ch.posted.at(-1), { type: 'interpolate', from: 4, to: 6, steps: 8, truncation: 1, label: 1 });
  const steps = $<HTMLInputElement>('#steps');
  steps.value = '99';
  ch.deliver({
    type: 'path',
    from: 4,
    to: 6,
    steps: 8,
    label: 1,
    truncation: 1,
    width: 12,
    height: 12,
    images: imgs(8, 'p'),
  });
  steps.dispatchEvent(new Event('change'));
  assert.equal(steps.value, '32', 'clamped to the limit');
  assert.deepEqual(ch.posted.at(-1), { type: 'interpolate', from: 4, to: 6, steps: 32, truncation: 1, label: 1 });
  assert.equal(cells('#path').length, 8);
  assert.match(
    root.querySelector('#path')?.previousElementSibling?.textContent ?? root.textContent ?? '',
    /seed 4 → seed 6, class 1/,
  );
});

test('truncation: the tooltip says which, and letting go redraws the grid and the path', () => {
  const { ch } = open(ganInfo);
  grid(ch, [1, 2], []);
  ch.deliver({ type: 'path', from: 1, to: 2, steps: 4, truncation: 1, width: 12, height: 12, images: imgs(4) });
  const slider = $<HTMLInputElement>('#truncation');
  slider.value = '0.7';
  slider.dispatchEvent(new Event('input'));
  assert.equal(slider.title, truncationTip(0.7));
  assert.match(slider.title, /scaled by 0\.70 toward 0/);
  assert.equal($('#truncation-value').textContent, '0.70');
  const n = ch.posted.length;
  slider.dispatchEvent(new Event('change'));
  assert.deepEqual(ch.posted.slice(n), [
    { type: 'grid', seeds: Array.from({ length: 16 }, (_, k) => k), truncation: 0.7 },
    { type: 'interpolate', from: 1, to: 2, steps: 8, truncation: 0.7 },
  ]);
  assert.equal(ch.state?.truncation, 0.7);
  assert.match(truncationTip(1), /as trained/);
});

test('save image saves the selected cell; save grid each view; keyboard reaches every cell', () => {
  const { ch, app } = open(ganInfo);
  assert.ok($('#save-image').hasAttribute('disabled'));
  assert.ok($('#save-grid').hasAttribute('disabled'));
  grid(ch, [7, 8], []);
  ch.deliver({ type: 'path', from: 7, to: 8, steps: 3, truncation: 1, width: 12, height: 12, images: imgs(3) });
  cells('#path')[2].click();
  assert.deepEqual(app.snapshot.selected, { view: 'path', index: 2 });
  assert.equal(cells('#path')[2].getAttribute('aria-pressed'), 'true');
  $('#save-image').click();
  assert.deepEqual(ch.posted.at(-1), { type: 'saveImage', view: 'path', index: 2 });
  $('#save-grid').click();
  assert.deepEqual(ch.posted.at(-1), { type: 'saveGrid', view: 'grid' });
  $('#save-path').click();
  assert.deepEqual(ch.posted.at(-1), { type: 'saveGrid', view: 'path' });
  ch.deliver({ type: 'saved', name: 'interp-7-to-8-3of3-step-9.png' });
  assert.equal($('#status').textContent, 'Saved interp-7-to-8-3of3-step-9.png');
  // Cells are buttons: focusable, Enter/Space activate them.
  assert.ok(cells('#grid').every((b) => b.tagName === 'BUTTON' && b.getAttribute('aria-label')));
});

test('busy and errors are shown; a cancel is not an error; a bad host message is ignored', () => {
  const { ch } = open(ganInfo);
  ch.deliver({ type: 'busy', view: 'grid' });
  assert.equal($('#grid').getAttribute('aria-busy'), 'true');
  ch.deliver({ type: 'error', view: 'grid', message: 'out of memory' });
  assert.equal($('#grid').getAttribute('aria-busy'), 'false');
  assert.match($('#status').textContent ?? '', /Could not draw: out of memory/);
  ch.deliver({ type: 'error', view: 'grid', message: 'cancelled' });
  assert.equal($('#status').textContent, '');
  (ch as unknown as { deliver(m: unknown): void }).deliver({
    type: 'grid',
    seeds: [1],
    labels: [],
    truncation: 1,
    width: 1,
    height: 1,
    images: [],
  });
  assert.equal(cells('#grid').length, 0);
});
