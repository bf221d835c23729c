// "Translate Image with Model…": images (explorer, editor title, palette) + a pix2pix or
// CycleGAN checkpoint (the Runs tree, or any folder) + for CycleGAN a direction -> queued
// `gan translate` jobs -> `<name>.<direction>.png` beside each image, then the compare view.
// From a checkpoint in the Runs tree the checkpoint is given and the images are asked for.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { isObj } from '../../shared/guards';
import { resolveCheckpoint, translatingFamilies, type CheckpointRef } from './checkpointRef';
import { FAMILY_INFOS, familyInfo } from '../../trainer/models/infos';
import { INFER_EXTENSIONS } from '../../shared/imageFiles';
import type { Direction, TranslateJob } from '../../shared/inferProtocol';
import { firstFreeName, translateOutputName } from '../../shared/outputNames';
import type { RunsNode } from '../runIndex/runsTree';
import { reportFailures, runBatch } from './batch';
import type { InferContext } from './context';
import { INFER_FORMATS, commandResources, splitImages } from './targets';
import { checkImages } from './upscaleCommand';

async function pickCheckpoint(ctx: InferContext): Promise<CheckpointRef | undefined> {
  type Item = vscode.QuickPickItem & { ref?: CheckpointRef; browse?: boolean };
  const runs = ctx.runs().filter((r) => familyInfo(r.model)?.translate && r.hasLatest);
  const items: Item[] = runs.flatMap((r): Item[] => {
    const ref = resolveCheckpoint(r.runDir);
    return typeof ref === 'string'
      ? []
      : [{ label: r.name, description: `${FAMILY_INFOS[ref.model].label} · step ${r.step}`, detail: r.runDir, ref }];
  });
  items.push({ label: '$(folder-opened) Choose a checkpoint or run folder…', browse: true });
  const pick = await vscode.window.showQuickPick(items, {
    title: 'Translate Image with Model',
    placeHolder:
      items.length > 1 ? `A ${translatingFamilies()} run` : `No ${translatingFamilies()} run in this workspace yet`,
  });
  if (!pick) return undefined;
  if (pick.ref) return pick.ref;
  const folder = await vscode.window.showOpenDialog({
    canSelectFolders: true,
    canSelectFiles: false,
    title: `A ${translatingFamilies()} checkpoint (or run) folder`,
    openLabel: 'Use this model',
  });
  if (!folder?.[0]) return undefined;
  const ref = resolveCheckpoint(folder[0].fsPath);
  if (typeof ref === 'string') {
    void vscode.window.showErrorMessage(`Translate Image: ${ref}.`);
    return undefined;
  }
  return ref;
}

async function pickDirection(ref: CheckpointRef): Promise<Direction | undefined | null> {
  if (FAMILY_INFOS[ref.model].translate?.trainedDirectionOnly) return undefined; // e.g. pix2pix: only the way it was trained
  const pick = await vscode.window.showQuickPick(
    [
      { label: 'A → B', description: 'generator G: domain A to domain B', d: 'AtoB' as const },
      { label: 'B → A', description: 'generator F: domain B to domain A', d: 'BtoA' as const },
    ],
    { title: `Translate with ${ref.label}`, placeHolder: 'Direction' },
  );
  return pick ? pick.d : null;
}

function nodeCheckpoint(arg: unknown): string | undefined {
  if (!isObj(arg) || typeof arg.kind !== 'string') return undefined;
  const n = arg as unknown as RunsNode;
  if (n.kind === 'checkpoint') return n.checkpoint.path;
  if (n.kind === 'run') return n.run.runDir;
  return undefined;
}

export async function translateCommand(ctx: InferContext, arg: unknown, multi: unknown): Promise<void> {
  let ref: CheckpointRef | undefined;
  let files: string[];
  const given = nodeCheckpoint(arg);
  if (given) {
    const r = resolveCheckpoint(given);
    if (typeof r === 'string') return void vscode.window.showErrorMessage(`Translate Image: ${r}.`);
    ref = r;
    const picked = await vscode.window.showOpenDialog({
      canSelectMany: true,
      title: `Images to translate with ${r.label}`,
      openLabel: 'Translate',
      filters: { Images: INFER_EXTENSIONS.map((e) => e.slice(1)) },
    });
    if (!picked?.length) return;
    files = picked.map((u) => u.fsPath);
  } else {
    const { images, skipped } = splitImages(commandResources(arg, multi), true);
    if (!images.length) {
      void vscode.window.showWarningMessage(
        skipped[0]
          ? `Translate Image: ${skipped[0]}.`
          : `Translate Image: open or select a ${INFER_FORMATS} image first.`,
      );
      return;
    }
    files = images.map((u) => u.fsPath);
    ref = await pickCheckpoint(ctx);
    if (!ref) return;
  }
  const direction = await pickDirection(ref);
  if (direction === null) return;
  const checked = await checkImages('translate', files);
  if (!checked.length) return;
  const tag = direction ?? ref.model;
  const items = checked.map((c) => {
    const job: TranslateJob = {
      kind: 'translate',
      input: c.file,
      checkpoint: ref.dir,
      direction,
      output: firstFreeName(translateOutputName(c.file, tag), (p) => fs.existsSync(p)),
    };
    return { job };
  });
  const title =
    items.length === 1 ? `Translating ${path.basename(items[0].job.input)}` : `Translating ${items.length} images`;
  const outcomes = await runBatch(ctx.service, items, title, (l) => ctx.log(l));
  reportFailures('translate', outcomes, () => ctx.showLog());
  if (outcomes.some((o) => o.outcome.status === 'cancelled'))
    void vscode.window.showInformationMessage('Translation cancelled: nothing was written.');
  const done = outcomes.flatMap((o) =>
    o.outcome.status === 'done' ? [{ job: o.item.job, result: o.outcome.result }] : [],
  );
  const last = done[done.length - 1];
  if (last)
    ctx.compare(
      last.job.input,
      last.result.output,
      `Translated ${direction ? `${direction} ` : ''}with ${ref.label} in ${last.result.seconds.toFixed(1)} s`,
    );
}
