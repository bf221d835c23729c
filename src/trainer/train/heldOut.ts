// Held-out scores of image-to-image runs (pix2pix valL1, CycleGAN valCycle): the data set's
// held-out images are loaded once, scored at step 0 and at every sample step, and the scores
// go into that step's metrics line, so a run shows whether the model generalises.
import * as tf from '@tensorflow/tfjs';
import type { LabelledImages } from '../data';
import { isTranslationDataset } from '../data/translationData';
import type { ExampleImages, ModelFamily, Networks } from '../models/family';

/** At most this many held-out images are scored (a sample step should stay cheap). */
export const HELD_OUT_MAX = 32;

export interface HeldOut {
  evaluate(nets: Networks): Promise<Record<string, number>>;
  dispose(): void;
}

export function makeHeldOut(family: ModelFamily, ds: LabelledImages): HeldOut | undefined {
  if (!family.evaluate || !isTranslationDataset(ds)) return undefined;
  const data: ExampleImages | undefined = ds.heldOut(HELD_OUT_MAX);
  if (!data) return undefined;
  const evaluate = family.evaluate.bind(family);
  return {
    evaluate: (nets) => evaluate(nets, data),
    dispose: () => tf.dispose([data.images, data.targets]),
  };
}
