// Small shared helpers for the engine tests: tiny configs in temp folders, run-folder readers.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PNG } from 'pngjs';
import type { MetricsRecord } from '../../src/shared/runDir';

export function tmpDir(prefix = 'gan-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** A tiny, fast config (MLP GAN on 256 MNIST images) with overrides; returns its path. */
export function writeConfig(dir: string, overrides: Record<string, unknown> = {}, file = 'gan.config.json'): string {
  const cfg = {
    name: 'tiny',
    model: 'gan',
    dataset: { kind: 'mnist', limit: 256 },
    batchSize: 8,
    steps: 3,
    seed: 1,
    logEvery: 1,
    sampleEvery: 2,
    checkpointEvery: 2,
    keepCheckpoints: 2,
    params: { latentDim: 8, ngf: 4, ndf: 4 },
    ...overrides,
  };
  const p = path.join(dir, file);
  fs.writeFileSync(p, JSON.stringify(cfg, null, 2));
  return p;
}

export function readMetrics(runDir: string): MetricsRecord[] {
  return fs
    .readFileSync(path.join(runDir, 'metrics.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as MetricsRecord);
}

export function readPng(file: string): PNG {
  return PNG.sync.read(fs.readFileSync(file));
}

export const lossesOf = (rs: MetricsRecord[]) =>
  rs.map((r) => [r.step, r.losses.dLoss, r.losses.gLoss, r.dReal, r.dFake]);
