// The Run Comparison panel on the mocked `vscode`: two run folders on disk -> the page `runs`
// with those folders as its only resource roots, "ready" answered with both runs' history and
// the config diff, the page's requests by run index (never by path), and the command's
// reading of a Runs tree selection.
import { mock } from './installVscodeMock';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { RunComparisonPanel } from '../../../src/extension/runComparison/runComparisonPanel';
import { selectedRunDirs } from '../../../src/extension/runComparison/register';
import { parseRunComparisonHostMessage } from '../../../src/shared/runComparisonProtocol';
import type { TrainingManager } from '../../../src/extension/trainer/manager';
import { fakePanel, until } from './fakePanel';

function makeRun(root: string, name: string, lr: number): string {
  const dir = path.join(root, name);
  mkdirSync(path.join(dir, 'samples'), { recursive: true });
  writeFileSync(
    path.join(dir, 'config.json'),
    JSON.stringify({ name, model: 'gan', steps: 8, optimizer: { lr, beta1: 0.5 } }),
  );
  const line = (step: number) =>
    JSON.stringify({
      step,
      epoch: 0,
      time: '',
      msPerStep: 10,
      losses: { dLoss: 1, gLoss: 2 },
      lr,
      backend: 'cpu',
      numTensors: 1,
      rssMB: 1,
    });
  writeFileSync(path.join(dir, 'metrics.jsonl'), `${[1, 2, 3].map(line).join('\n')}\n`);
  for (const s of [0, 4]) writeFileSync(path.join(dir, 'samples', `step-0000000${s}.png`), '');
  return dir;
}

const noEvent = () => ({
  dispose() {
    /* nothing */
  },
});
const manager = { onDidChangeSessions: noEvent, byRunDir: () => undefined } as unknown as TrainingManager;

test('run comparison panel: roots, history of both runs, config diff, requests by index', async () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'gan-runcmp-'));
  const a = makeRun(root, 'slow', 0.0002);
  const b = makeRun(root, 'fast', 0.001);
  const panels: ReturnType<typeof fakePanel>[] = [];
  const opened: unknown[][] = [];
  Object.assign(mock.vscode.window, { createWebviewPanel: () => panels[panels.push(fakePanel()) - 1] });
  const exec = mock.vscode.commands.executeCommand;
  mock.vscode.commands.executeCommand = async (id: string, ...args: unknown[]) => {
    opened.push([id, ...args]);
    return exec(id, ...args);
  };
  const ext = mock.vscode.Uri.file('/ext') as unknown as import('vscode').Uri;
  try {
    RunComparisonPanel.show(ext, manager, [a, b]);
    const p = panels[0];
    assert.match(p.webview.html, /<body data-view="runs">/);
    assert.deepEqual(
      p.webview.options.localResourceRoots?.map((u) => u.fsPath),
      ['/ext/dist/webview', a, b],
    );
    assert.equal(p.title, 'Run Comparison: slow · fast');

    p.message.fire({ type: 'ready' });
    await until(() => p.posted.length > 0);
    const reset = parseRunComparisonHostMessage(p.posted[0]);
    assert.ok(reset?.type === 'reset');
    assert.deepEqual(
      reset.runs.map((r) => [r.info.name, r.family, r.points.length, r.samples.map((s) => s.step)]),
      [
        ['slow', 'gan', 3, [0, 4]],
        ['fast', 'gan', 3, [0, 4]],
      ],
    );
    assert.match(reset.runs[1].samples[1].uri, /^https:\/\/file\+.*fast\/samples\/step-00000004\.png$/);
    assert.deepEqual(reset.configDiff, [
      { key: 'name', values: ['"slow"', '"fast"'] },
      { key: 'optimizer.lr', values: ['0.0002', '0.001'] },
    ]);

    for (const bad of [
      { type: 'openSample', run: 2, step: 0 },
      { type: 'openFile', path: '/etc/passwd' },
      { type: 'openConfig', run: '../x' },
    ])
      p.message.fire(bad);
    p.message.fire({ type: 'openSample', run: 1, step: 4 });
    p.message.fire({ type: 'openDashboard', run: 0 });
    await until(() => opened.length >= 2);
    assert.deepEqual(
      opened.map((o) => [o[0], (o[1] as { fsPath?: string }).fsPath ?? o[1]]),
      [
        ['vscode.open', path.join(b, 'samples', 'step-00000004.png')],
        ['ganStudio.openDashboard', a],
      ],
    );

    RunComparisonPanel.show(ext, manager, [b, a]);
    assert.deepEqual([panels.length, p.revealed, p.title], [1, 1, 'Run Comparison: fast · slow'], 'one panel, reused');
    p.dispose();
    assert.deepEqual([p.message.listeners.size, p.disposed.listeners.size, p.viewState.listeners.size], [0, 0, 0]);
  } finally {
    mock.vscode.commands.executeCommand = exec;
    rmSync(root, { recursive: true, force: true });
  }
});

test('Compare Runs reads the Runs tree selection: the clicked node alone, or all selected runs', () => {
  // runDirOf tells Uris by `instanceof vscode.Uri`: the mock's Uri must be a class for that.
  const plainUri = mock.vscode.Uri;
  mock.vscode.Uri = Object.assign(class {}, plainUri);
  const node = (runDir: string) => ({ kind: 'run', run: { runDir } });
  assert.deepEqual(
    selectedRunDirs(node('/w/runs/a'), [
      node('/w/runs/a'),
      node('/w/runs/b'),
      { kind: 'group', run: { runDir: '/w/runs/b' } },
    ]),
    ['/w/runs/a', '/w/runs/b'],
  );
  assert.deepEqual(selectedRunDirs(node('/w/runs/a'), undefined), ['/w/runs/a']);
  assert.deepEqual(selectedRunDirs(undefined, undefined), []);
  assert.deepEqual(selectedRunDirs('relative/path', []), []);
  mock.vscode.Uri = plainUri;
});
