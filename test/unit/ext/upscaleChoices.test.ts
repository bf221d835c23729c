// The "Upscale with SRGAN" quick pick as a user meets it: the shipped fidelity and sharp models
// with what each is for, the imported models of a real store (name, architecture, scale, size),
// a broken import skipped and named, "Import a model file…", the user's runs; the remembered
// choice (old names 'default'/'default-sharp' too) and Remove with its confirmation.
import { mock } from './installVscodeMock';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type * as vscode from 'vscode';
import { chooseUpscale, type ChooseOptions, type UpscaleChoice } from '../../../src/extension/infer/upscaleChoices';
import { resultNote } from '../../../src/extension/infer/upscaleCommand';
import { IMPORT_FILE, type ImportedSrModel } from '../../../src/shared/importedModels';
import type { RunSummary } from '../../../src/extension/runIndex/runsIndex';

const win = mock.vscode.window as Record<string, unknown>;

type Item = vscode.QuickPickItem & { choice?: UpscaleChoice };

/** A stand-in for createQuickPick: `user` sees the pick each time it is shown and acts on it. */
interface FakePick {
  items: readonly Item[];
  activeItems: readonly Item[];
  selectedItems: readonly Item[];
  accept(label: string): void;
  pressButton(label: string): void;
  escape(): void;
}

function installQuickPick(user: (qp: FakePick, shown: number) => void): void {
  win.createQuickPick = () => {
    const accept: (() => void)[] = [];
    const hide: (() => void)[] = [];
    const button: ((e: { item: Item; button: unknown }) => void)[] = [];
    let shown = 0;
    let visible = false;
    const find = (label: string) => {
      const it = qp.items.find((i) => i.label === label);
      assert.ok(it, `no item "${label}" in ${qp.items.map((i) => i.label).join(' | ')}`);
      return it;
    };
    const qp = {
      items: [] as readonly Item[],
      activeItems: [] as readonly Item[],
      selectedItems: [] as readonly Item[],
      title: '',
      placeholder: '',
      matchOnDescription: false,
      ignoreFocusOut: false,
      onDidAccept: (f: () => void) => accept.push(f),
      onDidHide: (f: () => void) => hide.push(f),
      onDidTriggerItemButton: (f: (e: { item: Item; button: unknown }) => void) => button.push(f),
      show() {
        visible = true;
        const n = ++shown;
        setImmediate(() => user(qp, n));
      },
      hide() {
        if (!visible) return;
        visible = false;
        hide.forEach((f) => f());
      },
      dispose() {
        /* */
      },
      accept(label: string) {
        qp.selectedItems = [find(label)];
        accept.forEach((f) => f());
      },
      pressButton(label: string) {
        const item = find(label);
        button.forEach((f) => f({ item, button: item.buttons?.[0] }));
        // The confirmation is modal and takes the focus: assume the worst, the pick is hidden.
        qp.hide();
      },
      escape() {
        qp.hide();
      },
    };
    return qp;
  };
}

function memento(initial: Record<string, unknown> = {}): vscode.Memento {
  const m = new Map(Object.entries(initial));
  return {
    get: <T>(k: string, d?: T) => (m.has(k) ? (m.get(k) as T) : d),
    update: async (k: string, v: unknown) => void m.set(k, v),
    keys: () => [...m.keys()],
  } as vscode.Memento;
}

const model = (name: string, over: Partial<ImportedSrModel> = {}): ImportedSrModel => ({
  format: 1,
  name,
  arch: 'RRDBNet',
  scale: 4,
  params: 16_697_987,
  layout: 'new',
  sourceName: `${name}.pth`,
  sha256: 'cd'.repeat(32),
  bytes: 67_040_989,
  importedAt: '2026-11-30T02:00:00.000Z',
  ...over,
});

