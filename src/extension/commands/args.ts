// Commands are called from the palette (no argument), the Runs tree (a node), webviews and
// notifications (a run dir string) and explorer menus (a Uri). This turns any of those into
// a run dir or a session.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { TrainingManager } from '../trainer/manager';
import type { TrainingSession } from '../trainer/session';
import type { RunsNode } from '../runIndex/runsTree';

export function runDirOf(arg: unknown): string | undefined {
  if (typeof arg === 'string' && path.isAbsolute(arg)) return arg;
  if (arg instanceof vscode.Uri && arg.scheme === 'file') return arg.fsPath;
  if (arg && typeof arg === 'object' && 'kind' in arg && 'run' in arg) return (arg as RunsNode).run.runDir;
  return undefined;
}

/** The live session a command is about: the argument's, the only one, or the user's pick. */
export async function pickLiveSession(
  manager: TrainingManager,
  arg: unknown,
  title: string,
  filter: (s: TrainingSession) => boolean = () => true,
): Promise<TrainingSession | undefined> {
  const dir = runDirOf(arg);
  if (dir) {
    const s = manager.byRunDir(dir);
    return s?.isLive && filter(s) ? s : undefined;
  }
  const live = manager.live().filter(filter);
  if (live.length <= 1) {
    if (!live.length) void vscode.window.showInformationMessage('No training run to act on.');
    return live[0];
  }
  const pick = await vscode.window.showQuickPick(
    live.map((s) => ({
      label: s.name,
      description: `${s.status} · step ${s.step}/${s.totalSteps}`,
      detail: s.runDir,
      s,
    })),
    { title, placeHolder: 'Which run?' },
  );
  return pick?.s;
}
