// gan sample --stats: the quality scores of a checkpoint's samples (train/quality: swd and any
// other scorer) against its run's training data, read through the run's config.json.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { GanConfig } from '../../shared/config';
import { runPaths } from '../../shared/runDir';
import { loadDataset } from '../data';
import type { ImageBatch } from '../engine/imageGrid';
import type { ModelFamily } from '../models';
import type { CheckpointState } from '../train/checkpoint';
import { makeScoring } from '../train/quality';
import { UsageError } from './common';

/** The run folder holding checkpoint `dir` (checkpoints/<step>/): the first ancestor with a config.json. */
function runFolderOf(dir: string): string | undefined {
  for (let d = path.dirname(dir), i = 0; i < 3; d = path.dirname(d), i++)
    if (fs.existsSync(runPaths(d).config)) return d;
  return undefined;
}

/**
 * Every score of `images` as "name value" pairs; throws a UsageError when the data cannot be found.
 * `asked`: conditional checkpoints, the class each image was drawn for.
 */
export async function sampleStats(
  dir: string,
  state: CheckpointState,
  family: ModelFamily,
  images: ImageBatch,
  asked?: number[],
): Promise<string> {
  const runDir = runFolderOf(dir);
  if (!runDir)
    throw new UsageError(`--stats needs the run's config.json (the data to compare with) next to ${path.dirname(dir)}`);
  // The run's config.json holds the resolved config: every path in it is absolute.
  const cfg = JSON.parse(fs.readFileSync(runPaths(runDir).config, 'utf8')) as GanConfig;
  const ds = loadDataset(cfg.dataset, runDir, { imageSize: cfg.imageSize, seed: cfg.seed });
  // The run's sample seed: the same real images the run scored against at its sample steps.
  const scoring = await makeScoring({ family, ds, spec: state.spec, seed: state.sampleSeed ?? cfg.seed });
  if (!scoring) return `no quality scores for a ${state.model} checkpoint`;
  try {
    const scores = await scoring.scoreSamples(images, asked);
    return `scores of ${images.n} samples against ${ds.name}: ${Object.entries(scores)
      .map(([k, v]) => `${k} ${v.toFixed(3)}`)
      .join('  ')}`;
  } finally {
    scoring.dispose();
  }
}