/** An extension folder with the shipped models named, a store with imports, an SRGAN run. */
function world(shipped: string[]) {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'gan-pick-'));
  for (const s of shipped) {
    fs.mkdirSync(path.join(root, 'ext', 'models', s), { recursive: true });
    fs.writeFileSync(path.join(root, 'ext', 'models', s, 'model.json'), '{}');
  }
  const store = path.join(root, 'upscalers');
  const put = (folder: string, json: unknown) => {
    fs.mkdirSync(path.join(store, folder), { recursive: true });
    fs.writeFileSync(path.join(store, folder, IMPORT_FILE), typeof json === 'string' ? json : JSON.stringify(json));
  };
  put('RealESRGAN_x4plus', model('RealESRGAN_x4plus'));
  put(
    'realesr-general-x2',
    model('realesr-general-x2', { arch: 'SRVGGNetCompact', scale: 2, params: 1_185_984, bytes: 4_883_165 }),
  );
  put('half-copied', '{"format": 1, "name": "half-co');
  const runDir = path.join(root, 'runs', 'my-sr');
  fs.mkdirSync(runDir, { recursive: true });
  fs.writeFileSync(path.join(runDir, 'config.json'), JSON.stringify({ model: 'srgan', dataset: { scale: 2 } }));
  const runs = [{ runDir, model: 'srgan', hasLatest: true, step: 400 } as unknown as RunSummary];
  const logs: string[] = [];
  const opts = (over: Partial<ChooseOptions> = {}): ChooseOptions => ({
    extensionPath: path.join(root, 'ext'),
    runs,
    memento: memento(),
    ask: true,
    store,
    importModel: async () => undefined,
    log: (l) => logs.push(l),
    ...over,
  });
  return { root, store, runDir, opts, logs, done: () => fs.rmSync(root, { recursive: true, force: true }) };
}

test('the pick: shipped with their purpose, imported models, a broken one named, import, runs', async () => {
  const w = world(['sr-x4', 'sr-x2', 'sr-x4-sharp']);
  try {
    let seen: { label: string; description?: string; detail?: string; buttons: number }[] = [];
    let active = '';
    installQuickPick((qp) => {
      seen = qp.items.map((i) => ({
        label: i.label,
        description: i.description,
        detail: i.detail,
        buttons: i.buttons?.length ?? 0,
      }));
      active = qp.activeItems[0]?.label ?? '';
      qp.accept('×4 · Faithful (fidelity)');
    });
    const choice = await chooseUpscale(w.opts());
    assert.deepEqual(choice, { scale: 4, model: 'fidelity' });
    assert.equal(active, '×4 · Sharp', 'the default (sharp, for photos) is pre-selected');
    assert.deepEqual(
      seen.map((s) => s.label),
      [
        'Shipped with GAN Studio',
        '×4 · Sharp',
        '×4 · Faithful (fidelity)',
        '×2 · Faithful (fidelity)',
        'Imported models',
        '×2 · realesr-general-x2',
        '×4 · RealESRGAN_x4plus',
        '$(warning) half-copied',
        '$(add) Import a model file…',
        'Your SRGAN runs',
        '×2 · my-sr',
      ],
    );
    const by = (l: string) => seen.find((s) => s.label === l);
    assert.equal(
      by('×4 · Faithful (fidelity)')?.description,
      'trained for accuracy, PSNR; best for text, diagrams, exact work',
    );
    assert.equal(by('×4 · Sharp')?.description, 'GAN-trained, crisp textures; best for photos');
    assert.equal(by('×4 · RealESRGAN_x4plus')?.description, 'RRDBNet x4 (16.7 M params, 63.9 MB)');
    assert.equal(by('×2 · realesr-general-x2')?.description, 'SRVGGNetCompact x2 (1.2 M params, 4.7 MB)');
    assert.equal(by('×4 · RealESRGAN_x4plus')?.buttons, 1, 'Remove');
    assert.match(by('$(warning) half-copied')?.detail ?? '', /^half-copied: import\.json is not valid JSON$/);
    assert.ok(
      w.logs.some((l) => l.includes('half-copied: import.json is not valid JSON')),
      w.logs.join('\n'),
    );
  } finally {
    w.done();
  }
});

