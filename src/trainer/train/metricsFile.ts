// metrics.jsonl: one JSON object per logged step, appended as training goes.
import * as fs from 'node:fs';
import type { MetricsRecord } from '../../shared/runDir';
import { appendFileChecked, writeFileAtomic } from '../engine/files';

export function readMetrics(file: string): MetricsRecord[] {
  if (!fs.existsSync(file)) return [];
  const out: MetricsRecord[] = [];
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    try {
      const r = JSON.parse(line) as MetricsRecord;
      if (Number.isInteger(r.step)) out.push(r);
    } catch {
      /* a line cut by a kill: dropped */
    }
  }
  return out;
}

/**
 * Keeps only records up to `step` (those after the checkpoint a resume starts from will be
 * logged again), rewriting the file atomically. Returns the kept records.
 */
export function truncateMetrics(file: string, step: number): MetricsRecord[] {
  const kept = readMetrics(file).filter((r) => r.step <= step);
  writeFileAtomic(file, kept.map((r) => `${JSON.stringify(r)}\n`).join(''));
  return kept;
}

export function appendMetrics(file: string, r: MetricsRecord): void {
  // JSON turns NaN/Infinity into null, which parseMetricsRecord reads back as NaN.
  appendFileChecked(file, `${JSON.stringify(r)}\n`);
}
