// The one quick pick of "Upscale with SRGAN": scale and model together. Shipped models first
// (`fidelity`, faithful; `sharp`, GAN-trained, where installed), then the user's imported
// ESRGAN-family models (with a Remove button; those imported in a terminal with `gan import-sr`
// too), "Import a model file…", then the user's own SRGAN runs. The last choice is remembered
// and offered first; a setting skips the pick and uses it directly. Choices remembered under the old names 'default'/'default-sharp' still work.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { isObj } from '../../shared/guards';
import {
  DEFAULT_SHIPPED_MODEL,
  shippedModelFolder,
  describeImportedModel,
  listImportedModels,
  removeImportedModel,
  shippedModelName,
  type ListedImportedModel,
  type ShippedModel,
} from '../../shared/importedModels';
import type { RunSummary } from '../runIndex/runsIndex';
import { familyInfo } from '../../trainer/models/infos';

export interface UpscaleChoice {
  scale: 2 | 4;
  /** 'fidelity', 'sharp', an imported model's folder or a run/checkpoint folder. */
  model: string;
  /** An imported model: its name and size (for labels, the note and the time estimate). */
  imported?: { name: string; params: number };
}

/** Pre-selected and listed first until the user picks another (DEFAULT_SHIPPED_MODEL: one constant). */
export const DEFAULT_CHOICE: UpscaleChoice = { scale: 4, model: DEFAULT_SHIPPED_MODEL };
const LAST_KEY = 'ganStudio.upscale.lastChoice';

export const SHIPPED_INFO: Record<ShippedModel, { label: string; purpose: string }> = {
  fidelity: {
    label: 'Faithful (fidelity)',
    purpose: 'trained for accuracy, PSNR; best for text, diagrams, exact work',
  },
  sharp: { label: 'Sharp', purpose: 'GAN-trained, crisp textures; best for photos' },
};

/** The model's name as a user knows it: fidelity, sharp, an imported name, or the run's folder. */
export function modelName(c: UpscaleChoice): string {
  return shippedModelName(c.model) ?? c.imported?.name ?? path.basename(c.model);
}

export function choiceLabel(c: UpscaleChoice): string {
  const shipped = shippedModelName(c.model);
  return `×${c.scale} · ${shipped ? SHIPPED_INFO[shipped].label : modelName(c)}`;
}

/** Which shipped models the extension has (models/sr-x<scale>[-sharp]/model.json), the default first. */
export function shippedChoices(extensionPath: string): UpscaleChoice[] {
  const order: ShippedModel[] = DEFAULT_SHIPPED_MODEL === 'fidelity' ? ['fidelity', 'sharp'] : ['sharp', 'fidelity'];
  const out: UpscaleChoice[] = [];
  for (const model of order) {
    for (const scale of [4, 2] as const) {
      const dir = path.join(extensionPath, 'models', shippedModelFolder(model, scale));
      if (fs.existsSync(path.join(dir, 'model.json'))) out.push({ scale, model });
    }
  }
  return out;
}

export interface BrokenImport {
  dir: string;
  why: string;
}

type ImportedChoice = UpscaleChoice & { info: ListedImportedModel; viaCli?: boolean };

/** The imported models of the extension's store, then of the CLI's (`gan import-sr`), if different. */
function importedFromBoth(o: ChooseOptions): { choices: ImportedChoice[]; broken: BrokenImport[] } {
  const own = importedChoices(o.store);
  const sameStore = !o.cliStore || (o.store && path.resolve(o.store) === path.resolve(o.cliStore));
  if (sameStore) return own;
  const cli = importedChoices(o.cliStore);
  return {
    choices: [...own.choices, ...cli.choices.map((c) => ({ ...c, viaCli: true }))],
    broken: [...own.broken, ...cli.broken],
  };
}

/** The imported models in `store` that can upscale here (×2, ×4); the rest named in `broken`. */
export function importedChoices(store: string | undefined): {
  choices: (UpscaleChoice & { info: ListedImportedModel })[];
  broken: BrokenImport[];
} {
  const broken: BrokenImport[] = [];
  if (!store) return { choices: [], broken };
  const models = listImportedModels(store, (why, dir) => broken.push({ dir, why }));
  const choices = models.flatMap((m) => {
    if (m.scale === 2 || m.scale === 4) return [importedChoice(m, m.scale)];
    broken.push({ dir: m.dir, why: `${m.name}: a ×${m.scale} model (upscaling offers ×2 and ×4)` });
    return [];
  });
  return { choices, broken };
}

