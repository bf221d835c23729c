// Quality scores of a run's fixed-noise samples, computed at every sample step (and by
// `gan sample --stats`) and written into that step's metrics line under "scores", which the
// dashboard charts as "Sample quality".
//
// THE HOOK for new scores (e.g. a classifier's): write a ScorerFactory and add it to SCORERS;
// session and CLI code stay as they are. A factory runs once per run with the run's context
// and returns undefined when its score does not apply (say, another data set); score() gets
// the sample grid as plain floats in [-1, 1] and returns named numbers. Names must be unique
// across scorers and should say which way is better in README.md. Keep a score cheap (it runs
// at every sample step), deterministic for a seed, and free every tensor it makes.
import type { LabelledImages } from '../../data';
import type { ImageBatch } from '../../engine/imageGrid';
import type { ModelFamily, ModelSpec } from '../../models/family';
import { classifierScorer } from './classifierScorer';
import { swdScorer } from './swdScorer';

export interface QualityContext {
  family: ModelFamily;
  /** The training data (scorers pick their own fixed, seeded subset). */
  ds: LabelledImages;
  spec: ModelSpec;
  /** The run's seed: a scorer's random choices come from it. */
  seed: number;
}

export interface SampleScorer {
  /** `asked`: conditional families, the class each image was drawn for; absent: the run's grid. */
  score(images: ImageBatch, asked?: ArrayLike<number>): Promise<Record<string, number>> | Record<string, number>;
  dispose?(): void;
}

export type ScorerFactory = (ctx: QualityContext) => Promise<SampleScorer | undefined> | SampleScorer | undefined;

/** Every score a run computes, in the order they appear in the metrics line. */
export const SCORERS: ScorerFactory[] = [swdScorer, classifierScorer];

export interface SampleScoring {
  /** The named numbers of every scorer for one sample grid. */
  scoreSamples(images: ImageBatch, asked?: ArrayLike<number>): Promise<Record<string, number>>;
  dispose(): void;
}

/** The scorers that apply to this run, or undefined when none does. */
export async function makeScoring(
  ctx: QualityContext,
  factories: readonly ScorerFactory[] = SCORERS,
): Promise<SampleScoring | undefined> {
  const scorers: SampleScorer[] = [];
  for (const make of factories) {
    const s = await make(ctx);
    if (s) scorers.push(s);
  }
  if (!scorers.length) return undefined;
  return {
    async scoreSamples(images, asked) {
      const out: Record<string, number> = {};
      for (const s of scorers) Object.assign(out, await s.score(images, asked));
      return out;
    },
    dispose: () => scorers.forEach((s) => s.dispose?.()),
  };
}
