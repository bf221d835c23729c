// Typed access to the extension's settings (package.json contributes.configuration).
import * as path from 'node:path';
import * as vscode from 'vscode';
import { DEFAULT_BACKEND, isBackendName, type BackendName } from '../shared/backends';

export const SECTION = 'ganStudio';

function cfg(scope?: vscode.Uri): vscode.WorkspaceConfiguration {
  return vscode.workspace.getConfiguration(SECTION, scope);
}

/** The backend new runs ask for: `auto` unless set (the trainer resolves it and reports what it used). */
export function defaultBackend(): BackendName {
  const b = cfg().get<string>('defaultBackend');
  return isBackendName(b) ? b : DEFAULT_BACKEND;
}

export async function setDefaultBackend(b: BackendName): Promise<void> {
  await cfg().update('defaultBackend', b, vscode.ConfigurationTarget.Global);
}

/** Seconds between extra sample grids requested from a running trainer (0 = off). */
export function sampleIntervalSeconds(): number {
  const v = cfg().get<number>('sampleInterval', 60);
  return Number.isFinite(v) && v > 0 ? Math.max(5, v) : 0;
}

export function openDashboardOnStart(): boolean {
  return cfg().get<boolean>('openDashboardOnStart', false);
}

/** An explicit Node binary for the trainer, or undefined to use VS Code's own runtime. */
export function trainerNodePath(): string | undefined {
  const p = cfg().get<string>('trainer.nodePath', '').trim();
  return p ? p : undefined;
}

export function trainerThreads(): number | undefined {
  const n = cfg().get<number>('trainer.threads', 0);
  return Number.isInteger(n) && n > 0 ? n : undefined;
}

/** The runs folder of a workspace folder (the setting is relative to it, or absolute). */
export function runsFolderOf(folder: vscode.WorkspaceFolder): string {
  const setting = cfg(folder.uri).get<string>('runsFolder', 'runs').trim() || 'runs';
  return path.resolve(folder.uri.fsPath, setting);
}

/** Every runs folder to scan: one per workspace folder. */
export function allRunsFolders(): string[] {
  return [...new Set((vscode.workspace.workspaceFolders ?? []).map(runsFolderOf))];
}

/** Where a new run of `configPath` goes: the workspace's runs folder, else next to the config. */
export function runsFolderForConfig(configPath: string): string {
  const folder = vscode.workspace.getWorkspaceFolder(vscode.Uri.file(configPath));
  return folder ? runsFolderOf(folder) : path.join(path.dirname(configPath), 'runs');
}