export function importedChoice(m: ListedImportedModel, scale: 2 | 4): UpscaleChoice & { info: ListedImportedModel } {
  return { scale, model: m.dir, imported: { name: m.name, params: m.params }, info: m };
}

/** The scale of an SRGAN run: its config's dataset.scale (the generator's own). */
export function runScale(runDir: string): 2 | 4 | undefined {
  try {
    const cfg: unknown = JSON.parse(fs.readFileSync(path.join(runDir, 'config.json'), 'utf8'));
    const s = isObj(cfg) && isObj(cfg.dataset) ? cfg.dataset.scale : undefined;
    return s === 2 || s === 4 ? s : undefined;
  } catch {
    return undefined;
  }
}

export function checkpointChoices(runs: RunSummary[]): (UpscaleChoice & { run: RunSummary })[] {
  return runs
    .filter((r) => familyInfo(r.model)?.superResolution && r.hasLatest)
    .flatMap((run) => {
      const scale = runScale(run.runDir);
      return scale ? [{ scale, model: run.runDir, run }] : [];
    });
}

const same = (a: UpscaleChoice, b: UpscaleChoice) => a.scale === b.scale && a.model === b.model;

/** The remembered choice; the old names 'default'/'default-sharp' read as fidelity/sharp. */
export function lastChoice(memento: vscode.Memento): UpscaleChoice | undefined {
  const v = memento.get<unknown>(LAST_KEY);
  if (!isObj(v) || (v.scale !== 2 && v.scale !== 4) || typeof v.model !== 'string' || !v.model) return undefined;
  return { scale: v.scale, model: shippedModelName(v.model) ?? v.model };
}

export async function rememberChoice(memento: vscode.Memento, c: UpscaleChoice): Promise<void> {
  await memento.update(LAST_KEY, { scale: c.scale, model: c.model });
}

export interface ChooseOptions {
  extensionPath: string;
  runs: RunSummary[];
  memento: vscode.Memento;
  /** Setting ganStudio.upscale.askForModel: false uses the remembered choice without asking. */
  ask: boolean;
  /** The folder of imported models (undefined: none can be imported in this window). */
  store?: string;
  /** The CLI's store (`gan import-sr`, ~/.gan-studio/upscalers): its models are offered too. */
  cliStore?: string;
  /** "Import a model file…": asks for a file and imports it; the model, or undefined if none. */
  importModel?: () => Promise<ListedImportedModel | undefined>;
  log?: (line: string) => void;
}

type Item = vscode.QuickPickItem & { choice?: UpscaleChoice; action?: 'import'; removeDir?: string };

const REMOVE_BUTTON: vscode.QuickInputButton = {
  iconPath: new vscode.ThemeIcon('trash'),
  tooltip: 'Remove this imported model…',
};

/** The pick's items, in order; `preferred` is marked when it is the remembered choice. */
function buildItems(o: ChooseOptions, preferred: UpscaleChoice | undefined, remembered: boolean): Item[] {
  const shipped = shippedChoices(o.extensionPath);
  const imported = importedFromBoth(o);
  const mine = checkpointChoices(o.runs);
  const mark = (c: UpscaleChoice, d: string) =>
    preferred && remembered && same(c, preferred) ? `${d} (last used)` : d;
  const items: Item[] = [];
  if (shipped.length) items.push({ label: 'Shipped with GAN Studio', kind: vscode.QuickPickItemKind.Separator });
  for (const c of shipped) {
    const info = SHIPPED_INFO[c.model as ShippedModel];
    items.push({ label: choiceLabel(c), description: mark(c, info.purpose), choice: c });
  }
  if (imported.choices.length || imported.broken.length || o.importModel)
    items.push({ label: 'Imported models', kind: vscode.QuickPickItemKind.Separator });
  for (const c of imported.choices) {
    items.push({
      label: choiceLabel(c),
      description: mark(c, describeImportedModel(c.info)),
      detail: `from ${c.info.sourceName}${c.viaCli ? ' · imported with gan import-sr' : ''}`,
      choice: c,
      removeDir: c.info.dir,
      buttons: [REMOVE_BUTTON],
    });
  }
  for (const b of imported.broken) {
    items.push({
      label: `$(warning) ${path.basename(b.dir)}`,
      description: 'cannot be used',
      detail: b.why,
      removeDir: b.dir,
      buttons: [REMOVE_BUTTON],
    });
  }
  if (o.importModel)
    items.push({
      label: '$(add) Import a model file…',
      description: 'ESRGAN / Real-ESRGAN .pth or .safetensors',
      action: 'import',
    });
  if (mine.length) items.push({ label: 'Your SRGAN runs', kind: vscode.QuickPickItemKind.Separator });
  for (const c of mine)
    items.push({
      label: choiceLabel(c),
      description: mark(c, `latest checkpoint, step ${c.run.step}`),
      detail: c.run.runDir,
      choice: c,
    });
  return items;
}

