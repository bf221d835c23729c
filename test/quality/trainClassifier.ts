// Trains the small classifiers shipped in models/classifiers/<dataset>/ (the `recognised` and
// `fd` scores of MNIST and Fashion-MNIST runs; src/trainer/train/quality/classifier.ts). Trains
// on the train split only, measures accuracy on the official test split, and stores the test
// split's feature statistics (the fd reference) and the fd a real sample set gets (its floor).
//   node scripts/train-classifier.mjs mnist|fashion-mnist [--epochs 4] [--seed 1]
//     [--fashion-path /usr/share/datasets/fashion-mnist]   (Debian: apt-get install dataset-fashion-mnist)
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { loadFashionMnist, loadMnist, imagesToTensor, type LabelledImages } from '../../src/trainer/data/mnist';
import { initBackend } from '../../src/trainer/engine/backend';
import { saveModel } from '../../src/trainer/engine/modelIO';
import { installAsMathRandom, Rng } from '../../src/trainer/engine/rng';
import { classify, FEATURE_LAYER, loadClassifier, type Classifier } from '../../src/trainer/train/quality/classifier';
import { moments } from '../../src/trainer/train/quality/frechet';

/** Two small conv blocks + a 64-unit feature layer: ~57k weights (~230 kB float32). */
export function buildClassifier(): tf.Sequential {
  const m = tf.sequential();
  m.add(tf.layers.conv2d({ inputShape: [28, 28, 1], filters: 16, kernelSize: 3, activation: 'relu' }));
  m.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  m.add(tf.layers.conv2d({ filters: 32, kernelSize: 3, activation: 'relu' }));
  m.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  m.add(tf.layers.flatten());
  m.add(tf.layers.dropout({ rate: 0.25 }));
  m.add(tf.layers.dense({ units: 64, activation: 'relu', name: FEATURE_LAYER }));
  m.add(tf.layers.dense({ units: 10, activation: 'softmax', name: 'classes' }));
  m.compile({ optimizer: tf.train.adam(1e-3), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return m;
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

/** Trains on `train`; Math.random is the seeded stream meanwhile (initial weights, shuffling). */
async function fit(
  train: LabelledImages,
  epochs: number,
  seed: number,
  log: (s: string) => void,
): Promise<tf.Sequential> {
  const restore = installAsMathRandom(new Rng(seed, 0));
  try {
    const model = buildClassifier();
    const x = imagesToTensor(train, range(train.count));
    const y = tf.oneHot(tf.tensor1d(Array.from(train.labels), 'int32'), 10);
    await model.fit(x, y, {
      epochs,
      batchSize: 128,
      shuffle: true,
      verbose: 0,
      callbacks: {
        onEpochEnd: (e, l) => log(`epoch ${e + 1}/${epochs}: loss ${l?.loss?.toFixed(4)} acc ${l?.acc?.toFixed(4)}`),
      },
    });
    tf.dispose([x, y]);
    return model;
  } finally {
    restore();
  }
}

/** Features and predictions of a whole split, through the product's code path, in chunks. */
async function classifySplit(
  c: Classifier,
  ds: LabelledImages,
): Promise<{ features: Float32Array; predicted: Int32Array }> {
  const d = c.info.featureDim;
  const features = new Float32Array(ds.count * d);
  const predicted = new Int32Array(ds.count);
  for (let i = 0; i < ds.count; i += 1000) {
    const idx = range(Math.min(1000, ds.count - i)).map((k) => i + k);
    const x = imagesToTensor(ds, idx);
    const r = await classify(c, x);
    x.dispose();
    features.set(r.features, i * d);
    predicted.set(r.predicted, i);
  }
  return { features, predicted };
}

/** Mean fd of `draws` random sets of n real images against the reference: what a perfect generator scores. */
function fdFloor(c: Classifier, features: Float32Array, count: number, n: number, rng: Rng, draws = 10): number {
  const d = c.info.featureDim;
  let sum = 0;
  for (let k = 0; k < draws; k++) {
    const rows = new Float32Array(n * d);
    for (let i = 0; i < n; i++) {
      const r = rng.int(count);
      rows.set(features.subarray(r * d, r * d + d), i * d);
    }
    sum += c.reference.distance(moments(rows, n, d));
  }
  return +(sum / draws).toFixed(3);
}

function loadSplits(kind: string, fashionPath: string): { train: LabelledImages; test: LabelledImages } {
  if (kind === 'mnist') return { train: loadMnist('train'), test: loadMnist('test') };
  const load = (split: 'train' | 'test') => loadFashionMnist({ path: fashionPath, split, searchFrom: process.cwd() });
  return { train: load('train'), test: load('test') };
}

async function main(): Promise<void> {
  const { values: o, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      epochs: { type: 'string', default: '4' },
      seed: { type: 'string', default: '1' },
      'fashion-path': { type: 'string', default: '/usr/share/datasets/fashion-mnist' },
    },
  });
  const kind = positionals[0] ?? 'mnist';
  if (kind !== 'mnist' && kind !== 'fashion-mnist')
    throw new Error(`unknown data set "${kind}" (mnist or fashion-mnist)`);
  const log = (s: string) => process.stderr.write(`${kind}: ${s}\n`);
  const epochs = Number(o.epochs);
  const seed = Number(o.seed);
  const backend = await initBackend('native');
  const { train, test } = loadSplits(kind, o['fashion-path']!);
  const started = Date.now();
  const model = await fit(train, epochs, seed, log);
  const dir = path.resolve('models', 'classifiers', kind);
  fs.rmSync(dir, { recursive: true, force: true });
  await saveModel(model, dir);
  model.dispose();
  const d = 64;
  // A placeholder reference lets the saved model load through loadClassifier; the real one follows.
  fs.writeFileSync(path.join(dir, 'reference.bin'), new Uint8Array(4 * (d + d * d)));
  const reference = { file: 'reference.bin', split: 'test', images: test.count };
  const info = { dataset: kind, testAccuracy: 0, featureDim: d, reference };
  fs.writeFileSync(path.join(dir, 'training.json'), JSON.stringify(info));
  let c = await loadClassifier(dir);
  const t = await classifySplit(c, test);
  const hits = t.predicted.reduce((a, p, i) => a + (p === test.labels[i] ? 1 : 0), 0);
  const m = moments(t.features, test.count, d);
  fs.writeFileSync(path.join(dir, 'reference.bin'), new Uint8Array(Float32Array.from([...m.mean, ...m.cov]).buffer));
  c.dispose();
  c = await loadClassifier(dir);
  const rng = new Rng(seed, 3);
  const tr = await classifySplit(c, { ...train, count: 10000 });
  const full = {
    ...info,
    testAccuracy: +(hits / test.count).toFixed(4),
    classes: test.classNames,
    train: {
      split: 'train',
      images: train.count,
      epochs,
      batchSize: 128,
      optimizer: 'adam 1e-3',
      seed,
      backend,
      minutes: +((Date.now() - started) / 60000).toFixed(1),
    },
    // fd of real images: random test (and train) sets of the sizes a run's sample grid has.
    fdFloor: Object.fromEntries(
      [64, 100].map((n) => [
        n,
        { test: fdFloor(c, t.features, test.count, n, rng), train: fdFloor(c, tr.features, 10000, n, rng) },
      ]),
    ),
    trainedWith: 'scripts/train-classifier.mjs (test/quality/trainClassifier.ts)',
    time: new Date().toISOString(),
  };
  c.dispose();
  fs.writeFileSync(path.join(dir, 'training.json'), `${JSON.stringify(full, null, 2)}\n`);
  log(`test accuracy ${(full.testAccuracy * 100).toFixed(2)}%, fd floor ${JSON.stringify(full.fdFloor)}, ${dir}`);
}

main().catch((e) => {
  process.stderr.write(`trainClassifier: ${(e as Error).stack}\n`);
  process.exit(2);
});
