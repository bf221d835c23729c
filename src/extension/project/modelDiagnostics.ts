// Problems in a model file (modelFile) as diagnostics at their line: the trainer reports them
// as "model.ts:12:5: <message>" (relative to its working directory, the config's folder), and
// a run that fails with such a line puts a red squiggle there. The diagnostic goes when the
// file is edited or the config trains again.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { Disposable } from '../util/dispose';
import type { TrainingManager } from '../trainer/manager';
import type { TrainingSession } from '../trainer/session';

export interface LocatedModelError {
  file: string;
  /** 1-based; absent when the trainer could not place it. */
  line?: number;
  column?: number;
  message: string;
}

/** Parses the trainer's "path/model.ts:12:5: message" (or "path/model.ts: message"). Pure. */
export function parseModelError(message: string, baseDir: string): LocatedModelError | undefined {
  const m = /^(.+?\.(?:ts|mts|cts|js|mjs|cjs)):(?:(\d+):(\d+):)? (.+)$/.exec(message.trim());
  if (!m) return undefined;
  return {
    file: path.resolve(baseDir, m[1]),
    line: m[2] ? Number(m[2]) : undefined,
    column: m[3] ? Number(m[3]) : undefined,
    message: m[4],
  };
}

export class ModelDiagnostics extends Disposable {
  private readonly collection = this._register(vscode.languages.createDiagnosticCollection('gan-model'));
  private readonly seen = new WeakSet<TrainingSession>();
  /** Which config's run put a diagnostic on which model file. */
  private readonly byConfig = new Map<string, vscode.Uri>();

  constructor(manager: TrainingManager) {
    super();
    this._register(
      manager.onDidChangeSessions(() => {
        for (const s of manager.all()) this.onSession(s);
      }),
    );
    // An edit makes the reported line stale: the next run reports again if it still fails.
    this._register(
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.contentChanges.length && this.collection.has(e.document.uri)) this.collection.delete(e.document.uri);
      }),
    );
  }

  private onSession(s: TrainingSession): void {
    if (s.status === 'starting' || s.status === 'running') {
      const uri = this.byConfig.get(s.configPath);
      if (uri) this.collection.delete(uri);
      this.byConfig.delete(s.configPath);
      return;
    }
    if (s.status !== 'failed' || this.seen.has(s) || !s.message) return;
    this.seen.add(s);
    const located = parseModelError(s.message, path.dirname(s.configPath));
    if (located) this.show(located, s.configPath);
  }

  show(e: LocatedModelError, configPath: string): void {
    const uri = vscode.Uri.file(e.file);
    const line = Math.max(0, (e.line ?? 1) - 1),
      col = Math.max(0, (e.column ?? 1) - 1);
    // Underline from the column to the end of the word (or one character).
    const range = new vscode.Range(line, col, line, col + 1);
    void vscode.workspace.openTextDocument(uri).then(
      (doc) => {
        const word = doc.getWordRangeAtPosition(range.start);
        this.set(uri, word ?? range, e.message);
      },
      () => this.set(uri, range, e.message),
    );
    this.byConfig.set(configPath, uri);
  }

  private set(uri: vscode.Uri, range: vscode.Range, message: string): void {
    const d = new vscode.Diagnostic(range, message, vscode.DiagnosticSeverity.Error);
    d.source = 'GAN Studio';
    this.collection.set(uri, [d]);
  }
}
