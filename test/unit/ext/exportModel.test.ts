// "Export Model…": which folder a Runs-tree row names, the default file name, the message of a
// finished export, the JSON report read back, the menu entries; and the whole command with the
// dialogs answered, running the real `gan export` (dist/cli.js) in a child process.
import { mock } from './installVscodeMock';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  exportBaseName,
  exportMessage,
  exportModelCommand,
  exportSourceOf,
  parseReport,
} from '../../../src/extension/project/exportModel';

const ROOT = path.join(__dirname, '..', '..', '..');
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));

test('the folder of a run row, a checkpoint row, a path or a file Uri; nothing for the rest', () => {
  const run = { runDir: '/w/runs/mnist-1', checkpoints: [] };
  assert.equal(exportSourceOf({ kind: 'run', run }), '/w/runs/mnist-1');
  assert.equal(
    exportSourceOf({
      kind: 'checkpoint',
      run,
      checkpoint: { name: 'latest', path: '/w/runs/mnist-1/checkpoints/latest', isLatest: true },
    }),
    '/w/runs/mnist-1/checkpoints/latest',
  );
  assert.equal(exportSourceOf('/w/runs/x'), '/w/runs/x');
  assert.equal(exportSourceOf({ scheme: 'file', fsPath: '/w/runs/y' }), '/w/runs/y');
  assert.equal(exportSourceOf({ kind: 'sample', run, sample: { step: 1, path: '/a.png' } }), undefined);
  assert.equal(exportSourceOf('relative/dir'), undefined);
  assert.equal(exportSourceOf(undefined), undefined);
});

test('default names: <run>-<checkpoint>, or the run', () => {
  assert.equal(exportBaseName('/w/runs/mnist-1/checkpoints/step-00000200'), 'mnist-1-step-00000200');
  assert.equal(exportBaseName('/w/runs/my run/checkpoints/latest'), 'my_run-latest');
  assert.equal(exportBaseName('/w/runs/mnist-1'), 'mnist-1');
});

test('the report is read back and said in one sentence, notes included', () => {
  const r = parseReport(
    'some warning\n{"format":"onnx","out":"/x/a.onnx","files":["/x/a.onnx"],"network":"generator","family":"pix2pix","step":20,"notes":["dropout as identity"]}\n',
  );
  assert.ok(r);
  assert.equal(exportMessage(r), 'Exported pix2pix generator (step 20) as ONNX to a.onnx. Note: dropout as identity.');
  assert.equal(
    exportMessage({
      format: 'tfjs',
      out: '/x/web',
      files: [],
      network: 'generatorEma',
      family: 'dcgan',
      step: 3,
      notes: [],
    }),
    'Exported dcgan generatorEma (step 3) as TensorFlow.js to web/.',
  );
  assert.equal(parseReport('not json'), undefined);
  assert.equal(parseReport('{"out": 3}'), undefined);
});

test('the command is contributed, on run and checkpoint rows of the Runs tree', () => {
  const cmd = (pkg.contributes.commands as { command: string; title: string }[]).find(
    (c) => c.command === 'ganStudio.exportModel',
  );
  assert.equal(cmd?.title, 'Export Model…');
  const item = (pkg.contributes.menus['view/item/context'] as { command: string; when: string }[]).find(
    (m) => m.command === 'ganStudio.exportModel',
  );
  assert.ok(item);
  const re = /viewItem =~ \/(.*)\/$/.exec(item.when)?.[1];
  assert.ok(re && item.when.startsWith('view == ganStudio.runs'));
  for (const v of ['ganRun idle resumable', 'ganRun live', 'ganCheckpoint', 'ganCheckpoint latest'])
    assert.match(v, new RegExp(re), v);
  for (const v of ['ganSample', 'ganGroup']) assert.doesNotMatch(v, new RegExp(re), v);
});

const CLI = path.join(ROOT, 'dist', 'cli.js');
const FIXTURE = path.join(ROOT, 'test', 'fixtures', 'checkpoints-8094b05', 'cyclegan');

test(
  'the command: format, save dialog, progress, the CLI in a child, "Reveal"; a failure is one line',
  { skip: !fs.existsSync(CLI) && 'dist/cli.js not built' },
  async () => {
    const w = mock.vscode.window as Record<string, unknown>;
    const saved = { ...w };
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gan-export-ext-'));
    const said: string[] = [];
    const errors: string[] = [];
    const progress: string[] = [];
    let target = path.join(dir, 'cyc.onnx');
    try {
      w.showQuickPick = async (items: { format: string }[]) => items.find((i) => i.format === 'onnx');
      w.showSaveDialog = async () => mock.vscode.Uri.file(target);
      w.withProgress = async (o: { title: string }, task: () => Promise<unknown>) => {
        progress.push(o.title);
        return task();
      };
      w.showInformationMessage = async (m: string) => {
        said.push(m);
        return undefined;
      };
      w.showErrorMessage = async (m: string) => {
        errors.push(m);
        return undefined;
      };
      const deps = { cliPath: CLI, cli: () => ({}) };
      await exportModelCommand(deps, FIXTURE);
      assert.deepEqual(errors, []);
      assert.deepEqual(progress, ['Exporting cyclegan as ONNX…']);
      assert.deepEqual(said, ['Exported cyclegan generatorAB (step 2) as ONNX to cyc.onnx.']);
      assert.ok(fs.statSync(target).size > 1000);

      target = path.join(dir, 'missing', 'x.onnx');
      await exportModelCommand(deps, path.join(dir, 'no-such-run'));
      assert.equal(errors.length, 1);
      assert.match(errors[0], /^Export failed: checkpoint folder not found: .*no-such-run$/);
    } finally {
      Object.assign(w, saved);
      fs.rmSync(dir, { recursive: true, force: true });
    }
  },
);
