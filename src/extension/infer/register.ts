// Wires the inference features into the extension: "Upscale with SRGAN", "Import Upscaling
// Model…", "Translate Image with Model…", "Compare with…", "Explore Latent Space", the compare
// view's serializer and the inference service.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { cliStore } from '../../shared/importedModels';
import type { TrainingLog } from '../log';
import type { RunsTreeProvider } from '../runIndex/runsTree';
import * as settings from '../settings';
import { ComparePanel } from '../compare/comparePanel';
import { compareWithCommand } from '../compare/compareCommand';
import { EXPLORE_COMMAND, exploreCommand } from '../explore/exploreCommand';
import type { InferContext } from './context';
import { IMPORT_COMMANDS, importUpscalerCommand } from './importCommand';
import { InferService } from './inferService';
import { translateCommand } from './translateCommand';
import { upscaleCommand } from './upscaleCommand';

export const INFER_COMMANDS = {
  upscale: 'ganStudio.upscaleImage',
  translate: 'ganStudio.translateImage',
  compare: 'ganStudio.compareImages',
} as const;

export function registerInference(deps: {
  extensionUri: vscode.Uri;
  globalState: vscode.Memento;
  /** Where imported upscaling models are kept (`upscalers/` inside it). */
  globalStorageUri?: vscode.Uri;
  log: TrainingLog;
  runs: RunsTreeProvider;
}): vscode.Disposable[] {
  const { extensionUri, log } = deps;
  // The child is forked only when the first job starts: activation stays cheap.
  const service = new InferService({
    script: vscode.Uri.joinPath(extensionUri, 'dist', 'trainer.js').fsPath,
    execPath: settings.trainerNodePath(),
    runOptions: () => ({ backend: settings.defaultBackend(), threads: settings.trainerThreads() }),
    onLog: (line, level) => log.line('inference', line, level),
  });
  const show = (before: string, after: string, note?: string) => ComparePanel.show(extensionUri, before, after, note);
  const ctx: InferContext = {
    extensionPath: extensionUri.fsPath,
    memento: deps.globalState,
    service,
    runs: () => deps.runs.list(),
    upscalerStore: () => (deps.globalStorageUri ? path.join(deps.globalStorageUri.fsPath, 'upscalers') : undefined),
    cliUpscalerStore: cliStore,
    askForChoice: () => vscode.workspace.getConfiguration(settings.SECTION).get<boolean>('upscale.askForModel', true),
    selfEnsemble: () => vscode.workspace.getConfiguration(settings.SECTION).get<boolean>('upscale.selfEnsemble', false),
    log: (line) => log.line('inference', line),
    showLog: () => log.show(false),
    compare: show,
  };
  return [
    { dispose: () => service.dispose() },
    vscode.commands.registerCommand(INFER_COMMANDS.upscale, (arg?: unknown, multi?: unknown) =>
      upscaleCommand(ctx, arg, multi),
    ),
    vscode.commands.registerCommand(IMPORT_COMMANDS.import, () => importUpscalerCommand(ctx)),
    vscode.commands.registerCommand(IMPORT_COMMANDS.importFile, (arg?: unknown) => importUpscalerCommand(ctx, arg)),
    vscode.commands.registerCommand(INFER_COMMANDS.translate, (arg?: unknown, multi?: unknown) =>
      translateCommand(ctx, arg, multi),
    ),
    vscode.commands.registerCommand(INFER_COMMANDS.compare, (arg?: unknown, multi?: unknown) =>
      compareWithCommand(show, arg, multi),
    ),
    vscode.commands.registerCommand(EXPLORE_COMMAND, (arg?: unknown) => exploreCommand(ctx, extensionUri, arg)),
    ComparePanel.registerSerializer(extensionUri),
  ];
}
