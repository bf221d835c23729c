// "GAN: Explore Latent Space": from a run or checkpoint row of the Runs tree (or a folder in
// the explorer), else a pick of the workspace's gan/dcgan/cgan runs or any checkpoint folder.
import * as vscode from 'vscode';
import { isObj } from '../../shared/guards';
import { FAMILY_INFOS, familyInfo } from '../../trainer/models/infos';
import type { InferContext } from '../infer/context';
import type { RunsNode } from '../runIndex/runsTree';
import { ExplorePanel } from './explorePanel';
import { latentFamilies, resolveLatentCheckpoint, type LatentCheckpoint } from './latentCheckpoint';

export const EXPLORE_COMMAND = 'ganStudio.exploreLatent';

/** The folder an argument names: a checkpoint row's checkpoint, a run row's run, a Uri or a path. */
export function folderOf(arg: unknown): string | undefined {
  if (typeof arg === 'string' && arg) return arg;
  if (arg instanceof vscode.Uri && arg.scheme === 'file') return arg.fsPath;
  if (!isObj(arg) || typeof arg.kind !== 'string') return undefined;
  const n = arg as unknown as RunsNode;
  return n.kind === 'checkpoint' ? n.checkpoint.path : n.kind === 'run' ? n.run.runDir : undefined;
}

async function pickFolder(ctx: InferContext): Promise<string | undefined> {
  type Item = vscode.QuickPickItem & { dir?: string };
  const items: Item[] = ctx
    .runs()
    .filter((r) => familyInfo(r.model)?.latent && r.hasLatest)
    .map((r) => ({
      label: r.name,
      description: `${FAMILY_INFOS[r.model as keyof typeof FAMILY_INFOS].label} · step ${r.step}`,
      detail: r.runDir,
      dir: r.runDir,
    }));
  items.push({ label: '$(folder-opened) Choose a checkpoint or run folder…' });
  const placeHolder =
    items.length > 1 ? `A ${latentFamilies()} run` : `No ${latentFamilies()} run in this workspace yet`;
  const pick = await vscode.window.showQuickPick(items, {
    title: 'Explore Latent Space',
    placeHolder,
    matchOnDetail: true,
  });
  if (!pick) return undefined;
  if (pick.dir) return pick.dir;
  const folder = await vscode.window.showOpenDialog({
    canSelectFolders: true,
    canSelectFiles: false,
    title: `A ${latentFamilies()} checkpoint (or run) folder`,
    openLabel: 'Explore',
  });
  return folder?.[0]?.fsPath;
}

export async function exploreCommand(
  ctx: InferContext,
  extensionUri: vscode.Uri,
  arg: unknown,
): Promise<LatentCheckpoint | undefined> {
  const dir = folderOf(arg) ?? (await pickFolder(ctx));
  if (!dir) return undefined;
  const ck = resolveLatentCheckpoint(dir);
  if (typeof ck === 'string') {
    void vscode.window.showErrorMessage(`Explore Latent Space: ${ck}.`);
    return undefined;
  }
  ExplorePanel.show(extensionUri, ctx.service, ck);
  return ck;
}
