// Train GAN, Stop / Pause / Resume Training, Sample Now, Resume Run from Checkpoint….
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { runPaths } from '../../shared/runDir';
import * as settings from '../settings';
import type { ConfigDiagnostics } from '../config/configDiagnostics';
import { pickConfig } from '../config/configPicker';
import { stripLabel } from '../config/configErrors';
import type { TrainingManager } from '../trainer/manager';
import type { RunsTreeProvider } from '../runIndex/runsTree';
import { listRuns, readRun } from '../runIndex/runsIndex';
import { newRunDirName } from '../runIndex/runNames';
import { pickLiveSession, runDirOf } from './args';

export interface TrainDeps {
  manager: TrainingManager;
  diagnostics: ConfigDiagnostics;
  runs: RunsTreeProvider;
}

export function registerTrainCommands(d: TrainDeps): vscode.Disposable[] {
  const { manager } = d;
  const reg = vscode.commands.registerCommand;
  return [
    reg('ganStudio.train', (arg?: unknown) => trainGan(d, arg)),
    reg('ganStudio.stopTraining', async (arg?: unknown) => {
      const s = await pickLiveSession(manager, arg, 'Stop Training', (x) => x.status !== 'stopping');
      if (s) await manager.stop(s);
    }),
    reg('ganStudio.togglePause', async (arg?: unknown) => {
      const s = await pickLiveSession(
        manager,
        arg,
        'Pause/Resume Training',
        (x) => x.status === 'running' || x.status === 'paused',
      );
      if (s) await (s.status === 'paused' ? s.resume() : s.pause()).catch(showError);
    }),
    reg('ganStudio.pauseTraining', async (arg?: unknown) => {
      const s = await pickLiveSession(manager, arg, 'Pause Training', (x) => x.status === 'running');
      await s?.pause().catch(showError);
    }),
    reg('ganStudio.resumeTraining', async (arg?: unknown) => {
      const s = await pickLiveSession(manager, arg, 'Resume Training', (x) => x.status === 'paused');
      await s?.resume().catch(showError);
    }),
    reg('ganStudio.sampleNow', async (arg?: unknown) => {
      const s = await pickLiveSession(
        manager,
        arg,
        'Save a Sample Grid Now',
        (x) => x.status === 'running' || x.status === 'paused',
      );
      await s?.sampleNow().catch(showError);
    }),
    reg('ganStudio.resumeRun', (arg?: unknown) => resumeRun(d, arg)),
  ];
}

function showError(err: unknown): void {
  void vscode.window.showErrorMessage(err instanceof Error ? err.message : String(err));
}

async function trainGan(d: TrainDeps, arg?: unknown): Promise<void> {
  const uri = await pickConfig(arg);
  if (!uri) return;
  const configPath = uri.fsPath;
  const running = d.manager.liveByKey(configPath);
  if (running) {
    const c = await vscode.window.showInformationMessage(
      `"${running.name}" is already training from this config.`,
      'Open Dashboard',
      'Stop',
    );
    if (c === 'Open Dashboard') await vscode.commands.executeCommand('ganStudio.openDashboard', running.runDir);
    if (c === 'Stop') await d.manager.stop(running);
    return;
  }
  // The trainer reads the file from disk: unsaved edits would silently not count.
  const open = vscode.workspace.textDocuments.find((t) => t.uri.toString() === uri.toString());
  if (open?.isDirty) await open.save();
  const result = await d.diagnostics.validate(uri);
  if (!result.ok) {
    const n = result.problems.length;
    const c = await vscode.window.showErrorMessage(
      `${path.basename(configPath)} has ${n} problem${n > 1 ? 's' : ''}: ${stripLabel(result.problems[0])}`,
      'Show Problems',
      'Open Config',
    );
    if (c === 'Show Problems') await vscode.commands.executeCommand('workbench.actions.view.problems');
    if (c === 'Open Config') await vscode.window.showTextDocument(uri);
    return;
  }
  const name =
    typeof result.config?.name === 'string' && result.config.name
      ? result.config.name
      : path.basename(path.dirname(configPath));
  const runDir = path.join(settings.runsFolderForConfig(configPath), newRunDirName(name));
  await d.manager.start({ key: configPath, name, configPath, runDir, backend: settings.defaultBackend() });
}

async function resumeRun(d: TrainDeps, arg?: unknown): Promise<void> {
  let runDir = runDirOf(arg);
  // A checkpoint node resumes its run (the engine resumes from `latest`).
  if (runDir && path.basename(path.dirname(runDir)) === 'checkpoints') runDir = path.dirname(path.dirname(runDir));
  if (!runDir) {
    await d.runs.refresh();
    const all = (await Promise.all(settings.allRunsFolders().map(listRuns))).flat();
    const candidates = all.filter(
      (r) => r.hasLatest && r.status !== 'finished' && !d.manager.byRunDir(r.runDir)?.isLive,
    );
    if (!candidates.length) {
      void vscode.window.showInformationMessage("No run with a checkpoint to resume in this workspace's runs folder.");
      return;
    }
    const pick = await vscode.window.showQuickPick(
      candidates.map((r) => ({
        label: r.name,
        description: `${r.status} · step ${r.step}/${r.totalSteps || '?'}`,
        detail: r.runDir,
        r,
      })),
      { title: 'Resume Run from Checkpoint…', placeHolder: 'Choose the run to continue from its latest checkpoint' },
    );
    runDir = pick?.r.runDir;
    if (!runDir) return;
  }
  const run = await readRun(runDir);
  if (!run || !existsSync(runPaths(runDir).latest)) {
    void vscode.window.showErrorMessage(`${path.basename(runDir)} has no checkpoint to resume from.`);
    return;
  }
  // The run dir's config.json is the resolved one (absolute paths): resume exactly that.
  await d.manager.start({
    key: runDir,
    name: run.name,
    configPath: runPaths(runDir).config,
    runDir,
    backend: settings.defaultBackend(),
    resume: true,
  });
}
