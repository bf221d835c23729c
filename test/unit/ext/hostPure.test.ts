// Host-side pure modules: config problem locations and validation, the webview HTML shell,
// the throttled view feed, run dir names.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { locateProblems, syntaxProblems } from '../../../src/extension/config/configErrors';
import { validateConfigText } from '../../../src/extension/config/validateConfig';
import { contentSecurityPolicy, makeNonce, webviewHtml } from '../../../src/extension/webviews/html';
import { ViewFeed } from '../../../src/extension/webviews/feed';
import { newRunDirName } from '../../../src/extension/runIndex/runNames';
import type { HostMessage } from '../../../src/shared/webviewProtocol';

const text = `{
  "name": "dcgan-mnist",
  "model": "dcgan",
  "dataset": { "kind": "mnist", "colour": 1 },
  "imageSize": "big",
  "steps": 100
}`;
const at = (offset: number, length: number) => text.slice(offset, offset + length);

test('problems land on the key or value they name', () => {
  const [unknown, bad, missing, other] = locateProblems(text, [
    'gan.config.json: unknown key "dataset.colour" (did you mean "dataset.color"?)',
    'gan.config.json: "imageSize" must be an integer >= 8 (got "big")',
    'gan.config.json: missing required key "dataset.path"',
    'gan.config.json: model "cgan" needs a labelled dataset ("dataset.kind" "mnist" or "fashion-mnist")',
  ]);
  assert.equal(at(unknown.offset, unknown.length), '"colour"');
  assert.equal(unknown.message, 'unknown key "dataset.colour" (did you mean "dataset.color"?)');
  assert.equal(at(bad.offset, bad.length), '"big"');
  assert.equal(at(missing.offset, missing.length), '"dataset"');
  assert.equal(at(other.offset, other.length), '"mnist"');
  const [top] = locateProblems(text, ['gan.config.json: missing required key "model"']);
  assert.equal(top.offset, 0);
  const [nowhere] = locateProblems(text, ['something odd happened']);
  assert.equal(nowhere.offset, 0);
});

test('syntax errors come with positions', () => {
  const broken = '{ "name": "x", }';
  const p = syntaxProblems(broken);
  assert.ok(p.length >= 1);
  assert.match(p[0].message, /^broken JSON: /);
  assert.deepEqual(
    locateProblems(broken, ['ignored']).map((x) => x.message),
    p.map((x) => x.message),
  );
  assert.deepEqual(syntaxProblems(text), []);
});

test('validation through the shared config module (loaded lazily)', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gan-cfg-'));
  try {
    const cfgPath = path.join(dir, 'gan.config.json');
    const ok = await validateConfigText(
      JSON.stringify({ name: 'm', model: 'dcgan', dataset: { kind: 'mnist' }, imageSize: 28, steps: 10 }),
      cfgPath,
    );
    assert.equal(ok.ok, true, ok.problems.join('\n'));
    assert.equal(ok.config?.name, 'm');
    const bad = await validateConfigText(
      JSON.stringify({ model: 'dcgan', dataset: { kind: 'mnist' }, stepz: 3 }),
      cfgPath,
    );
    assert.equal(bad.ok, false);
    assert.ok(
      bad.problems.some((p) => p.includes('"stepz"')),
      bad.problems.join('\n'),
    );
    const broken = await validateConfigText('{"model": ', cfgPath);
    assert.equal(broken.ok, false);
    assert.match(broken.problems[0], /broken JSON/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('webview shell: strict nonce CSP, one script, escaped', () => {
  const nonce = makeNonce();
  assert.notEqual(nonce, makeNonce());
  assert.match(nonce, /^[A-Za-z0-9+/=]{24}$/);
  const csp = contentSecurityPolicy('https://x.vscode-cdn.net', nonce);
  assert.match(csp, /^default-src 'none'; /);
  assert.match(csp, /img-src https:\/\/x\.vscode-cdn\.net data: blob:/);
  assert.match(csp, new RegExp(`script-src 'nonce-${nonce.replace(/[+/=]/g, (c) => `\\${c}`)}'`));
  assert.ok(!csp.includes('unsafe-inline') && !csp.includes('unsafe-eval'));
  const html = webviewHtml({
    cspSource: 'https://x',
    nonce,
    scriptUri: 'https://x/p.js"><script>',
    title: '<t>',
    view: 'preview',
  });
  assert.equal((html.match(/<script/g) ?? []).length, 1);
  assert.ok(html.includes('&#60;t&#62;'));
  assert.ok(html.includes('data-view="preview"'));
});

test('view feed: coalesces status, batches points, keeps the newest sample only when asked', async () => {
  const sent: HostMessage[] = [];
  const feed = new ViewFeed((m) => sent.push(m), { intervalMs: 20, latestSampleOnly: true });
  const run = { runDir: '/r', name: 'r', status: 'running' as const, step: 1, totalSteps: 9, live: true };
  for (let i = 1; i <= 50; i++) {
    feed.status({ ...run, step: i });
    feed.addPoints('/r', [{ step: i, losses: { g: i } }]);
  }
  feed.addSample('/r', { step: 10, uri: 'a' });
  feed.addSample('/r', { step: 20, uri: 'b' });
  assert.equal(sent.length, 0, 'nothing before the interval');
  await new Promise((r) => setTimeout(r, 40));
  assert.deepEqual(
    sent.map((m) => m.type),
    ['status', 'points', 'samples'],
  );
  assert.equal((sent[0] as Extract<HostMessage, { type: 'status' }>).run.step, 50);
  assert.equal((sent[1] as Extract<HostMessage, { type: 'points' }>).points.length, 50);
  assert.deepEqual((sent[2] as Extract<HostMessage, { type: 'samples' }>).samples, [{ step: 20, uri: 'b' }]);
  // switching runs drops what was pending for the old one
  feed.addPoints('/r', [{ step: 51, losses: {} }]);
  feed.addPoints('/other', [{ step: 1, losses: {} }]);
  feed.flush();
  assert.deepEqual(
    sent.slice(3).map((m) => (m as { runDir: string }).runDir),
    ['/other'],
  );
  feed.dispose();
});

test('run dir names', () => {
  const d = new Date(2026, 10, 23, 9, 5, 7);
  assert.equal(newRunDirName('dcgan-mnist', d), 'dcgan-mnist-20261123-090507');
  assert.equal(newRunDirName('../../etc passwd', d), 'etc-passwd-20261123-090507');
  assert.equal(newRunDirName('', d), 'run-20261123-090507');
});
