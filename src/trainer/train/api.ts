// The training engine's public surface: the CLI and the IPC child both drive training through
// runTraining and nothing else. Implementation: ./run.ts and the parts its header names.
import type { ActiveBackend, BackendName } from '../../shared/backends';
import type { MetricsRecord } from '../../shared/runDir';

export interface TrainOptions {
  configPath: string;
  /** Defaults to <config folder>/runs/<config name>-<timestamp>; with resume, the run to continue. */
  runDir?: string;
  maxSteps?: number;
  backend?: BackendName;
  seed?: number;
  resume?: boolean;
  /** Native kernel threads; default all cores. */
  threads?: number;
  /** Refuse to start when the memory estimate exceeds this many MB (default: the machine's memory). */
  maxMemoryMB?: number;
}

export type LogLevel = 'info' | 'warn' | 'error';

export interface TrainEvents {
  /** `backend` is the one the run really uses (what `auto` chose, or a fallback). */
  started?(info: { backend: ActiveBackend; runDir: string; step: number; totalSteps: number; config: unknown }): void;
  metrics?(m: MetricsRecord): void;
  sample?(s: { step: number; path: string }): void;
  checkpoint?(c: { step: number; path: string }): void;
  log?(line: string, level: LogLevel): void;
}

/** Mutable flags the caller flips; the loop reads them between steps. */
export interface TrainControl {
  stop: boolean;
  paused: boolean;
  sampleNow: boolean;
}

export interface TrainResult {
  runDir: string;
  step: number;
  status: 'finished' | 'stopped';
}
