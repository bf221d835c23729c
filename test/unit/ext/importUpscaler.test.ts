// "GAN: Import Upscaling Model…" end to end on the host side: the file dialog, the import job
// in a real forked inference child (the fake one: real message loop, no tfjs), the progress
// notification, the one-line error of a bad file, the success message and its "Upscale an
// Image…" button, a second import of the same file; the protocol's checks of the job and its
// answer; the menus; and the speed estimate kept per model.
import { mock } from './installVscodeMock';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PNG } from 'pngjs';
import type * as vscode from 'vscode';
import type { InferContext } from '../../../src/extension/infer/context';
import { importReason, importUpscalerCommand } from '../../../src/extension/infer/importCommand';
import { InferService } from '../../../src/extension/infer/inferService';
import {
  DEFAULT_SEC_PER_MP,
  learnRate,
  migrateRates,
  priorSecPerMP,
  rateKey,
  secondsFor,
} from '../../../src/extension/infer/estimate';
import { parseInferEvent, parseInferRequest } from '../../../src/shared/inferProtocol';
import { IMPORT_FILE } from '../../../src/shared/importedModels';

const ROOT = path.join(__dirname, '..', '..', '..');
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
const win = mock.vscode.window as Record<string, unknown>;
const script = path.join(__dirname, 'fixtures', 'fakeInfer.child.js');
/** The real trainer bundle (inference mode) and the importer's fixtures: tiny random-weight models. */
const realChild = path.join(__dirname, 'bundle', 'trainer.js');
const SR_FIXTURES = path.join(ROOT, 'test', 'fixtures', 'sr-import');

function memento(): vscode.Memento {
  const m = new Map<string, unknown>();
  return {
    get: <T>(k: string, d?: T) => (m.has(k) ? (m.get(k) as T) : d),
    update: async (k: string, v: unknown) => void m.set(k, v),
    keys: () => [...m.keys()],
  } as vscode.Memento;
}

/** The window's dialogs answered by the test; what the user saw, recorded. */
function ui(answers: { open?: string[][]; button?: string }) {
  const saved = { ...win };
  const seen = { info: [] as string[], errors: [] as string[], progress: [] as string[], dialogs: [] as unknown[] };
  win.showOpenDialog = async (o: unknown) => {
    seen.dialogs.push(o);
    const files = answers.open?.shift();
    return files?.map((f) => mock.vscode.Uri.file(f));
  };
  win.withProgress = async (o: { title: string }, task: (p: unknown, t: unknown) => Promise<unknown>) => {
    seen.progress.push(o.title);
    return task({ report: () => undefined }, { onCancellationRequested: () => ({ dispose: () => undefined }) });
  };
  win.showInformationMessage = async (m: string, ...buttons: string[]) => {
    seen.info.push([m, ...buttons].join(' | '));
    return answers.button;
  };
  win.showErrorMessage = async (m: string, ...buttons: string[]) => {
    seen.errors.push([m, ...buttons].join(' | '));
    return undefined;
  };
  return { seen, restore: () => Object.assign(win, saved) };
}

function setup(child = script) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gan-import-ext-'));
  const service = new InferService({
    script: child,
    runOptions: () => ({ backend: 'native', threads: 1 }),
    idleMs: 60_000,
  });
  const logs: string[] = [];
  const ctx: InferContext = {
    extensionPath: dir,
    memento: memento(),
    service,
    runs: () => [],
    upscalerStore: () => path.join(dir, 'storage', 'upscalers'),
    cliUpscalerStore: () => path.join(dir, 'home', 'upscalers'),
    askForChoice: () => true,
    selfEnsemble: () => false,
    log: (l) => logs.push(l),
    showLog: () => undefined,
    compare: () => undefined,
  };
  const file = (name: string, bytes = 'PK\x03\x04 weights') => {
    const p = path.join(dir, name);
    fs.writeFileSync(p, bytes);
    return p;
  };
  const stored = () => (fs.existsSync(ctx.upscalerStore() ?? '') ? fs.readdirSync(ctx.upscalerStore() ?? '') : []);
  const done = () => {
    service.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  };
  return { dir, ctx, file, stored, logs, done };
}

