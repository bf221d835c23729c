// Validates a gan.config.json with the shared config module (loaded lazily: it pulls in ajv)
// and shows its problems as diagnostics in the file.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { Disposable } from '../util/dispose';
import { locateProblems, syntaxProblems } from './configErrors';

export interface ValidationResult {
  ok: boolean;
  /** The resolved config (defaults filled, paths absolute) when ok. */
  config?: { name?: string; steps?: number } & Record<string, unknown>;
  problems: string[];
}

/** Validates config text. Throws only on bugs; problems come back in the result. */
export async function validateConfigText(text: string, configPath: string): Promise<ValidationResult> {
  const syntax = syntaxProblems(text);
  if (syntax.length) return { ok: false, problems: syntax.map((p) => p.message) };
  const { resolveConfig, ConfigError } = await import('../../shared/config');
  try {
    const config = resolveConfig(JSON.parse(text), path.dirname(configPath), path.basename(configPath));
    return { ok: true, config: config as unknown as ValidationResult['config'], problems: [] };
  } catch (err) {
    if (err instanceof ConfigError) return { ok: false, problems: err.problems };
    return { ok: false, problems: [err instanceof Error ? err.message : String(err)] };
  }
}

export class ConfigDiagnostics extends Disposable {
  private readonly collection = this._register(vscode.languages.createDiagnosticCollection('gan-config'));

  constructor() {
    super();
    // Once a file has problems, re-check it on save so fixed ones disappear.
    this._register(vscode.workspace.onDidSaveTextDocument((doc) => {
      if (this.collection.has(doc.uri)) void this.validate(doc.uri);
    }));
  }

  /** Validates the file (the open editor's text if open, else the disk) and updates diagnostics. */
  async validate(uri: vscode.Uri): Promise<ValidationResult> {
    const doc = await vscode.workspace.openTextDocument(uri);
    const text = doc.getText();
    const result = await validateConfigText(text, uri.fsPath);
    if (result.ok) {
      this.collection.delete(uri);
      return result;
    }
    const located = locateProblems(text, result.problems);
    this.collection.set(uri, located.map((p) => {
      const range = new vscode.Range(doc.positionAt(p.offset), doc.positionAt(p.offset + p.length));
      const d = new vscode.Diagnostic(range, p.message, vscode.DiagnosticSeverity.Error);
      d.source = 'GAN Studio';
      return d;
    }));
    return result;
  }
}
