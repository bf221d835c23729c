// The run directory is the contract between the trainer, the extension and the tests
// (see DESIGN.md "The run directory"). Every path into a run is built here.
import * as path from 'node:path';

export const RUN_FILES = {
  config: 'config.json',
  metrics: 'metrics.jsonl',
  events: 'events.log',
  samples: 'samples',
  checkpoints: 'checkpoints',
  latest: 'latest',
  lossPlot: 'loss.png',
  tensorboard: 'tb',
} as const;

export function stepName(step: number): string {
  return `step-${String(step).padStart(8, '0')}`;
}

export function parseStepName(name: string): number | undefined {
  const m = /^step-(\d{8})(?:\.png)?$/.exec(name);
  return m ? Number(m[1]) : undefined;
}

export const runPaths = (runDir: string) => ({
  config: path.join(runDir, RUN_FILES.config),
  metrics: path.join(runDir, RUN_FILES.metrics),
  events: path.join(runDir, RUN_FILES.events),
  samples: path.join(runDir, RUN_FILES.samples),
  sample: (step: number) => path.join(runDir, RUN_FILES.samples, `${stepName(step)}.png`),
  checkpoints: path.join(runDir, RUN_FILES.checkpoints),
  latest: path.join(runDir, RUN_FILES.checkpoints, RUN_FILES.latest),
  checkpoint: (step: number) => path.join(runDir, RUN_FILES.checkpoints, stepName(step)),
  lossPlot: path.join(runDir, RUN_FILES.lossPlot),
  /** TensorBoard events files, one per start of the trainer. */
  tensorboard: path.join(runDir, RUN_FILES.tensorboard),
});

/** One line of metrics.jsonl. Losses are reported by name: dLoss, gLoss, l1Loss, cycleLoss, ... */
export interface MetricsRecord {
  step: number;
  epoch: number;
  time: string;
  msPerStep: number;
  losses: Record<string, number>;
  dReal?: number;
  dFake?: number;
  /** Sample steps of latent runs: quality scores of the fixed-noise samples, e.g. swd (lower is better). */
  scores?: Record<string, number>;
  lr: number;
  backend: string;
  /** The GPU a webgpu run used (adapter description, vendor, architecture). */
  gpu?: string;
  numTensors: number;
  rssMB: number;
}