test('a bad model file: one line naming the file and what was found; nothing stored', async () => {
  const t = setup();
  const bad = t.file('bad-classifier.pth');
  const u = ui({ open: [[bad]] });
  try {
    await importUpscalerCommand(t.ctx);
    assert.deepEqual(u.seen.progress, ['Importing bad-classifier.pth']);
    assert.deepEqual(u.seen.errors, [
      'Cannot import "bad-classifier.pth": not an ESRGAN-family model (found keys conv1.weight, fc.weight) | Show Log',
    ]);
    assert.ok(!u.seen.errors[0].includes('\n'));
    assert.deepEqual(u.seen.info, []);
    assert.deepEqual(t.stored(), []);
    const filters = (u.seen.dialogs[0] as { filters: Record<string, string[]> }).filters;
    assert.deepEqual(Object.values(filters), [['pth', 'safetensors']]);
  } finally {
    u.restore();
    t.done();
  }
});

test('imported from the explorer: stored with import.json, said what it is; once only', async () => {
  const t = setup();
  const f = t.file('RealESRGAN_x4plus.pth');
  const image = t.file('cat.png', 'png');
  const u = ui({ open: [[image]], button: 'Upscale an Image…' });
  const saved = mock.vscode.commands.executeCommand;
  const ran: unknown[][] = [];
  mock.vscode.commands.executeCommand = async (id: string, ...args: unknown[]) => {
    ran.push([id, ...args]);
    return undefined;
  };
  try {
    await importUpscalerCommand(t.ctx, mock.vscode.Uri.file(f));
    assert.deepEqual(u.seen.errors, []);
    assert.deepEqual(u.seen.dialogs.length, 1, 'no model dialog from the explorer; one for the image');
    assert.deepEqual(t.stored(), ['RealESRGAN_x4plus']);
    const json = JSON.parse(
      fs.readFileSync(path.join(t.ctx.upscalerStore() ?? '', 'RealESRGAN_x4plus', IMPORT_FILE), 'utf8'),
    );
    assert.equal(json.arch, 'RRDBNet');
    assert.deepEqual(u.seen.info, ['Imported RealESRGAN_x4plus: RRDBNet x4 (16.7 M params, 12 B) | Upscale an Image…']);
    // "Upscale an Image…": the upscale command on the picked image, the new model pre-selected.
    assert.equal(ran.length, 1);
    assert.equal(ran[0][0], 'ganStudio.upscaleImage');
    assert.equal((ran[0][1] as { fsPath: string }).fsPath, image);
    assert.deepEqual(t.ctx.memento.get('ganStudio.upscale.lastChoice'), {
      scale: 4,
      model: path.join(t.ctx.upscalerStore() ?? '', 'RealESRGAN_x4plus'),
    });

    // The same file again: not copied twice.
    u.seen.info.length = 0;
    await importUpscalerCommand(t.ctx, mock.vscode.Uri.file(f));
    assert.deepEqual(t.stored(), ['RealESRGAN_x4plus']);
    assert.match(u.seen.info[0], /^"RealESRGAN_x4plus\.pth" was imported before as RealESRGAN_x4plus: RRDBNet x4/);
  } finally {
    mock.vscode.commands.executeCommand = saved;
    u.restore();
    t.done();
  }
});