test('sharp is offered only where its folder exists; an imported model is used by its folder', async () => {
  const w = world(['sr-x4', 'sr-x2']);
  try {
    let labels: string[] = [];
    installQuickPick((qp) => {
      labels = qp.items.map((i) => i.label);
      qp.accept('×4 · RealESRGAN_x4plus');
    });
    const m = memento();
    const choice = await chooseUpscale(w.opts({ memento: m }));
    assert.ok(!labels.some((l) => l.includes('Sharp')), labels.join(' | '));
    assert.equal(choice?.model, path.join(w.store, 'RealESRGAN_x4plus'));
    assert.equal(choice?.scale, 4);
    assert.equal(choice?.imported?.name, 'RealESRGAN_x4plus');
    // Remembered: next time it is highlighted and marked; without asking it is used directly.
    let active: Item | undefined;
    installQuickPick((qp) => {
      active = qp.activeItems[0];
      qp.escape();
    });
    assert.equal(await chooseUpscale(w.opts({ memento: m })), undefined, 'Escape chooses nothing');
    assert.equal(active?.label, '×4 · RealESRGAN_x4plus');
    assert.match(active?.description ?? '', /\(last used\)$/);
    const direct = await chooseUpscale(w.opts({ memento: m, ask: false }));
    assert.equal(direct?.imported?.name, 'RealESRGAN_x4plus');
  } finally {
    w.done();
  }
});

test("old remembered names: 'default' is fidelity, 'default-sharp' is sharp", async () => {
  const w = world(['sr-x4', 'sr-x2', 'sr-x4-sharp']);
  try {
    const last = (model: string, scale = 4) => memento({ 'ganStudio.upscale.lastChoice': { scale, model } });
    assert.deepEqual(await chooseUpscale(w.opts({ ask: false, memento: last('default-sharp') })), {
      scale: 4,
      model: 'sharp',
    });
    assert.deepEqual(await chooseUpscale(w.opts({ ask: false, memento: last('default', 2) })), {
      scale: 2,
      model: 'fidelity',
    });
    let active: Item | undefined;
    installQuickPick((qp) => {
      active = qp.activeItems[0];
      qp.accept(active?.label ?? '');
    });
    const m = last('default-sharp');
    assert.deepEqual(await chooseUpscale(w.opts({ memento: m })), { scale: 4, model: 'sharp' });
    assert.equal(active?.label, '×4 · Sharp');
    assert.equal(active?.description, 'GAN-trained, crisp textures; best for photos (last used)');
    assert.deepEqual(m.get('ganStudio.upscale.lastChoice'), { scale: 4, model: 'sharp' }, 'saved under the new name');
    // A remembered model that is gone (sharp not installed) falls back to the default.
    const w2 = world(['sr-x4']);
    try {
      assert.deepEqual(await chooseUpscale(w2.opts({ ask: false, memento: last('default-sharp') })), {
        scale: 4,
        model: 'fidelity',
      });
    } finally {
      w2.done();
    }
  } finally {
    w.done();
  }
});

test('Remove asks first, deletes the folder, and the pick stays open without it', async () => {
  const w = world(['sr-x4']);
  const saved = win.showWarningMessage;
  const asked: string[] = [];
  let answer: string | undefined = undefined;
  win.showWarningMessage = async (m: string) => {
    asked.push(m);
    return answer;
  };
  try {
    const rounds: string[][] = [];
    installQuickPick((qp, shown) => {
      rounds.push(qp.items.map((i) => i.label));
      if (shown === 1)
        qp.pressButton('×4 · RealESRGAN_x4plus'); // declined
      else if (shown === 2) {
        answer = 'Remove';
        qp.pressButton('×4 · RealESRGAN_x4plus');
      } else if (shown === 3) qp.pressButton('$(warning) half-copied');
      else qp.accept('×2 · realesr-general-x2');
    });
    const choice = await chooseUpscale(w.opts());
    assert.equal(choice?.imported?.name, 'realesr-general-x2');
    assert.deepEqual(asked, [
      'Remove the imported upscaling model "RealESRGAN_x4plus"?',
      'Remove the imported upscaling model "RealESRGAN_x4plus"?',
      'Remove the imported upscaling model "half-copied"?',
    ]);
    assert.ok(rounds[1].includes('×4 · RealESRGAN_x4plus'), 'declined: kept');
    assert.ok(!rounds[2].includes('×4 · RealESRGAN_x4plus'), 'removed from the pick');
    assert.ok(!rounds[3].includes('$(warning) half-copied'));
    assert.deepEqual(fs.readdirSync(w.store), ['realesr-general-x2']);
  } finally {
    win.showWarningMessage = saved;
    w.done();
  }
});

