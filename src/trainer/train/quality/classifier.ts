// The small classifiers this project trains and ships (models/classifiers/<dataset>/, made by
// scripts/train-classifier.mjs) and the two scores they give a run on MNIST or Fashion-MNIST:
//   recognised  conditional runs: the share of samples the classifier reads as the class asked for
//   fd          the Fréchet distance between the classifier's penultimate-layer features of the
//               samples and of the official test split (shipped as reference.bin); lower is better
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import type { DatasetKind } from '../../../shared/config';
import { loadModel } from '../../engine/modelIO';
import { takeFloats } from '../../engine/read';
import { findPackageDir } from '../../infer/srModels';
import { FrechetReference, moments } from './frechet';

/** Data sets with a shipped classifier (the folder names under models/classifiers/). */
export const CLASSIFIED_DATASETS: readonly DatasetKind[] = ['mnist', 'fashion-mnist'];
/** The layer whose output is the feature vector (named so by the training script). */
export const FEATURE_LAYER = 'features';
export const CLASSIFIER_SIZE = 28;

/** models/classifiers/<kind>/training.json (what the training script measured). */
export interface ClassifierInfo {
  dataset: string;
  testAccuracy: number;
  featureDim: number;
  /** reference.bin: float32 mean (featureDim) then covariance (featureDim^2) of the test split's features. */
  reference: { file: string; split: string; images: number };
  [k: string]: unknown;
}

export interface Classifier {
  readonly info: ClassifierInfo;
  /** Outputs [features, class probabilities]. */
  readonly net: tf.LayersModel;
  readonly reference: FrechetReference;
  dispose(): void;
}

/** The shipped classifier's folder for a data set kind, or undefined when not installed. */
export function classifierDir(kind: DatasetKind): string | undefined {
  if (!CLASSIFIED_DATASETS.includes(kind)) return undefined;
  const dir = findPackageDir(path.join('models', 'classifiers', kind));
  return dir && fs.existsSync(path.join(dir, 'model.json')) ? dir : undefined;
}

/** Loads a classifier folder: the network (with its feature layer as a second output) and its reference statistics. */
export async function loadClassifier(dir: string): Promise<Classifier> {
  const info = JSON.parse(fs.readFileSync(path.join(dir, 'training.json'), 'utf8')) as ClassifierInfo;
  const model = await loadModel(dir);
  const net = tf.model({
    inputs: model.inputs,
    outputs: [model.getLayer(FEATURE_LAYER).output as tf.SymbolicTensor, model.outputs[0]],
  });
  const d = info.featureDim;
  const raw = fs.readFileSync(path.join(dir, info.reference.file));
  const floats = new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength));
  if (floats.length !== d + d * d)
    throw new Error(`${dir}/${info.reference.file}: expected ${d + d * d} floats, got ${floats.length}`);
  const reference = new FrechetReference({
    d,
    mean: Float64Array.from(floats.subarray(0, d)),
    cov: Float64Array.from(floats.subarray(d)),
  });
  return { info, net, reference, dispose: () => model.dispose() };
}

/** Images in [-1, 1] (any size, 1 or 3 channels) as the classifier's 28x28 grey input. */
function toClassifierInput(images: tf.Tensor4D): tf.Tensor4D {
  let x = images.shape[3] === 1 ? images : (images.mean(3, true) as tf.Tensor4D);
  if (x.shape[1] !== CLASSIFIER_SIZE || x.shape[2] !== CLASSIFIER_SIZE)
    x = tf.image.resizeBilinear(x, [CLASSIFIER_SIZE, CLASSIFIER_SIZE], true);
  return x;
}

/** Features [n, d] and predicted classes of images in [-1, 1]; `images` is not disposed. */
export async function classify(
  c: Classifier,
  images: tf.Tensor4D,
): Promise<{ features: Float32Array; predicted: Int32Array }> {
  const [f, p] = tf.tidy(() => {
    const [feat, probs] = c.net.predict(toClassifierInput(images)) as tf.Tensor[];
    return [feat, probs.argMax(-1).toInt()];
  });
  const [features, predicted] = await Promise.all([takeFloats(f), p.data().finally(() => p.dispose())]);
  return { features, predicted: predicted as Int32Array };
}

/** The scores of one set of samples; `asked`: the class each sample was drawn for (conditional runs). */
export async function classifierScores(
  c: Classifier,
  images: tf.Tensor4D,
  asked?: ArrayLike<number>,
): Promise<Record<string, number>> {
  const { features, predicted } = await classify(c, images);
  const n = predicted.length;
  const fd = c.reference.distance(moments(features, n, c.info.featureDim));
  if (!asked) return { fd };
  let hits = 0;
  for (let i = 0; i < n; i++) if (predicted[i] === asked[i]) hits++;
  return { recognised: hits / n, fd };
}
