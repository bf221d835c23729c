// The SWD scorer of latent families (gan, dcgan, cgan): a fixed, seeded sample of the
// training images is the reference the fixed-noise samples are compared with at each step.
import * as tf from '@tensorflow/tfjs';
import { makeBatch, type LabelledImages } from '../../data';
import type { ImageBatch } from '../../engine/imageGrid';
import { takeFloats } from '../../engine/read';
import { Rng } from '../../engine/rng';
import type { QualityContext, SampleScorer } from './index';
import { SwdReference } from './swd';

/** Real images in the reference (fewer when the data set is smaller). */
export const SWD_REAL_IMAGES = 256;
/** Descriptors per pyramid level and set: with 128 directions, the bound on a score's cost. */
export const SWD_DESCRIPTORS = 1024;
const REAL_PICK_STREAM = 43;

/** `count` distinct indices in [0, total), the same for the same seed. */
export function pickIndices(total: number, count: number, seed: number): number[] {
  const rng = new Rng(seed, REAL_PICK_STREAM);
  const picked = new Set<number>();
  while (picked.size < Math.min(count, total)) picked.add(rng.int(total));
  return [...picked];
}

/** The picked images at the run's size as floats in [-1, 1] (no augmentation: no rng given). */
export async function realImages(
  ds: LabelledImages,
  imageSize: number,
  count: number,
  seed: number,
): Promise<ImageBatch> {
  const { images, labels, targets } = makeBatch(ds, pickIndices(ds.count, count, seed), imageSize);
  tf.dispose([labels, ...(targets ? [targets] : [])]);
  const [n, h, w, c] = images.shape;
  // takeFloats frees the images.
  return { data: await takeFloats(images), n, h, w, c };
}

export async function swdScorer(ctx: QualityContext): Promise<SampleScorer | undefined> {
  // Families drawing from noise only: translators are scored on held-out pairs instead (heldOut.ts).
  if (!ctx.family.info.latent) return undefined;
  const real = await realImages(ctx.ds, ctx.spec.imageSize, SWD_REAL_IMAGES, ctx.seed);
  const ref = SwdReference.fromImages(real, { descriptors: SWD_DESCRIPTORS, seed: ctx.seed });
  return { score: (images) => ref.score(images) };
}