test(
  'the real inference child: hostile, foreign and damaged files are one line each; a good one imports and upscales',
  { skip: !fs.existsSync(realChild) && 'the trainer bundle was not built' },
  async () => {
    const t = setup(realChild);
    const fx = (n: string) => path.join(SR_FIXTURES, n);
    const u = ui({
      open: [[fx('evil.pth')], [fx('classifier.pth')], [fx('truncated.pth')], [fx('srvgg-x2-f16.safetensors')]],
    });
    try {
      for (let i = 0; i < 4; i++) await importUpscalerCommand(t.ctx);
      assert.equal(u.seen.errors.length, 3, u.seen.errors.join('\n'));
      assert.match(u.seen.errors[0], /^Cannot import "evil\.pth": refusing to load: the pickle calls posix\.system/);
      assert.match(u.seen.errors[1], /^Cannot import "classifier\.pth": not an ESRGAN-family model: found 2 tensors/);
      assert.match(u.seen.errors[2], /^Cannot import "truncated\.pth": it is truncated or damaged/);
      for (const e of u.seen.errors) assert.ok(!e.includes('\n') && !e.includes(SR_FIXTURES), e);
      assert.equal(u.seen.info.length, 1);
      assert.match(
        u.seen.info[0],
        /^Imported srvgg-x2-f16: SRVGGNetCompact x2 \(2\.3 k params, 5\.\d KB\) \| Upscale an Image…$/,
      );
      assert.deepEqual(t.stored(), ['srvgg-x2-f16']);
      // Upscaling with it: the job's model is its folder, the result twice the size.
      const input = path.join(t.dir, 'a.png');
      const png = new PNG({ width: 24, height: 16 });
      for (let i = 0; i < png.data.length; i++) png.data[i] = i % 4 === 3 ? 255 : (i * 37) % 256;
      fs.writeFileSync(input, PNG.sync.write(png));
      const job = {
        kind: 'upscale' as const,
        input,
        output: path.join(t.dir, 'a.x2.png'),
        scale: 2 as const,
        model: path.join(t.ctx.upscalerStore() ?? '', 'srvgg-x2-f16'),
      };
      const r = await t.ctx.service.submit(job).result;
      assert.equal(r.status, 'done', JSON.stringify(r));
      if (r.status === 'done') {
        assert.equal(r.result.model, 'srvgg-x2-f16');
        assert.deepEqual([r.result.width, r.result.height], [r.result.inputWidth * 2, r.result.inputHeight * 2]);
      }
    } finally {
      u.restore();
      t.done();
    }
  },
);

test('a file dialog cancelled or a missing file: nothing runs, one line', async () => {
  const t = setup();
  const u = ui({ open: [[]] });
  try {
    await importUpscalerCommand(t.ctx);
    assert.deepEqual([u.seen.progress, u.seen.errors, u.seen.info], [[], [], []]);
    await importUpscalerCommand(t.ctx, mock.vscode.Uri.file(path.join(t.dir, 'gone.safetensors')));
    assert.deepEqual(u.seen.errors, ['Cannot import "gone.safetensors": the file does not exist.']);
  } finally {
    u.restore();
    t.done();
  }
});

test('the importer names the file first: the message does not say it twice', () => {
  assert.equal(importReason('/m/a.pth', '/m/a.pth: truncated zip\n  at x'), 'truncated zip');
  assert.equal(importReason('/m/a.pth', 'a.pth: refused: pickle calls os.system'), 'refused: pickle calls os.system');
  assert.equal(importReason('/m/a.pth', 'out of memory'), 'out of memory');
  // As the real importer words them (test/fixtures/sr-import):
  assert.equal(
    importReason(
      '/m/t.pth',
      '/m/t.pth is truncated or damaged: the zip has no central directory (the file was cut short?)',
    ),
    'it is truncated or damaged: the zip has no central directory (the file was cut short?)',
  );
  assert.equal(
    importReason(
      '/m/e.pth',
      '/m/e.pth: refusing to load: the pickle calls posix.system; a model file may only hold tensors and dicts',
    ),
    'refusing to load: the pickle calls posix.system; a model file may only hold tensors and dicts',
  );
  assert.equal(importReason('/m/x.pth', 'cannot read /m/x.pth now'), 'cannot read x.pth now');
});

test('protocol: an import job and its answer are checked; the folder must be in the store', () => {
  const job = { kind: 'importSr', file: '/m/x.pth', store: '/s/upscalers' };
  assert.deepEqual(parseInferRequest({ type: 'run', id: 3, job, options: {} }), {
    type: 'run',
    id: 3,
    job,
    options: { backend: undefined, threads: undefined },
  });
  for (const bad of [
    { ...job, file: '' },
    { ...job, name: '../up' },
    { ...job, name: 'fidelity' },
    { ...job, store: 3 },
  ])
    assert.equal(parseInferRequest({ type: 'run', id: 3, job: bad, options: {} }), undefined, JSON.stringify(bad));
  const model = {
    format: 1,
    name: 'x',
    arch: 'SRVGGNetCompact',
    scale: 4,
    params: 1000,
    layout: 'compact',
    sourceName: 'x.pth',
    sha256: 'ef'.repeat(32),
    bytes: 4000,
    importedAt: '2026-11-30T02:00:00Z',
  };
  const storeOf = () => '/s/upscalers';
  const answer = (m: object) => ({ type: 'response', id: 3, ok: true, result: { kind: 'importSr', model: m } });
  assert.deepEqual(parseInferEvent(answer({ ...model, dir: '/s/upscalers/x' }), storeOf), {
    type: 'response',
    id: 3,
    ok: true,
    result: { kind: 'importSr', model: { ...model, dir: '/s/upscalers/x' } },
  });
  assert.equal(parseInferEvent(answer({ ...model, dir: '/home/u/x' }), storeOf), undefined, 'outside the store');
  assert.equal(parseInferEvent(answer({ ...model, dir: '/s/upscalers/y' }), storeOf), undefined, 'not its name');
  assert.equal(parseInferEvent(answer({ ...model, arch: 'UNet', dir: '/s/upscalers/x' }), storeOf), undefined);
});

