// Entry point of the extension host side. Activation only wires objects together: no tfjs,
// no trainer code, no disk scans beyond the Runs tree's first listing. The trainer runs in a
// forked process (dist/trainer.js) started by "Train GAN".
import * as vscode from 'vscode';
import { ConfigDiagnostics } from './config/configDiagnostics';
import { TrainingLog } from './log';
import { TrainingManager } from './trainer/manager';
import { TrainingStatusBar } from './trainer/statusBar';
import { RunsTreeProvider } from './runIndex/runsTree';
import { LivePreviewProvider } from './webviews/livePreview';
import { DashboardPanel } from './webviews/dashboard';
import { registerTrainCommands } from './commands/trainCommands';
import { registerRunCommands } from './commands/runCommands';
import { BackendPicker } from './commands/backendCommand';
import { registerInference } from './infer/register';
import { registerProjectFeatures } from './project/register';
import { registerRunComparison } from './runComparison/register';
import * as settings from './settings';

let manager: TrainingManager | undefined;

export function activate(context: vscode.ExtensionContext): void {
  const { extensionUri } = context;
  const push = <T extends vscode.Disposable>(d: T): T => {
    context.subscriptions.push(d);
    return d;
  };
  const log = push(new TrainingLog());
  // The preview needs the manager and the manager reveals the preview: a late-bound reference.
  const late: { preview?: LivePreviewProvider } = {};
  manager = push(
    new TrainingManager(extensionUri, log, {
      onStarted: (s) => {
        void late.preview?.reveal();
        if (settings.openDashboardOnStart()) void vscode.commands.executeCommand('ganStudio.openDashboard', s.runDir);
      },
      resume: (runDir) => void vscode.commands.executeCommand('ganStudio.resumeRun', runDir),
    }),
  );
  const runs = push(new RunsTreeProvider(manager));
  const preview = push(new LivePreviewProvider(extensionUri, manager, runs));
  late.preview = preview;
  const diagnostics = push(new ConfigDiagnostics());
  push(new TrainingStatusBar(manager));

  push(vscode.window.registerWebviewViewProvider(LivePreviewProvider.viewId, preview));
  push(
    vscode.window.createTreeView(RunsTreeProvider.viewId, {
      treeDataProvider: runs,
      showCollapseAll: true,
      canSelectMany: true,
    }),
  );
  push(DashboardPanel.registerSerializer(extensionUri, manager));

  for (const d of registerTrainCommands({ manager, diagnostics, runs })) push(d);
  for (const d of registerRunCommands({ extensionUri, manager, runs, log })) push(d);
  const backends = new BackendPicker(vscode.Uri.joinPath(extensionUri, 'dist', 'trainer.js').fsPath, runs);
  push(vscode.commands.registerCommand('ganStudio.selectBackend', () => backends.pick()));
  const { globalState, globalStorageUri } = context;
  for (const d of registerInference({ extensionUri, globalState, globalStorageUri, log, runs })) push(d);
  for (const d of registerProjectFeatures({ extensionUri, manager, diagnostics })) push(d);
  for (const d of registerRunComparison({ extensionUri, manager, runs })) push(d);
}

/** Trainers checkpoint and exit; VS Code waits a few seconds for this promise. */
export async function deactivate(): Promise<void> {
  await manager?.shutdown();
  manager = undefined;
}
