// The one quick pick of "Upscale with SRGAN": scale and model together (x4/x2 with the shipped
// model, its sharper GAN-trained variant where installed, and the user's own SRGAN runs). The
// last choice is remembered and offered first; a setting skips the pick and uses it directly.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { isObj } from '../../shared/guards';
import type { RunSummary } from '../runIndex/runsIndex';
import { familyInfo } from '../../trainer/models/infos';

export interface UpscaleChoice {
  scale: 2 | 4;
  /** 'default', 'default-sharp' or a run/checkpoint folder. */
  model: string;
}

export const DEFAULT_CHOICE: UpscaleChoice = { scale: 4, model: 'default' };
const LAST_KEY = 'ganStudio.upscale.lastChoice';

export function choiceLabel(c: UpscaleChoice): string {
  const model =
    c.model === 'default' ? 'Default model' : c.model === 'default-sharp' ? 'Sharper model' : path.basename(c.model);
  return `×${c.scale} · ${model}`;
}

/** Which shipped models the extension has (models/sr-x<scale>[-sharp]/model.json). */
export function shippedChoices(extensionPath: string): UpscaleChoice[] {
  const out: UpscaleChoice[] = [];
  for (const model of ['default', 'default-sharp'] as const) {
    for (const scale of [4, 2] as const) {
      const dir = path.join(extensionPath, 'models', `sr-x${scale}${model === 'default-sharp' ? '-sharp' : ''}`);
      if (fs.existsSync(path.join(dir, 'model.json'))) out.push({ scale, model });
    }
  }
  return out;
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

export function lastChoice(memento: vscode.Memento): UpscaleChoice | undefined {
  const v = memento.get<unknown>(LAST_KEY);
  if (!isObj(v) || (v.scale !== 2 && v.scale !== 4) || typeof v.model !== 'string' || !v.model) return undefined;
  return { scale: v.scale, model: v.model };
}

/** The choice to use: asked (default), or the remembered one when the setting says not to ask. */
export async function chooseUpscale(
  extensionPath: string,
  runs: RunSummary[],
  memento: vscode.Memento,
  ask: boolean,
): Promise<UpscaleChoice | undefined> {
  const shipped = shippedChoices(extensionPath);
  const mine = checkpointChoices(runs);
  const all: UpscaleChoice[] = [...shipped, ...mine];
  const last = lastChoice(memento);
  const preferred = [last, DEFAULT_CHOICE].find((c) => c && all.some((a) => same(a, c))) ?? all[0];
  if (!preferred) {
    void vscode.window.showErrorMessage(
      'No upscaling model is installed (models/sr-x4 is missing from the extension) and no SRGAN run has a checkpoint.',
    );
    return undefined;
  }
  if (!ask) return preferred;

  type Item = vscode.QuickPickItem & { choice?: UpscaleChoice };
  const item = (c: UpscaleChoice, description: string, detail?: string): Item => ({
    label: choiceLabel(c),
    description: same(c, preferred) && last ? `${description} (last used)` : description,
    detail,
    choice: c,
  });
  const items: Item[] = [];
  if (shipped.length) items.push({ label: 'Shipped with GAN Studio', kind: vscode.QuickPickItemKind.Separator });
  for (const c of shipped) {
    items.push(
      item(
        c,
        c.model === 'default' ? 'faithful: trained for accuracy (PSNR)' : 'GAN-trained: more texture, less faithful',
      ),
    );
  }
  if (mine.length) items.push({ label: 'Your SRGAN runs', kind: vscode.QuickPickItemKind.Separator });
  for (const c of mine) items.push(item(c, `latest checkpoint, step ${c.run.step}`, c.run.runDir));
  // The preferred choice first among the selectable items, so Enter takes it.
  const first = items.findIndex((i) => i.choice && same(i.choice, preferred));
  const qp = vscode.window.createQuickPick<Item>();
  qp.title = 'Upscale with SRGAN';
  qp.placeholder = 'Scale and model (Enter: the highlighted one)';
  qp.items = items;
  qp.activeItems = first >= 0 ? [items[first]] : [];
  const picked = await new Promise<UpscaleChoice | undefined>((resolve) => {
    qp.onDidAccept(() => {
      resolve(qp.selectedItems[0]?.choice ?? qp.activeItems[0]?.choice);
      qp.hide();
    });
    qp.onDidHide(() => resolve(undefined));
    qp.show();
  });
  qp.dispose();
  if (picked) await memento.update(LAST_KEY, picked);
  return picked;
}
