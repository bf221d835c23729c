// Loads the real extension bundle (built by scripts/test-ext.mjs exactly like scripts/build.mjs
// does) against a mocked `vscode`, and checks activation cost and that the manifest and the code
// agree on every command, view and serializer.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import Module from 'node:module';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { makeVscodeMock } from './vscodeMock';

const bundle = path.join(__dirname, 'bundle', 'extension.js');
const pkg = JSON.parse(readFileSync(path.join(__dirname, '..', '..', '..', 'package.json'), 'utf8'));

test('extension bundle: small, no tfjs, cheap activation, manifest matches the code', async () => {
  assert.ok(statSync(bundle).size < 1024 * 1024, 'extension bundle under 1 MB');
  const text = readFileSync(bundle, 'utf8');
  assert.ok(!/@tensorflow\/tfjs(?!-node")/.test(text.replace(/libtensorflow/g, '')), 'tfjs is not in the host bundle');

  const ws = mkdtempSync(path.join(os.tmpdir(), 'gan-ws-'));
  const { vscode, rec } = makeVscodeMock(ws);
  const M = Module as unknown as { _load: (req: string, ...rest: unknown[]) => unknown };
  const orig = M._load;
  M._load = function (req: string, ...rest: unknown[]) {
    return req === 'vscode' ? vscode : orig.call(this, req, ...rest);
  };
  let ext: { activate(ctx: unknown): void; deactivate(): Promise<void> } | undefined;
  const subscriptions: { dispose(): void }[] = [];
  try {
    const t0 = performance.now();
    ext = require(bundle) as { activate(ctx: unknown): void; deactivate(): Promise<void> };
    ext.activate({ subscriptions, extensionUri: vscode.Uri.file(path.join(__dirname, 'ext-root')) });
    const firstMs = performance.now() - t0;

    const declared = pkg.contributes.commands as { command: string; title: string; category: string }[];
    assert.deepEqual([...rec.commands.keys()].sort(), declared.map((c) => c.command).sort());
    for (const c of declared) assert.equal(c.category, 'GAN');
    const titles = Object.fromEntries(declared.map((c) => [c.command, c.title]));
    assert.deepEqual(
      ['train', 'stopTraining', 'togglePause', 'resumeRun', 'openDashboard', 'showLog', 'selectBackend'].map(
        (k) => titles[`ganStudio.${k}`],
      ),
      [
        'Train GAN',
        'Stop Training',
        'Pause/Resume Training',
        'Resume Run from Checkpoint…',
        'Open Training Dashboard',
        'Show Training Log',
        'Select Compute Backend',
      ],
    );
    const views = (pkg.contributes.views.ganStudio as { id: string }[]).map((v) => v.id);
    assert.deepEqual(rec.views.sort(), views.sort());
    // Every restorable panel has a serializer and an activation event, and nothing else does.
    assert.deepEqual(rec.serializers.sort(), ['ganStudio.compare', 'ganStudio.dashboard', 'ganStudio.runComparison']);
    const panelEvents = (pkg.activationEvents as string[]).filter((e) => e.startsWith('onWebviewPanel:'));
    assert.deepEqual(panelEvents.map((e) => e.slice('onWebviewPanel:'.length)).sort(), rec.serializers);
    assert.equal(rec.outputChannels[0].name, 'GAN Training');
    assert.equal(rec.outputChannels[0].languageId, 'ganlog');
    assert.equal(rec.contextKeys.get('ganStudio.isTraining'), false);
    // every command referenced by a menu exists
    for (const items of Object.values(pkg.contributes.menus) as { command: string }[][]) {
      for (const m of items) assert.ok(titles[m.command], `menu refers to unknown command ${m.command}`);
    }
    // The cost a user waits for, on a busy 2-core machine too: the best of a few fresh loads
    // (the first one above also pays for reading the bundle from disk).
    let ms = firstMs;
    for (let i = 0; i < 3; i++) ms = Math.min(ms, await timeFreshActivation(M, orig));
    assert.ok(ms < 50, `require + activate took ${ms.toFixed(1)} ms (best of 4)`);
  } finally {
    // Also when an assertion failed: live subscriptions (timers, watchers) would hang the run.
    await ext?.deactivate();
    for (const d of subscriptions.reverse()) d.dispose();
    M._load = orig;
    rmSync(ws, { recursive: true, force: true });
  }
});

/** Milliseconds to require the bundle afresh and activate it against a new mock; then disposed. */
async function timeFreshActivation(
  M: { _load: (req: string, ...rest: unknown[]) => unknown },
  orig: typeof M._load,
): Promise<number> {
  const ws = mkdtempSync(path.join(os.tmpdir(), 'gan-ws-'));
  const { vscode } = makeVscodeMock(ws);
  const subscriptions: { dispose(): void }[] = [];
  M._load = function (req: string, ...rest: unknown[]) {
    return req === 'vscode' ? vscode : orig.call(this, req, ...rest);
  };
  delete require.cache[require.resolve(bundle)];
  let ext: { activate(ctx: unknown): void; deactivate(): Promise<void> } | undefined;
  try {
    const t0 = performance.now();
    ext = require(bundle) as { activate(ctx: unknown): void; deactivate(): Promise<void> };
    ext.activate({ subscriptions, extensionUri: vscode.Uri.file(path.join(__dirname, 'ext-root')) });
    return performance.now() - t0;
  } finally {
    await ext?.deactivate();
    for (const d of subscriptions.reverse()) d.dispose();
    rmSync(ws, { recursive: true, force: true });
  }
}
