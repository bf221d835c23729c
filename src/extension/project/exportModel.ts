// "Export Model…" on a run or checkpoint row of the Runs tree (and the palette): asks for the
// format and where to save, then runs `gan export --json` as a child process (the host never
// loads the engine), with progress; success offers "Reveal", failure is one line.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { isObj } from '../../shared/guards';
import type { RunsNode } from '../runIndex/runsTree';
import { cliError, runCli, type CliOptions } from './runCli';

export interface ExportDeps {
  cliPath: string;
  cli: () => CliOptions;
}

export type ExportFormat = 'onnx' | 'tfjs';

/** What `gan export --json` prints. */
export interface ExportReport {
  format: ExportFormat;
  out: string;
  files: string[];
  network: string;
  family?: string;
  step?: number;
  customClasses?: string[];
  notes: string[];
}

/** A big generator takes seconds; this only stops a hung child. */
const EXPORT_TIMEOUT_MS = 10 * 60_000;

/** The checkpoint or run folder a command argument names (a Runs-tree row, a path, a Uri). */
export function exportSourceOf(arg: unknown): string | undefined {
  if (typeof arg === 'string' && path.isAbsolute(arg)) return arg;
  if (!isObj(arg)) return undefined;
  // A file Uri (an explorer menu), without instanceof: tests hand in plain objects.
  if (arg.scheme === 'file' && typeof arg.fsPath === 'string') return arg.fsPath;
  if (typeof arg.kind === 'string') {
    const n = arg as unknown as RunsNode;
    if (n.kind === 'checkpoint') return n.checkpoint.path;
    if (n.kind === 'run') return n.run.runDir;
  }
  return undefined;
}

/** "<run>-<checkpoint>" ("<run>" for a run folder), safe as a file name. */
export function exportBaseName(source: string): string {
  const name = path.basename(source);
  const parent = path.basename(path.dirname(source));
  const base = parent === 'checkpoints' ? `${path.basename(path.dirname(path.dirname(source)))}-${name}` : name;
  return base.replace(/[^\p{L}\p{N}._-]+/gu, '_') || 'model';
}

/** The notification of a finished export: what was written, and what a user must know. */
export function exportMessage(r: ExportReport): string {
  const what = [r.family, r.network].filter(Boolean).join(' ') + (r.step !== undefined ? ` (step ${r.step})` : '');
  const where = r.format === 'onnx' ? path.basename(r.out) : `${path.basename(r.out)}/`;
  const notes = r.notes.length ? ` Note: ${r.notes.join('; ')}.` : '';
  return `Exported ${what} as ${r.format === 'onnx' ? 'ONNX' : 'TensorFlow.js'} to ${where}.${notes}`;
}

export async function exportModelCommand(d: ExportDeps, arg: unknown): Promise<void> {
  let source = exportSourceOf(arg);
  if (!source) {
    const picked = await vscode.window.showOpenDialog({
      canSelectFolders: true,
      canSelectFiles: false,
      canSelectMany: false,
      openLabel: 'Export',
      title: 'Export Model: a run folder or one of its checkpoints',
    });
    source = picked?.[0]?.fsPath;
    if (!source) return;
  }
  const format = await vscode.window.showQuickPick(
    [
      {
        label: 'ONNX',
        description: '.onnx file',
        detail: 'onnxruntime in Python, C++, C#, the browser…: NCHW images in [-1, 1], any batch size',
        format: 'onnx' as const,
      },
      {
        label: 'TensorFlow.js',
        description: 'folder: model.json + weights.bin',
        detail: 'tf.loadLayersModel in a web page',
        format: 'tfjs' as const,
      },
    ],
    { title: `Export ${path.basename(source)}`, placeHolder: 'Format' },
  );
  if (!format) return;
  const base = exportBaseName(source);
  const near = vscode.workspace.getWorkspaceFolder(vscode.Uri.file(source))?.uri.fsPath ?? path.dirname(source);
  const target = await vscode.window.showSaveDialog({
    title: format.format === 'onnx' ? 'Save the ONNX model' : 'Folder for model.json and weights.bin',
    saveLabel: 'Export',
    defaultUri: vscode.Uri.file(path.join(near, format.format === 'onnx' ? `${base}.onnx` : `${base}-tfjs`)),
    filters: format.format === 'onnx' ? { ONNX: ['onnx'] } : undefined,
  });
  if (!target) return;
  const out = target.fsPath;
  if (format.format === 'tfjs' && fs.existsSync(out) && !fs.statSync(out).isDirectory()) {
    void vscode.window.showErrorMessage(
      `Export failed: ${path.basename(out)} is a file; the TensorFlow.js format writes a folder.`,
    );
    return;
  }

  const r = await vscode.window
    .withProgress(
      {
        location: vscode.ProgressLocation.Notification,
        title: `Exporting ${path.basename(source)} as ${format.label}…`,
      },
      () =>
        runCli(d.cliPath, ['export', source, '--format', format.format, '--out', out, '--json'], {
          ...d.cli(),
          timeoutMs: EXPORT_TIMEOUT_MS,
        }),
    )
    .then(
      (v) => v,
      (e: unknown) => ({ code: -1, stdout: '', stderr: e instanceof Error ? e.message : String(e) }),
    );
  const report = r.code === 0 ? parseReport(r.stdout) : undefined;
  if (!report) {
    void vscode.window.showErrorMessage(`Export failed: ${cliError(r)}`);
    return;
  }
  const choice = await vscode.window.showInformationMessage(exportMessage(report), 'Reveal');
  if (choice === 'Reveal')
    await vscode.commands.executeCommand('revealFileInOS', vscode.Uri.file(report.files[0] ?? report.out));
}

/** The last line of stdout as the JSON report, or undefined. */
export function parseReport(stdout: string): ExportReport | undefined {
  const line = stdout.trim().split('\n').pop();
  try {
    const r = JSON.parse(line ?? '') as ExportReport;
    return isObj(r) && typeof r.out === 'string' && Array.isArray(r.notes) ? r : undefined;
  } catch {
    return undefined;
  }
}