test('models imported in a terminal (gan import-sr) are offered and can be removed', async () => {
  const w = world(['sr-x4']);
  const cliStore = path.join(w.root, 'home', '.gan-studio', 'upscalers');
  fs.mkdirSync(path.join(cliStore, '4x-UltraSharp'), { recursive: true });
  fs.writeFileSync(path.join(cliStore, '4x-UltraSharp', IMPORT_FILE), JSON.stringify(model('4x-UltraSharp')));
  const saved = win.showWarningMessage;
  win.showWarningMessage = async () => 'Remove';
  try {
    const rounds: Item[][] = [];
    installQuickPick((qp, shown) => {
      rounds.push([...qp.items]);
      if (shown === 1) qp.pressButton('×4 · 4x-UltraSharp');
      else qp.escape();
    });
    assert.equal(await chooseUpscale(w.opts({ cliStore })), undefined);
    const cliItem = rounds[0].find((i) => i.label === '×4 · 4x-UltraSharp');
    assert.equal(cliItem?.detail, 'from 4x-UltraSharp.pth · imported with gan import-sr');
    assert.equal(cliItem?.choice?.model, path.join(cliStore, '4x-UltraSharp'));
    assert.equal(rounds[0].filter((i) => i.label === '×4 · RealESRGAN_x4plus').length, 1);
    assert.ok(!rounds[1].some((i) => i.label === '×4 · 4x-UltraSharp'), 'removed from the pick');
    assert.deepEqual(fs.readdirSync(cliStore), [], 'and from the CLI store');
    assert.ok(fs.existsSync(path.join(w.store, 'RealESRGAN_x4plus')), "the extension's own imports untouched");
    rounds.length = 0;
    installQuickPick((qp) => {
      rounds.push([...qp.items]);
      qp.escape();
    });
    await chooseUpscale(w.opts({ cliStore: w.store }));
    assert.equal(rounds[0].filter((i) => i.label === '×4 · RealESRGAN_x4plus').length, 1, 'one store given twice');
  } finally {
    win.showWarningMessage = saved;
    w.done();
  }
});

test('"Import a model file…" imports and upscales with the new model', async () => {
  const w = world(['sr-x4']);
  try {
    installQuickPick((qp) => qp.accept('$(add) Import a model file…'));
    const imported = { ...model('4x-UltraSharp'), dir: path.join(w.store, '4x-UltraSharp') };
    const m = memento();
    const choice = await chooseUpscale(w.opts({ memento: m, importModel: async () => imported }));
    assert.equal(choice?.model, imported.dir);
    assert.equal(choice?.scale, 4);
    assert.deepEqual(m.get('ganStudio.upscale.lastChoice'), { scale: 4, model: imported.dir });
    // Cancelling the file dialog ends the command.
    installQuickPick((qp) => qp.accept('$(add) Import a model file…'));
    assert.equal(await chooseUpscale(w.opts({ importModel: async () => undefined })), undefined);
  } finally {
    w.done();
  }
});

test('the result note names the model the user chose', () => {
  const result = {
    output: '/w/a.x4.png',
    width: 8,
    height: 8,
    inputWidth: 2,
    inputHeight: 2,
    seconds: 3.14,
    model: 'x',
  };
  assert.equal(resultNote({ scale: 4, model: 'fidelity' }, result), 'Upscaled ×4 with fidelity in 3.1 s');
  assert.equal(resultNote({ scale: 4, model: 'default-sharp' }, result), 'Upscaled ×4 with sharp in 3.1 s');
  const imported = { scale: 4 as const, model: '/s/up/4x-UltraSharp', imported: { name: '4x-UltraSharp', params: 9 } };
  assert.equal(resultNote(imported, result), 'Upscaled ×4 with 4x-UltraSharp in 3.1 s');
  assert.equal(
    resultNote({ scale: 4, model: 'fidelity' }, result, 8),
    'Upscaled ×4 with fidelity (self-ensemble x8) in 3.1 s',
  );
  const run = { ...result, model: 'srgan my-sr, step 400' };
  assert.equal(
    resultNote({ scale: 2, model: '/w/runs/my-sr' }, run),
    'Upscaled ×2 with srgan my-sr, step 400 in 3.1 s',
  );
});
