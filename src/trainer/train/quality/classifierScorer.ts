// The classifier scores (classifier.ts) as a sample scorer: latent runs on MNIST or
// Fashion-MNIST get `fd`, conditional ones `recognised` too.
import * as tf from '@tensorflow/tfjs';
import type { ImageBatch } from '../../engine/imageGrid';
import { installAsMathRandom, Rng } from '../../engine/rng';
import type { ModelFamily, ModelSpec } from '../../models/family';
import { classifierDir, classifierScores, loadClassifier, type Classifier } from './classifier';
import type { QualityContext, SampleScorer } from './index';

/** The class each fixed sample is drawn for, asked of the family itself (labels do not depend on the noise). */
async function gridLabels(family: ModelFamily, spec: ModelSpec): Promise<Int32Array> {
  const rng = new Rng(0, 0);
  const input = family.sampleInputs(spec, rng, family.sampleGrid(spec, rng).request);
  if (input.kind !== 'latent' || !input.labels)
    throw new Error(`${family.kind}: conditional, but its samples carry no labels`);
  const asked = tf.tidy(() => input.labels!.argMax(-1).toInt());
  tf.dispose([input.z, input.labels]);
  try {
    return (await asked.data()) as Int32Array;
  } finally {
    asked.dispose();
  }
}

/** Loading builds layers whose initialisers draw from Math.random: not from the run's seeded stream. */
async function loadAside(dir: string): Promise<Classifier> {
  const restore = installAsMathRandom(new Rng(0, 0));
  try {
    return await loadClassifier(dir);
  } finally {
    restore();
  }
}

export async function classifierScorer(ctx: QualityContext): Promise<SampleScorer | undefined> {
  if (!ctx.family.info.latent) return undefined;
  // The MNIST and Fashion-MNIST readers name their data set by its kind (others say "folder:...").
  const dir = classifierDir(ctx.ds.name as never);
  if (!dir || ctx.spec.channels !== 1) return undefined;
  const conditional = ctx.family.info.conditional && ctx.spec.numClasses === 10;
  const gridAsked = conditional ? await gridLabels(ctx.family, ctx.spec) : undefined;
  const c = await loadAside(dir);
  return {
    async score(b: ImageBatch, given?: ArrayLike<number>) {
      const images = tf.tensor4d(b.data, [b.n, b.h, b.w, b.c]);
      // Classes asked for: given by the caller (gan sample --stats), else the run's grid's.
      const labels = conditional ? (given ?? gridAsked) : undefined;
      try {
        return await classifierScores(c, images, labels?.length === b.n ? labels : undefined);
      } finally {
        images.dispose();
      }
    },
    dispose: () => c.dispose(),
  };
}
