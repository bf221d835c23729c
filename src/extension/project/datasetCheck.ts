// "GAN: Check Dataset": runs the trainer's dataset check (`gan check <config> --json`) in a
// child process and shows its report in a panel (one per config; "Check Again" re-runs it).
import * as path from 'node:path';
import * as vscode from 'vscode';
import { parseCheckPageMessage, parseCheckReport, type CheckHostMessage } from '../../shared/datasetCheckProtocol';
import type { ConfigDiagnostics } from '../config/configDiagnostics';
import { stripLabel } from '../config/configErrors';
import { pickConfig } from '../config/configPicker';
import { Disposable } from '../util/dispose';
import { setHtml, webviewOptions } from '../webviews/common';
import { cliError, runCli, type CliOptions } from './runCli';

export interface CheckDeps {
  extensionUri: vscode.Uri;
  cliPath: string;
  cli: () => CliOptions;
  diagnostics: ConfigDiagnostics;
}

/** Reading every picture of a large set takes a while; past this the check is stopped. */
const CHECK_TIMEOUT_MS = 10 * 60 * 1000;

export class DatasetCheckPanel extends Disposable {
  static readonly viewType = 'ganStudio.datasetCheck';
  private static readonly panels = new Map<string, DatasetCheckPanel>();

  static async show(d: CheckDeps, config: vscode.Uri): Promise<void> {
    const key = path.resolve(config.fsPath);
    let p = DatasetCheckPanel.panels.get(key);
    if (p) p.panel.reveal(undefined, false);
    else {
      const panel = vscode.window.createWebviewPanel(
        DatasetCheckPanel.viewType,
        `Dataset: ${path.basename(path.dirname(key))}`,
        vscode.ViewColumn.Beside,
        webviewOptions(d.extensionUri, []),
      );
      p = new DatasetCheckPanel(d, panel, config);
    }
    await p.check();
  }

  private last: CheckHostMessage | undefined;
  private running: Promise<void> | undefined;

  private constructor(
    private readonly d: CheckDeps,
    private readonly panel: vscode.WebviewPanel,
    private readonly config: vscode.Uri,
  ) {
    super();
    DatasetCheckPanel.panels.set(path.resolve(config.fsPath), this);
    setHtml(panel.webview, d.extensionUri, 'datasetCheck', panel.title);
    this._register(panel.webview.onDidReceiveMessage((m) => this.onMessage(m)));
    this._register(panel.onDidDispose(() => this.dispose()));
  }

  override dispose(): void {
    if (this.isDisposed) return;
    DatasetCheckPanel.panels.delete(path.resolve(this.config.fsPath));
    super.dispose();
    this.panel.dispose();
  }

  private post(m: CheckHostMessage): void {
    this.last = m;
    if (!this.isDisposed) void this.panel.webview.postMessage(m);
  }

  private onMessage(raw: unknown): void {
    // The page is untrusted: only these four messages, with nothing else in them.
    const m = parseCheckPageMessage(raw);
    if (!m) return;
    if (m.type === 'ready' && this.last) void this.panel.webview.postMessage(this.last);
    if (m.type === 'recheck') void this.check();
    if (m.type === 'openConfig')
      void vscode.window.showTextDocument(this.config, { viewColumn: vscode.ViewColumn.One });
    if (m.type === 'train') void vscode.commands.executeCommand('ganStudio.train', this.config);
  }

  check(): Promise<void> {
    this.running ??= this.run().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async run(): Promise<void> {
    const configPath = this.config.fsPath;
    const open = vscode.workspace.textDocuments.find((t) => t.uri.toString() === this.config.toString());
    if (open?.isDirty) await open.save();
    // Config problems show in the file as well as on the page.
    const valid = await this.d.diagnostics.validate(this.config);
    if (!valid.ok)
      return this.post({
        type: 'error',
        config: configPath,
        message: `${path.basename(configPath)}: ${stripLabel(valid.problems[0])}`,
      });
    this.post({ type: 'checking', config: configPath });
    const t0 = Date.now();
    try {
      const r = await runCli(this.d.cliPath, ['check', configPath, '--json'], {
        ...this.d.cli(),
        cwd: path.dirname(configPath),
        timeoutMs: CHECK_TIMEOUT_MS,
      });
      let report;
      try {
        report = parseCheckReport(JSON.parse(r.stdout));
      } catch {
        report = undefined;
      }
      // Exit 2 with a report = "training cannot start", which the report says itself.
      if (report) this.post({ type: 'report', config: configPath, report, seconds: (Date.now() - t0) / 1000 });
      else this.post({ type: 'error', config: configPath, message: cliError(r) });
    } catch (e) {
      this.post({
        type: 'error',
        config: configPath,
        message: `could not run the dataset check: ${e instanceof Error ? e.message : String(e)}`,
      });
    }
  }
}

export async function checkDataset(d: CheckDeps, arg?: unknown): Promise<void> {
  const uri = await pickConfig(arg);
  if (uri) await DatasetCheckPanel.show(d, uri);
}
