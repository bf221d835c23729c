// The fixed-input sample grids and loss.png. The inputs are drawn once from their own seed,
// so every grid of a run (and of its resumes) shows the same noise: changes are the model's.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import type { MetricsRecord } from '../../shared/runDir';
import { writeFileAtomic } from '../engine/files';
import { gridPng, type ImageBatch } from '../engine/imageGrid';
import { takeFloats } from '../engine/read';
import { Rng } from '../engine/rng';
import {
  inputTensors,
  type ExampleImages,
  type GeneratorInput,
  type ModelFamily,
  type ModelSpec,
  type Networks,
} from '../models/family';
import { renderLossPlot } from './lossPlot';

/** Stream id of the sample generator (the training stream is 0, batches 1). */
export const SAMPLE_STREAM = 2;

export interface FixedSamples {
  input: GeneratorInput;
  /** The run's spec, which generate() reads (e.g. srgan's scale). */
  spec: ModelSpec;
  cols: number;
  dispose(): void;
}

/** `examples`: image-to-image families translate these fixed images instead of drawing noise. */
export function makeFixedSamples(
  family: ModelFamily,
  spec: ModelSpec,
  sampleSeed: number,
  examples?: (count: number) => ExampleImages,
): FixedSamples {
  const rng = new Rng(sampleSeed, SAMPLE_STREAM);
  const grid = family.sampleGrid(spec, rng);
  const ex = family.info.translate && examples ? examples(grid.request.count) : undefined;
  let input: GeneratorInput;
  try {
    input = family.sampleInputs(spec, rng, { ...grid.request, examples: ex });
  } finally {
    if (ex) tf.dispose([ex.images, ex.targets]);
  }
  return { input, spec, cols: grid.cols, dispose: () => disposeInput(input) };
}

export function disposeInput(input: GeneratorInput): void {
  tf.dispose(inputTensors(input));
}

/** Generated images as plain floats (disposes its tensors). */
export async function generateBatch(
  family: ModelFamily,
  nets: Networks,
  input: GeneratorInput,
  spec: ModelSpec,
): Promise<ImageBatch> {
  const out = tf.tidy(() => family.generate(nets, input, spec));
  const [n, h, w, c] = out.shape;
  return { data: await takeFloats(out), n, h, w, c };
}

/** Writes the grid; resolves to its images (for the mode-collapse check). */
export async function writeSampleGrid(
  file: string,
  family: ModelFamily,
  nets: Networks,
  samples: FixedSamples,
): Promise<ImageBatch> {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const images = await generateBatch(family, nets, samples.input, samples.spec);
  writeFileAtomic(file, gridPng(images, samples.cols));
  return images;
}

export function writeLossPlot(file: string, records: MetricsRecord[], lossNames: readonly string[]): void {
  const names = [...new Set([...lossNames, ...records.flatMap((r) => Object.keys(r.losses))])];
  const series = names.map((name) => ({
    name,
    points: records.filter((r) => name in r.losses).map((r): [number, number] => [r.step, r.losses[name] ?? NaN]),
  }));
  writeFileAtomic(file, renderLossPlot(series));
}
