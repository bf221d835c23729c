// The Dataset Check page in jsdom: renders a report readably, buttons post validated
// messages, malformed host messages are ignored, the last report survives a reload.
import { test, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { installDom } from './domEnv';
import { DatasetCheckApp, type CheckChannel } from '../../../../webview/lib/datasetCheckApp';
import type { CheckHostMessage, CheckPageMessage, CheckReport } from '../../../../src/shared/datasetCheckProtocol';

class Channel implements CheckChannel {
  posted: CheckPageMessage[] = [];
  state: unknown;
  private fn: ((m: unknown) => void) | undefined;
  post(m: CheckPageMessage) {
    this.posted.push(m);
  }
  getState() {
    return this.state;
  }
  setState(s: CheckHostMessage) {
    this.state = JSON.parse(JSON.stringify(s));
  }
  onMessage(fn: (m: unknown) => void) {
    this.fn = fn;
  }
  deliver(m: unknown) {
    this.fn?.(m);
  }
}

const report: CheckReport = {
  name: 'p',
  model: 'pix2pix',
  dataset: 'paired',
  imageSize: 64,
  batchSize: 1,
  problems: [],
  ok: true,
  warnings: ['train: 1 unreadable file (training skips it)', 'train: 1 file without a partner (left out)'],
  sets: [
    {
      role: 'train',
      describe: 'A/ and B/ in data',
      filesA: 4,
      filesB: 3,
      usable: 2,
      aligned: true,
      sizes: [
        { size: '128x128', count: 5 },
        { size: '64x48', count: 1 },
      ],
      unreadable: [{ file: 'data/A/3.png', reason: 'not a PNG or JPEG image' }],
      unmatched: [{ file: 'data/A/9.png', reason: 'no B/9.png' }],
      smallerThanImageSize: 1,
    },
  ],
};
let root: HTMLElement;
beforeEach(() => {
  installDom();
  root = document.getElementById('app') as HTMLElement;
});

test('datasetCheck page: handshake, checking, then a readable report with working buttons', () => {
  const ch = new Channel();
  new DatasetCheckApp(root, ch);
  assert.deepEqual(ch.posted, [{ type: 'ready' }]);
  ch.deliver({ type: 'checking', config: '/w/p/gan.config.json' });
  assert.match(root.textContent ?? '', /Dataset of gan\.config\.json.*Reading every image/);
  ch.deliver({ type: 'report', config: '/w/p/gan.config.json', report, seconds: 1.25 });
  const text = root.textContent ?? '';
  assert.match(text, /Ready to train/);
  assert.match(text, /checked in 1\.3 s/);
  assert.match(text, /Pairs found4Usable pairs2Smaller than imageSize1/);
  assert.match(text, /128x1285.*64x481/);
  assert.match(text, /Unreadable files: training skips them \(1\)data\/A\/3\.png not a PNG or JPEG image/);
  assert.match(text, /Files without a partner: left out \(1\)data\/A\/9\.png no B\/9\.png/);
  assert.equal(root.querySelectorAll('th[scope=col]').length > 0, true, 'tables have headers');
  const buttons = [...root.querySelectorAll('vscode-button')] as HTMLElement[];
  assert.deepEqual(
    buttons.map((b) => b.getAttribute('data-action')),
    ['recheck', 'openConfig', 'train'],
  );
  buttons.forEach((b) => b.click());
  assert.deepEqual(ch.posted.slice(1), [{ type: 'recheck' }, { type: 'openConfig' }, { type: 'train' }]);
});

test('datasetCheck page: problems, errors, markup-looking data stays text, malformed messages ignored', () => {
  const ch = new Channel();
  new DatasetCheckApp(root, ch);
  ch.deliver({
    type: 'report',
    config: '/c.json',
    seconds: 0.1,
    report: { ...report, ok: false, problems: ['train: no usable pairs in <img src=x onerror=alert(1)>'] },
  });
  assert.match(root.textContent ?? '', /Cannot train.*1 problem.*no usable pairs in <img src=x onerror=alert\(1\)>/);
  assert.equal(root.querySelector('img'), null);
  assert.ok(
    ![...root.querySelectorAll('vscode-button')].some((b) => b.getAttribute('data-action') === 'train'),
    'no Train button when it cannot train',
  );
  const before = root.innerHTML;
  ch.deliver({ type: 'report', config: '/c.json', report: { nope: 1 }, seconds: 1 });
  ch.deliver({ type: 'evil' });
  assert.equal(root.innerHTML, before);
  ch.deliver({ type: 'error', config: '/c.json', message: 'gan.config.json: unknown key "x"' });
  assert.match(root.querySelector('[role=alert]')?.textContent ?? '', /unknown key "x"/);
});

test('datasetCheck page: the last message is restored from state at once', () => {
  const first = new Channel();
  new DatasetCheckApp(root, first);
  first.deliver({ type: 'report', config: '/c.json', report, seconds: 2 });
  installDom();
  root = document.getElementById('app') as HTMLElement;
  const again = new Channel();
  again.state = first.state;
  new DatasetCheckApp(root, again);
  assert.match(root.textContent ?? '', /Ready to train/);
});

test('datasetCheck page: a labelled folder shows its images and classes in label order; bad classes are ignored', () => {
  const ch = new Channel();
  new DatasetCheckApp(root, ch);
  const folder: CheckReport = {
    name: 'f',
    model: 'cgan',
    dataset: 'folder',
    imageSize: 32,
    batchSize: 2,
    problems: [],
    warnings: [],
    ok: true,
    summary: '5 usable images in 2 classes, trained as RGB 32x32x3',
    classes: [
      { name: 'Zebra', count: 2 },
      { name: 'apple', count: 3 },
    ],
    sets: [
      {
        role: 'train',
        describe: 'class subfolders of data',
        filesA: 6,
        filesB: 0,
        usable: 5,
        aligned: false,
        single: true,
        sizes: [],
        unreadable: [],
        unmatched: [],
        smallerThanImageSize: 0,
      },
    ],
  };
  ch.deliver({ type: 'report', config: '/c.json', seconds: 0.2, report: folder });
  const text = root.textContent ?? '';
  assert.match(text, /Images found6Usable images5/);
  assert.doesNotMatch(text, /B images/);
  assert.match(text, /Classes \(label order.*0 Zebra2.*1 apple3/);
  const before = root.innerHTML;
  ch.deliver({
    type: 'report',
    config: '/c.json',
    seconds: 0.2,
    report: { ...folder, classes: [{ name: 3, count: 'x' }] },
  });
  assert.equal(root.innerHTML, before, 'a malformed class list is ignored');
});
