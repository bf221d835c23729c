// "GAN: Compare Runs…": the runs selected in the Runs tree (its context menu passes the
// clicked node and the whole selection), else a multi-select pick of every run, into the
// Run Comparison panel; and that panel's serializer.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { MAX_COMPARED_RUNS } from '../../shared/runComparisonProtocol';
import { runDirOf } from '../commands/args';
import type { RunsTreeProvider } from '../runIndex/runsTree';
import type { TrainingManager } from '../trainer/manager';
import { RunComparisonPanel } from './runComparisonPanel';

export interface RunComparisonDeps {
  extensionUri: vscode.Uri;
  manager: TrainingManager;
  runs: RunsTreeProvider;
}

/** The run folders a command's arguments name: the tree's selection, else the clicked node. */
export function selectedRunDirs(arg: unknown, multi: unknown): string[] {
  const items = Array.isArray(multi) && multi.length ? multi : [arg];
  const dirs = items
    .map(runDirOf)
    .filter((d): d is string => !!d)
    .map((d) => path.resolve(d));
  return [...new Set(dirs)];
}

async function pickRuns(d: RunComparisonDeps, preselected: string[]): Promise<string[] | undefined> {
  await d.runs.refresh();
  const runs = d.runs.list();
  if (runs.length < 2) {
    void vscode.window.showInformationMessage('Compare Runs needs two runs or more: train another run first.');
    return undefined;
  }
  const items = runs.map((r) => ({
    label: r.name,
    description: [r.model, r.status, `step ${r.step}/${r.totalSteps || '?'}`].filter(Boolean).join(' · '),
    detail: r.runDir,
    runDir: r.runDir,
    picked: preselected.includes(path.resolve(r.runDir)),
  }));
  const picks = await vscode.window.showQuickPick(items, {
    title: 'Compare Runs',
    placeHolder: 'Choose two runs or more to compare',
    canPickMany: true,
    matchOnDetail: true,
  });
  return picks?.map((p) => p.runDir);
}

export function registerRunComparison(d: RunComparisonDeps): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('ganStudio.compareRuns', async (arg?: unknown, multi?: unknown) => {
      let dirs = selectedRunDirs(arg, multi);
      if (dirs.length < 2) dirs = (await pickRuns(d, dirs)) ?? [];
      if (!dirs.length) return;
      if (dirs.length < 2) {
        void vscode.window.showWarningMessage('Compare Runs: choose two runs or more.');
        return;
      }
      if (dirs.length > MAX_COMPARED_RUNS) {
        void vscode.window.showWarningMessage(
          `Compare Runs: at most ${MAX_COMPARED_RUNS} runs at once; comparing the first ${MAX_COMPARED_RUNS}.`,
        );
        dirs = dirs.slice(0, MAX_COMPARED_RUNS);
      }
      RunComparisonPanel.show(d.extensionUri, d.manager, dirs);
    }),
    RunComparisonPanel.registerSerializer(d.extensionUri, d.manager),
  ];
}
