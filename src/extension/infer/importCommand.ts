// "GAN: Import Upscaling Model…" (palette; "Import as Upscaling Model" on a .pth/.safetensors
// file in the explorer) and the upscale pick's "Import a model file…": a file dialog, then the
// import runs in the inference child (the host never loads tfjs) under a progress
// notification. The child reads the file without executing anything in it, checks it by
// running it once, and copies it into the store (global storage/upscalers/<name>/).
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { isObj } from '../../shared/guards';
import { INFER_EXTENSIONS } from '../../shared/imageFiles';
import { describeImportedModel, listImportedModels, type ListedImportedModel } from '../../shared/importedModels';
import type { ImportSrJob } from '../../shared/inferProtocol';
import type { InferContext } from './context';
import { importedChoice, rememberChoice } from './upscaleChoices';

export const IMPORT_COMMANDS = {
  /** Palette: asks for the file. */
  import: 'ganStudio.importUpscaler',
  /** Explorer context menu on a model file. */
  importFile: 'ganStudio.importUpscalerFile',
} as const;

export const MODEL_FILE_EXTENSIONS = ['pth', 'safetensors'];
const UPSCALE_COMMAND = 'ganStudio.upscaleImage';

/** A local file the explorer passed, if any. */
function fileArg(arg: unknown): string | undefined {
  return isObj(arg) && arg.scheme === 'file' && typeof arg.fsPath === 'string' ? arg.fsPath : undefined;
}

export async function askForModelFile(): Promise<string | undefined> {
  const picked = await vscode.window.showOpenDialog({
    title: 'Import Upscaling Model',
    openLabel: 'Import',
    canSelectMany: false,
    canSelectFolders: false,
    filters: { 'ESRGAN-family models': MODEL_FILE_EXTENSIONS },
  });
  return picked?.[0]?.fsPath;
}

function sha256Of(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const h = createHash('sha256');
    fs.createReadStream(file)
      .on('data', (d) => h.update(d))
      .on('error', reject)
      .on('end', () => resolve(h.digest('hex')));
  });
}

/**
 * The importer's one line without the file name it starts with (the message names the file
 * already): "<file>: not an ESRGAN-family model…" -> "not an ESRGAN-family model…", "<file> is
 * truncated…" -> "it is truncated…". Other mentions of the full path are shortened to its name.
 */
export function importReason(file: string, error: string): string {
  const first = error.split('\n')[0];
  for (const p of [file, path.resolve(file), path.basename(file)]) {
    if (first.startsWith(`${p}: `)) return first.slice(p.length + 2);
    if (first.startsWith(`${p} `)) return `it${first.slice(p.length)}`;
  }
  return first.split(file).join(path.basename(file));
}

export interface Imported {
  model: ListedImportedModel;
  /** False: the same file (SHA-256) was imported before, as `model`. */
  isNew: boolean;
}

/**
 * Imports `file` into the store: the model, or undefined (cancelled, or failed: the error is
 * shown). A file imported before is not imported twice.
 */
export async function importModelFile(ctx: InferContext, file: string): Promise<Imported | undefined> {
  const name = path.basename(file);
  const store = ctx.upscalerStore();
  if (!store) {
    void vscode.window.showErrorMessage('Cannot import an upscaling model: this window has no extension storage.');
    return undefined;
  }
  let sha: string;
  try {
    sha = await sha256Of(file);
  } catch (e) {
    void vscode.window.showErrorMessage(
      `Cannot import "${name}": ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'the file does not exist' : String(e)}.`,
    );
    return undefined;
  }
  const before = listImportedModels(store).find((m) => m.sha256 === sha);
  if (before) {
    ctx.log(`${file} was imported before as ${before.dir}`);
    return { model: before, isNew: false };
  }
  const job: ImportSrJob = { kind: 'importSr', file, store };
  const outcome = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Importing ${name}`, cancellable: true },
    async (progress, token) => {
      const h = ctx.service.submit(job, {
        onPosition: (ahead) => {
          if (ahead > 0) progress.report({ message: `waiting for ${ahead} earlier request${ahead > 1 ? 's' : ''}…` });
        },
        onStart: () => progress.report({ message: 'reading the file and running the model once…' }),
      });
      const sub = token.onCancellationRequested(() => h.cancel());
      try {
        return await h.result;
      } finally {
        sub.dispose();
      }
    },
  );
  if (outcome.status === 'cancelled') {
    ctx.log(`import ${file} cancelled`);
    return undefined;
  }
  if (outcome.status === 'failed') {
    ctx.log(`import ${file} failed: ${outcome.error}`);
    const reason = outcome.kind === 'input' ? importReason(file, outcome.error) : outcome.error.split('\n')[0];
    void vscode.window.showErrorMessage(`Cannot import "${name}": ${reason}`, 'Show Log').then((c) => {
      if (c) ctx.showLog();
    });
    return undefined;
  }
  const m = outcome.result.model;
  ctx.log(`imported ${file} as ${m.dir}: ${describeImportedModel(m)}`);
  return { model: m, isNew: true };
}

/** After an import from the palette or the explorer: say what it is, offer to use it. */
async function announce(ctx: InferContext, file: string, { model: m, isNew }: Imported): Promise<void> {
  const action = await vscode.window.showInformationMessage(
    isNew
      ? `Imported ${m.name}: ${describeImportedModel(m)}`
      : `"${path.basename(file)}" was imported before as ${m.name}: ${describeImportedModel(m)}`,
    'Upscale an Image…',
  );
  if (!action) return;
  if (m.scale === 2 || m.scale === 4) await rememberChoice(ctx.memento, importedChoice(m, m.scale));
  const images = await vscode.window.showOpenDialog({
    title: `Upscale with ${m.name}`,
    openLabel: 'Upscale',
    canSelectMany: true,
    filters: { Images: INFER_EXTENSIONS.map((e) => e.slice(1)) },
  });
  if (images?.length) await vscode.commands.executeCommand(UPSCALE_COMMAND, images[0], images);
}

/** The command: the explorer's file, or one asked for. */
export async function importUpscalerCommand(ctx: InferContext, arg?: unknown): Promise<void> {
  const file = fileArg(arg) ?? (await askForModelFile());
  if (!file) return;
  const r = await importModelFile(ctx, file);
  if (r) await announce(ctx, file, r);
}
