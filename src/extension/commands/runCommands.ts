// Open Training Dashboard, Show Training Log, and the Runs tree's reveal / delete / refresh.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { TrainingLog } from '../log';
import type { TrainingManager } from '../trainer/manager';
import type { RunsTreeProvider } from '../runIndex/runsTree';
import { DashboardPanel } from '../webviews/dashboard';
import { runDirOf } from './args';

export interface RunDeps {
  extensionUri: vscode.Uri;
  manager: TrainingManager;
  runs: RunsTreeProvider;
  log: TrainingLog;
}

export function registerRunCommands(d: RunDeps): vscode.Disposable[] {
  const reg = vscode.commands.registerCommand;
  return [
    reg('ganStudio.openDashboard', async (arg?: unknown) => {
      const runDir = runDirOf(arg) ?? (await pickRun(d, 'Open Training Dashboard'));
      if (runDir) DashboardPanel.show(d.extensionUri, d.manager, runDir);
    }),
    reg('ganStudio.showLog', () => d.log.show(false)),
    reg('ganStudio.refreshRuns', () => d.runs.refresh()),
    reg('ganStudio.revealRun', async (arg?: unknown) => {
      const runDir = runDirOf(arg);
      if (!runDir) return;
      const uri = vscode.Uri.file(runDir);
      // The Explorer when the run is in the workspace, the OS file manager otherwise.
      if (vscode.workspace.getWorkspaceFolder(uri)) await vscode.commands.executeCommand('revealInExplorer', uri);
      else await vscode.commands.executeCommand('revealFileInOS', uri);
    }),
    reg('ganStudio.deleteRun', async (arg?: unknown) => {
      const runDir = runDirOf(arg);
      if (!runDir || !d.runs.list().some((r) => path.resolve(r.runDir) === path.resolve(runDir))) return;
      if (d.manager.byRunDir(runDir)?.isLive) {
        void vscode.window.showWarningMessage(`"${path.basename(runDir)}" is training. Stop it before deleting it.`);
        return;
      }
      const ok = await vscode.window.showWarningMessage(
        `Delete the run "${path.basename(runDir)}"?`,
        {
          modal: true,
          detail: `Its checkpoints, samples and metrics in ${runDir} will be moved to the trash (or deleted where there is none).`,
        },
        'Delete Run',
      );
      if (ok !== 'Delete Run') return;
      try {
        await vscode.workspace.fs.delete(vscode.Uri.file(runDir), { recursive: true, useTrash: true });
      } catch {
        await fs.rm(runDir, { recursive: true, force: true });
      }
      await d.runs.refresh();
    }),
  ];
}

/** The focused run, else a pick of the live runs and the runs on disk. */
async function pickRun(d: RunDeps, title: string): Promise<string | undefined> {
  await d.runs.refresh();
  const runs = d.runs.list();
  if (!runs.length) {
    if (d.manager.focused) return d.manager.focused.runDir;
    void vscode.window.showInformationMessage('No training runs yet. Run "GAN: Train GAN" to start one.');
    return undefined;
  }
  if (runs.length === 1) return runs[0].runDir;
  const pick = await vscode.window.showQuickPick(
    runs.map((r) => ({
      label: r.name,
      description: `${r.status} · step ${r.step}/${r.totalSteps || '?'}`,
      detail: r.runDir,
      runDir: r.runDir,
    })),
    { title, placeHolder: 'Choose a run' },
  );
  return pick?.runDir;
}
