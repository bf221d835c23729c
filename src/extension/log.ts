// The "GAN Training" output channel. Lines are written in the same shape as events.log so one
// TextMate grammar (syntaxes/ganlog.tmLanguage.json, language id "ganlog") colours both.
import * as vscode from 'vscode';
import type { LogLevel } from '../shared/trainerProtocol';
import { Disposable } from './util/dispose';

export class TrainingLog extends Disposable {
  private readonly channel = this._register(vscode.window.createOutputChannel('GAN Training', 'ganlog'));

  line(run: string, text: string, level: LogLevel = 'info'): void {
    const t = new Date().toTimeString().slice(0, 8);
    const tag = level === 'info' ? '' : `${level.toUpperCase()} `;
    for (const l of text.split(/\r?\n/)) if (l.trim()) this.channel.appendLine(`[${t}] [${run}] ${tag}${l}`);
  }

  show(preserveFocus = true): void {
    this.channel.show(preserveFocus);
  }
}
