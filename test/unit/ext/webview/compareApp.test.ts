// The compare page in jsdom: handshake, rendering of a validated "show", the before/after
// slider with the keyboard, modes, zoom/pan maths shared by both images, state kept, and
// messages validated on both sides.
import { test, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { installDom, tick } from './domEnv';
import { CompareApp, type CompareChannel } from '../../../../webview/lib/compareApp';
import { fitView, oneToOne, zoomAt, keepCentre, clampSplit } from '../../../../webview/lib/viewTransform';
import { compareSize, lumaPsnr, formatPsnr } from '../../../../webview/lib/imageMath';
import {
  parseCompareHostMessage,
  parseCompareWebviewMessage,
  type CompareViewState,
  type CompareWebviewMessage,
} from '../../../../src/shared/compareProtocol';

class Chan implements CompareChannel {
  posted: CompareWebviewMessage[] = [];
  state: unknown;
  handler: ((m: unknown) => void) | undefined;
  constructor(state?: unknown) {
    this.state = state;
  }
  post(m: CompareWebviewMessage) {
    this.posted.push(m);
  }
  getState() {
    return this.state;
  }
  setState(s: CompareViewState) {
    this.state = JSON.parse(JSON.stringify(s));
  }
  onMessage(fn: (m: unknown) => void) {
    this.handler = fn;
  }
}

const show = {
  type: 'show',
  before: {
    uri: 'https://file+.vscode-resource.vscode-cdn.net/w/photo.png',
    name: 'photo.png',
    label: 'photo.png',
    bytes: 1234,
    width: 32,
    height: 24,
  },
  after: {
    uri: 'https://file+.vscode-resource.vscode-cdn.net/w/photo.x4.png',
    name: 'photo.x4.png',
    label: 'photo.x4.png',
    bytes: 45678,
    width: 128,
    height: 96,
  },
  note: 'Upscaled ×4 with the default model in 0.5 s',
  files: { before: '/w/photo.png', after: '/w/photo.x4.png' },
};
let root: HTMLElement;
beforeEach(() => {
  installDom();
  (globalThis as Record<string, unknown>).requestAnimationFrame = (f: () => void) => setTimeout(f, 0);
  root = document.getElementById('app') as HTMLElement;
});
const key = (el: Element, k: string, shiftKey = false) =>
  el.dispatchEvent(new KeyboardEvent('keydown', { key: k, shiftKey, bubbles: true }));

test('handshake, then the two images, sizes, scale and the note', async () => {
  const ch = new Chan();
  new CompareApp(root, ch, { devicePixelRatio: () => 1 });
  assert.deepEqual(ch.posted, [{ type: 'ready' }]);
  ch.handler?.(show);
  await tick();
  const imgs = [...root.querySelectorAll('img')];
  assert.deepEqual(
    imgs.map((i) => i.getAttribute('src')),
    [show.before.uri, show.after.uri],
  );
  assert.ok(imgs.every((i) => i.crossOrigin === 'anonymous'));
  const text = root.querySelector('.info')?.textContent ?? '';
  assert.match(text, /32×24/);
  assert.match(text, /128×96/);
  assert.match(text, /1\.2 KB/);
  assert.match(text, /Scale ×4/);
  assert.match(text, /Upscaled ×4/);
  assert.deepEqual((ch.state as CompareViewState).files, show.files, 'paths kept for restoring after a reload');
});

test('the divider is a keyboard slider: arrows, shift, Home/End; clip follows', async () => {
  const ch = new Chan();
  new CompareApp(root, ch, { devicePixelRatio: () => 1 });
  ch.handler?.(show);
  await tick();
  const d = root.querySelector('.divider') as HTMLElement;
  assert.equal(d.getAttribute('role'), 'slider');
  assert.equal(d.getAttribute('tabindex'), '0');
  assert.equal(d.getAttribute('aria-valuenow'), '50');
  key(d, 'ArrowRight');
  assert.equal(d.getAttribute('aria-valuenow'), '51');
  key(d, 'ArrowLeft', true);
  assert.equal(d.getAttribute('aria-valuenow'), '41');
  key(d, 'End');
  assert.equal(d.getAttribute('aria-valuenow'), '100');
  key(d, 'ArrowRight');
  assert.equal(d.getAttribute('aria-valuenow'), '100');
  key(d, 'Home');
  assert.equal(d.getAttribute('aria-valuenow'), '0');
  assert.equal((root.querySelector('.after-layer') as HTMLElement).style.clipPath, 'inset(0 0 0 0%)');
  assert.equal((ch.state as CompareViewState).split, 0);
});

test('side by side: two viewports with one transform; zoom keys move both; 1:1 and Fit', async () => {
  const ch = new Chan({ mode: 'side', split: 30, smoothBefore: false });
  new CompareApp(root, ch, { devicePixelRatio: () => 2 });
  ch.handler?.(show);
  await tick();
  assert.equal(root.querySelectorAll('.viewport').length, 2);
  assert.equal(root.querySelector('[data-mode="side"]')?.getAttribute('aria-pressed'), 'true');
  const vp = root.querySelector('.viewport') as HTMLElement;
  key(vp, '+');
  const [b, a] = [...root.querySelectorAll('img')] as HTMLImageElement[];
  assert.ok(b.style.transform.includes('scale('), b.style.transform);
  assert.equal(b.style.transform, a.style.transform, 'both images share the transform');
  (root.querySelector('[data-action="one"]') as HTMLElement).click();
  assert.match(a.style.transform, /scale\(0\.5\)/, '1:1 at devicePixelRatio 2 is half a CSS pixel per image pixel');
  assert.equal(root.querySelector('.zoom-label')?.textContent, '100%');
  assert.ok(b.classList.contains('pixelated'), 'smooth "before" off');
  (root.querySelector('[data-mode="slider"]') as HTMLElement).click();
  assert.equal((ch.state as CompareViewState).mode, 'slider');
  assert.ok(root.querySelector('.divider'));
});

test('open/reveal ask by side; malformed host messages are ignored', async () => {
  const ch = new Chan();
  new CompareApp(root, ch, { devicePixelRatio: () => 1 });
  ch.handler?.({ ...show, after: { ...show.after, uri: 'javascript:alert(1)' } });
  ch.handler?.({ type: 'show' });
  ch.handler?.('junk');
  await tick();
  assert.equal(root.querySelectorAll('img').length, 0);
  ch.handler?.(show);
  await tick();
  (root.querySelector('button.link[data-side="after"][data-action="reveal"]') as HTMLElement).click();
  assert.deepEqual(ch.posted.at(-1), { type: 'file', side: 'after', action: 'reveal' });
});

test('host side validation of page messages', () => {
  assert.deepEqual(parseCompareWebviewMessage({ type: 'ready' }), { type: 'ready' });
  assert.deepEqual(parseCompareWebviewMessage({ type: 'file', side: 'before', action: 'open' }), {
    type: 'file',
    side: 'before',
    action: 'open',
  });
  for (const bad of [
    null,
    'ready',
    { type: 'file', side: 'middle', action: 'open' },
    { type: 'file', side: 'before', action: 'delete' },
    { type: 'file', path: '/etc/passwd' },
  ]) {
    assert.equal(parseCompareWebviewMessage(bad), undefined, JSON.stringify(bad));
  }
  assert.ok(parseCompareHostMessage(show));
  assert.equal(parseCompareHostMessage({ ...show, files: undefined }), undefined);
});

test('view maths: fit, zoom about a point, 1:1, resize keeps the centre', () => {
  const f = fitView(400, 300, 800, 300);
  assert.deepEqual(f, { zoom: 1, x: 200, y: 0 });
  const z = zoomAt(f, 2, 200, 0);
  assert.deepEqual(z, { zoom: 2, x: 200, y: 0 }, 'the image corner under the cursor stays put');
  assert.equal(oneToOne(z, 800, 300, 2).zoom, 0.5);
  assert.deepEqual(keepCentre({ zoom: 1, x: 0, y: 0 }, 100, 100, 200, 50), { zoom: 1, x: 50, y: -25 });
  assert.equal(clampSplit(-5), 0);
  assert.equal(clampSplit(123), 100);
});

test('PSNR-Y of RGBA buffers and the comparison size', () => {
  const a = new Uint8ClampedArray([10, 20, 30, 255, 40, 50, 60, 255]);
  assert.equal(lumaPsnr(a, a), Infinity);
  assert.equal(formatPsnr(Infinity), '∞ (identical)');
  const b = new Uint8ClampedArray([11, 21, 31, 255, 41, 51, 61, 255]);
  // Y changes by 0.256788 + 0.504129 + 0.097906 = 0.858823 per unit step of R, G and B.
  assert.ok(Math.abs(lumaPsnr(a, b) - 10 * Math.log10((255 * 255) / 0.858823 ** 2)) < 1e-6);
  assert.throws(() => lumaPsnr(a, new Uint8ClampedArray(4)));
  assert.deepEqual(compareSize({ w: 32, h: 24 }, { w: 128, h: 96 }), { w: 32, h: 24, resized: 'b' });
  assert.deepEqual(compareSize({ w: 128, h: 96 }, { w: 32, h: 24 }), { w: 32, h: 24, resized: 'a' });
});