test('menus: the palette command, and the explorer entry on .pth/.safetensors files only', () => {
  const cmds = pkg.contributes.commands as { command: string; title: string; category: string }[];
  assert.equal(cmds.find((c) => c.command === 'ganStudio.importUpscaler')?.title, 'Import Upscaling Model…');
  assert.equal(cmds.find((c) => c.command === 'ganStudio.importUpscalerFile')?.title, 'Import as Upscaling Model');
  const palette = pkg.contributes.menus.commandPalette as { command: string; when?: string }[];
  assert.ok(!palette.some((m) => m.command === 'ganStudio.importUpscaler'), 'always in the palette');
  assert.equal(palette.find((m) => m.command === 'ganStudio.importUpscalerFile')?.when, 'false');
  const entry = (pkg.contributes.menus['explorer/context'] as { command: string; when: string }[]).find(
    (m) => m.command === 'ganStudio.importUpscalerFile',
  );
  assert.ok(entry?.when.startsWith('!explorerResourceIsFolder && resourceScheme == file && '));
  const re = /resourceExtname =~ \/(.*)\/(\w*)$/.exec(entry?.when ?? '');
  assert.ok(re);
  const ext = new RegExp(re[1], re[2]);
  for (const n of ['.pth', '.PTH', '.safetensors']) assert.ok(ext.test(n), n);
  for (const n of ['.png', '.pt', '.onnx', '.pth.txt', '.ckpt']) assert.ok(!ext.test(n), n);
});

test('speed estimate: per model name; old names and their saved rates carry over', () => {
  assert.equal(rateKey(4, 'fidelity'), 'x4:fidelity');
  assert.equal(rateKey(4, 'default'), 'x4:fidelity');
  assert.equal(rateKey(2, 'default-sharp'), 'x2:sharp');
  assert.equal(rateKey(4, 'RealESRGAN_x4plus'), 'x4:imported:RealESRGAN_x4plus');
  assert.equal(rateKey(4, '/w/runs/sr'), 'x4:checkpoint');
  assert.deepEqual(migrateRates({ 'x4:default': 120, 'x2:default-sharp': 50, 'x4:checkpoint': 9 }), {
    'x4:fidelity': 120,
    'x2:sharp': 50,
    'x4:checkpoint': 9,
  });
  assert.equal(migrateRates({ 'x4:fidelity': 80, 'x4:default': 120 })['x4:fidelity'], 80, 'the newer rate wins');
  // Two imported models learn separately; before any run, a big one is expected to be slower.
  let rates = learnRate({}, 4, 'RealESRGAN_x4plus', 1000, 1000, 900);
  rates = learnRate(rates, 4, 'realesr-general-x4v3', 1000, 1000, 70);
  assert.equal(secondsFor(rates, 4, 'RealESRGAN_x4plus', 1000, 1000), 900);
  assert.equal(secondsFor(rates, 4, 'realesr-general-x4v3', 1000, 1000), 70);
  assert.equal(priorSecPerMP(4), DEFAULT_SEC_PER_MP[4]);
  assert.ok(secondsFor({}, 4, 'new-rrdb', 1000, 1000, 16_697_987) > 5 * DEFAULT_SEC_PER_MP[4]);
  assert.equal(secondsFor({}, 4, 'tiny', 1000, 1000, 50_000), DEFAULT_SEC_PER_MP[4]);
});
