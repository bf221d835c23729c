// Shows a gan.config.json's problems (validateConfig.ts) as diagnostics in the file.
import * as vscode from 'vscode';
import { Disposable } from '../util/dispose';
import { locateProblems } from './configErrors';
import { validateConfigText, type ValidationResult } from './validateConfig';

export type { ValidationResult };

export class ConfigDiagnostics extends Disposable {
  private readonly collection = this._register(vscode.languages.createDiagnosticCollection('gan-config'));

  constructor() {
    super();
    // Once a file has problems, re-check it on save so fixed ones disappear.
    this._register(
      vscode.workspace.onDidSaveTextDocument((doc) => {
        if (this.collection.has(doc.uri)) void this.validate(doc.uri);
      }),
    );
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
    this.collection.set(
      uri,
      located.map((p) => {
        const range = new vscode.Range(doc.positionAt(p.offset), doc.positionAt(p.offset + p.length));
        const d = new vscode.Diagnostic(range, p.message, vscode.DiagnosticSeverity.Error);
        d.source = 'GAN Studio';
        return d;
      }),
    );
    return result;
  }
}