/** Every choice the pick would offer, in order (for the preferred one and for `ask: false`). */
function allChoices(o: ChooseOptions): UpscaleChoice[] {
  return [...shippedChoices(o.extensionPath), ...importedFromBoth(o).choices, ...checkpointChoices(o.runs)];
}

async function confirmRemove(dir: string): Promise<boolean> {
  const go = await vscode.window.showWarningMessage(
    `Remove the imported upscaling model "${path.basename(dir)}"?`,
    { modal: true, detail: `This deletes its folder, ${dir}. The file it was imported from is not touched.` },
    'Remove',
  );
  return go === 'Remove';
}

/** The choice to use: asked (default), or the remembered one when the setting says not to ask. */
export async function chooseUpscale(o: ChooseOptions): Promise<UpscaleChoice | undefined> {
  const all = allChoices(o);
  const last = lastChoice(o.memento);
  const preferred = [last, DEFAULT_CHOICE].find((c) => c && all.some((a) => same(a, c))) ?? all[0];
  const remembered = !!last && !!preferred && same(last, preferred);
  for (const b of importedFromBoth(o).broken) o.log?.(`Imported model skipped: ${b.why} (${b.dir})`);
  if (!preferred && (!o.ask || !o.importModel)) {
    void vscode.window.showErrorMessage(
      'No upscaling model is installed (models/sr-x4 is missing from the extension), none is imported and no SRGAN run has a checkpoint.',
    );
    return undefined;
  }
  // The remembered object lacks an imported model's name: take the listed one.
  if (!o.ask) return preferred && all.find((a) => same(a, preferred));

  const qp = vscode.window.createQuickPick<Item>();
  qp.title = 'Upscale with SRGAN';
  qp.placeholder = 'Scale and model (Enter: the highlighted one)';
  qp.matchOnDescription = true;
  const refresh = () => {
    qp.items = buildItems(o, preferred, remembered);
    // The preferred choice first among the selectable items, so Enter takes it.
    const first = qp.items.find((i) => i.choice && preferred && same(i.choice, preferred));
    qp.activeItems = first ? [first] : [];
  };
  refresh();
  let confirming = false;
  const picked = await new Promise<Item | undefined>((resolve) => {
    qp.onDidAccept(() => {
      const item = qp.selectedItems[0] ?? qp.activeItems[0];
      if (!item || (!item.choice && !item.action)) return; // a broken import: only its button acts
      resolve(item);
      qp.hide();
    });
    qp.onDidTriggerItemButton(async (e) => {
      const dir = e.item.removeDir;
      if (!dir) return;
      // A modal takes the focus, which may hide the pick: it is shown again afterwards.
      confirming = true;
      qp.ignoreFocusOut = true;
      try {
        if (await confirmRemove(dir)) {
          removeImportedModel(path.dirname(dir), path.basename(dir));
          o.log?.(`Removed the imported model ${dir}`);
        }
      } catch (err) {
        void vscode.window.showErrorMessage(
          `Cannot remove ${dir}: ${err instanceof Error ? err.message : String(err)}`,
        );
      } finally {
        confirming = false;
        qp.ignoreFocusOut = false;
      }
      refresh();
      qp.show();
    });
    qp.onDidHide(() => {
      if (!confirming) resolve(undefined);
    });
    qp.show();
  });
  qp.dispose();
  if (!picked) return undefined;
  let choice = picked.choice;
  if (picked.action === 'import') {
    const m = await o.importModel?.();
    if (!m) return undefined;
    if (m.scale !== 2 && m.scale !== 4) {
      void vscode.window.showErrorMessage(`"${m.name}" is a ×${m.scale} model; upscaling offers ×2 and ×4.`);
      return undefined;
    }
    choice = importedChoice(m, m.scale);
  }
  if (choice) await rememberChoice(o.memento, choice);
  return choice;
}
