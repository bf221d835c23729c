import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import * as path from 'node:path';
import {
  PAGE_NAMES,
  parseDashboardState,
  parseHostMessage,
  parseWebviewMessage,
} from '../../../src/shared/webviewProtocol';
import { isInsideDir } from '../../../src/shared/pathGuard';

const runDir = '/w/runs/dcgan-1';
const ctx = { allowPath: (p: string) => isInsideDir(runDir, p, true) };

test('webview -> host: valid messages', () => {
  assert.deepEqual(
    parseWebviewMessage({ type: 'ready', view: 'preview', runDir, lastStep: 40, lastSampleStep: 20 }, ctx),
    { type: 'ready', view: 'preview', runDir, lastStep: 40, lastSampleStep: 20 },
  );
  assert.deepEqual(parseWebviewMessage({ type: 'action', action: 'stop', runDir }, ctx), {
    type: 'action',
    action: 'stop',
    runDir,
  });
  assert.deepEqual(parseWebviewMessage({ type: 'action', action: 'train', runDir: null }, ctx), {
    type: 'action',
    action: 'train',
    runDir: null,
  });
  const f = `${runDir}/config.json`;
  assert.deepEqual(parseWebviewMessage({ type: 'openFile', path: f }, ctx), { type: 'openFile', path: f });
});

test('webview -> host: hostile messages are rejected', () => {
  const bad: unknown[] = [
    undefined,
    null,
    'ready',
    [],
    { type: 'eval', code: 'x' },
    { type: 'ready', view: 'terminal', runDir, lastStep: 0, lastSampleStep: 0 },
    { type: 'ready', view: 'preview', runDir, lastStep: '5', lastSampleStep: 0 },
    { type: 'action', action: 'rm', runDir },
    { type: 'action', action: 'stop', runDir: '/etc' },
    { type: 'action', action: 'stop', runDir: 5 },
    { type: 'action', action: 'stop' },
    { type: 'openFile', path: '/etc/passwd' },
    { type: 'openFile', path: `${runDir}/../../../etc/passwd` },
    { type: 'openFile', path: `${runDir}-other/config.json` },
    { type: 'openFile', path: 'config.json' },
    { type: 'openFile', path: { toString: () => runDir } },
    { type: 'openFile', path: 'x'.repeat(10000) },
  ];
  for (const m of bad) assert.equal(parseWebviewMessage(m, ctx), undefined, JSON.stringify(m));
});

test('webview -> host: a ready naming an unknown run is downgraded, not trusted', () => {
  assert.deepEqual(
    parseWebviewMessage(
      { type: 'ready', view: 'dashboard', runDir: '/elsewhere', lastStep: 9, lastSampleStep: 9 },
      ctx,
    ),
    { type: 'ready', view: 'dashboard', runDir: null, lastStep: -1, lastSampleStep: -1 },
  );
});

test('host -> webview: validated in the page', () => {
  const run = { runDir, name: 'dcgan-1', status: 'running', step: 3, totalSteps: 10, live: true };
  assert.equal(parseHostMessage({ type: 'status', run })?.type, 'status');
  assert.equal(parseHostMessage({ type: 'status', run: { ...run, status: 'exploded' } }), undefined);
  assert.equal(
    parseHostMessage({ type: 'points', runDir, points: [{ step: 1, losses: { g: 1 } }, { step: 'x' }] }),
    undefined,
  );
  const reset = parseHostMessage({
    type: 'reset',
    run: null,
    points: [],
    samples: [{ step: 1, uri: 'https://file+.vscode-resource/x.png' }],
  });
  assert.equal(reset?.type, 'reset');
  assert.equal(parseHostMessage({ type: 'reset', run: null, points: [], samples: [{ step: 1 }] }), undefined);
  assert.equal(parseHostMessage({ type: 'nope' }), undefined);
});

test('dashboard state from the serializer', () => {
  assert.deepEqual(parseDashboardState({ runDir, smoothing: 0.5 }), { runDir });
  assert.equal(parseDashboardState({ runDir: '' }), undefined);
  assert.equal(parseDashboardState(undefined), undefined);
});

test('one list of webview pages: each has its entry script, each entry script is a page', () => {
  // The entries scripts/build.mjs bundles to dist/webview/<name>.js.
  const entries = readdirSync(path.join(__dirname, '..', '..', '..', 'webview')).filter((f) =>
    /^[a-z][\w-]*\.ts$/.test(f),
  );
  assert.deepEqual(entries.map((f) => f.replace(/\.ts$/, '')).sort(), [...PAGE_NAMES].sort());
});
