// Wires the project features into the extension: New GAN Project…, Check Dataset, the
// config's CodeLens, "Open Dashboard of the Last Run", Export Model… and model-file diagnostics.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ConfigDiagnostics } from '../config/configDiagnostics';
import { pickConfig } from '../config/configPicker';
import * as settings from '../settings';
import type { TrainingManager } from '../trainer/manager';
import { ConfigCodeLensProvider, CONFIG_SELECTOR, lastRunOf } from './configCodeLens';
import { checkDataset } from './datasetCheck';
import { exportModelCommand } from './exportModel';
import { configName } from './lastRun';
import { ModelDiagnostics } from './modelDiagnostics';
import { newProject } from './newProject';

export interface ProjectDeps {
  extensionUri: vscode.Uri;
  manager: TrainingManager;
  diagnostics: ConfigDiagnostics;
}

async function openLastRun(manager: TrainingManager, arg: unknown): Promise<void> {
  const uri = await pickConfig(arg);
  if (!uri) return;
  const open = vscode.workspace.textDocuments.find((t) => t.uri.toString() === uri.toString());
  const text = open?.getText() ?? (await fs.readFile(uri.fsPath, 'utf8').catch(() => ''));
  const runDir = await lastRunOf(manager, uri.fsPath, text);
  if (runDir) return void vscode.commands.executeCommand('ganStudio.openDashboard', runDir);
  const c = await vscode.window.showInformationMessage(
    `No run of "${configName(text, uri.fsPath)}" yet (${path.basename(uri.fsPath)}).`,
    'Train',
  );
  if (c) await vscode.commands.executeCommand('ganStudio.train', uri);
}

export function registerProjectFeatures(d: ProjectDeps): vscode.Disposable[] {
  const cliPath = vscode.Uri.joinPath(d.extensionUri, 'dist', 'cli.js').fsPath;
  const cli = () => ({ execPath: settings.trainerNodePath() });
  const lenses = new ConfigCodeLensProvider(d.manager);
  const reg = vscode.commands.registerCommand;
  return [
    lenses,
    vscode.languages.registerCodeLensProvider(CONFIG_SELECTOR, lenses),
    new ModelDiagnostics(d.manager),
    reg('ganStudio.newProject', (arg?: unknown) => newProject({ cliPath, cli }, arg)),
    reg('ganStudio.checkDataset', (arg?: unknown) =>
      checkDataset({ extensionUri: d.extensionUri, cliPath, cli, diagnostics: d.diagnostics }, arg),
    ),
    reg('ganStudio.openLastRun', (arg?: unknown) => openLastRun(d.manager, arg)),
    reg('ganStudio.exportModel', (arg?: unknown) => exportModelCommand({ cliPath, cli }, arg)),
  ];
}
