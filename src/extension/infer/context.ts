// What the inference commands need from the rest of the extension, in one place (so each
// command file stays small and the wiring lives in register.ts).
import type * as vscode from 'vscode';
import type { RunSummary } from '../runIndex/runsIndex';
import type { InferService } from './inferService';

export interface InferContext {
  extensionPath: string;
  /** Global state: the last upscale choice and this machine's measured rates. */
  memento: vscode.Memento;
  service: InferService;
  /** Runs of the Runs tree (for the user's own checkpoints). */
  runs(): RunSummary[];
  /** The folder of imported upscaling models (global storage/upscalers); undefined without storage. */
  upscalerStore(): string | undefined;
  /** The CLI's store (`gan import-sr`), listed beside it. */
  cliUpscalerStore(): string;
  /** Setting ganStudio.upscale.askForModel. */
  askForChoice(): boolean;
  /** Setting ganStudio.upscale.selfEnsemble. */
  selfEnsemble(): boolean;
  log(line: string): void;
  showLog(): void;
  /** Opens the compare view on two files. */
  compare(before: string, after: string, note?: string): void;
}
