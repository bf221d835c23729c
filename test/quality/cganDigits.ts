// Acceptance check for the cGAN: does a generator trained with the default config draw the digit
// it is asked for? Trains (or takes) a run, draws 30 samples per label and reports how many the
// shipped MNIST classifier (models/classifiers/mnist) recognises: the same code as the `recognised`
// score a run logs at every sample step (src/trainer/train/quality/classifier.ts). Exit code 1 below 90%.
//   npm run test:quality -- cgan --minutes 20 [--config examples/mnist-cgan/gan.config.json] [--run-dir D]
//   npm run test:quality -- cgan --run-dir <an existing cGAN run>   (evaluate only)
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../src/trainer/engine/backend';
import { loadModel } from '../../src/trainer/engine/modelIO';
import { findResumeCheckpoint } from '../../src/trainer/train/checkpoint';
import { drawingNetwork } from '../../src/trainer/train/weightAverage';
import { CLI } from '../lib/cli';
import {
  classifierDir,
  classifierScores,
  classify,
  loadClassifier,
  type Classifier,
} from '../../src/trainer/train/quality/classifier';

const { values: o } = parseArgs({
  options: {
    minutes: { type: 'string' },
    config: { type: 'string', default: 'examples/mnist-cgan/gan.config.json' },
    'run-dir': { type: 'string', default: 'out/quality/cgan-run' },
    'per-label': { type: 'string', default: '30' },
    threshold: { type: 'string', default: '0.9' },
    // Instead of the run's newest checkpoint: these checkpoint folders, one classifier for all.
    checkpoint: { type: 'string', multiple: true },
  },
});
const log = (s: string) => process.stderr.write(`${s}\n`);

/** Trains with the CLI for `minutes`, then SIGINT (checkpoint then exit), as a user would stop it. */
async function train(runDir: string, minutes: number): Promise<void> {
  fs.rmSync(runDir, { recursive: true, force: true });
  log(`training ${o.config} for ${minutes} min into ${runDir}`);
  const child = spawn(process.execPath, [CLI, 'train', o.config!, '--run-dir', runDir], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const timer = setTimeout(() => child.kill('SIGINT'), minutes * 60_000);
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  clearTimeout(timer);
  if (code !== 0) throw new Error(`gan train exited with ${code}`);
}

/** 30 samples (per-label) of each digit from a checkpoint's generator; the share recognised. */
async function evaluate(ckptDir: string, net: string, classifier: Classifier) {
  const G = await loadModel(path.join(ckptDir, net));
  const perLabel = Number(o['per-label']);
  const latentDim = G.inputs[0].shape[1] as number;
  const labels = Array.from({ length: 10 * perLabel }, (_, i) => Math.floor(i / perLabel));
  const images = tf.tidy(() => {
    const z = tf.randomNormal([labels.length, latentDim], 0, 1, 'float32', 7);
    const y = tf.oneHot(tf.tensor1d(labels, 'int32'), 10).toFloat();
    return G.predict([z, y]) as tf.Tensor4D;
  });
  G.dispose();
  const { recognised, fd } = await classifierScores(classifier, images, labels);
  const { predicted } = await classify(classifier, images);
  images.dispose();
  const hits = Array.from({ length: 10 }, (_, k) => labels.filter((l, i) => l === k && predicted[i] === k).length);
  return {
    samples: labels.length,
    accuracy: recognised,
    fd: +fd.toFixed(3),
    perLabel: Object.fromEntries(hits.map((h, k) => [k, h / perLabel])),
  };
}

async function main(): Promise<void> {
  const runDir = path.resolve(o['run-dir']!);
  if (o.minutes) await train(runDir, Number(o.minutes));
  await initBackend('native');
  const ckpts = o.checkpoint?.length ? o.checkpoint.map((d) => path.resolve(d)) : [findResumeCheckpoint(runDir)?.dir];
  if (!ckpts[0]) throw new Error(`${runDir}: no checkpoint to evaluate`);

  const dir = classifierDir('mnist');
  if (!dir) throw new Error('models/classifiers/mnist is missing (node scripts/train-classifier.mjs mnist)');
  const classifier = await loadClassifier(dir);
  const testAccuracy = classifier.info.testAccuracy;
  log(`shipped classifier, accuracy on the MNIST test split: ${(testAccuracy * 100).toFixed(2)}%`);
  const threshold = Number(o.threshold);
  let worst = 1;
  for (const dir of ckpts as string[]) {
    const state = JSON.parse(fs.readFileSync(path.join(dir, 'state.json'), 'utf8')) as {
      step: number;
      networks: string[];
    };
    // What a user gets from `gan sample` is judged: the weight average when the run kept one.
    // The live generator is reported beside it, for comparison only.
    const judged = drawingNetwork('generator', state.networks);
    for (const net of judged === 'generator' ? [judged] : [judged, 'generator']) {
      const r = await evaluate(dir, net, classifier);
      console.log(
        JSON.stringify({
          checkpoint: dir,
          network: net,
          step: state.step,
          ...r,
          accuracy: +r.accuracy.toFixed(4),
          classifierTestAccuracy: +testAccuracy.toFixed(4),
        }),
      );
      if (net !== judged) continue;
      if (r.accuracy < threshold)
        log(`FAILED: ${dir}: ${(r.accuracy * 100).toFixed(1)}% recognised, below ${threshold * 100}%`);
      worst = Math.min(worst, r.accuracy);
    }
  }
  process.exitCode = worst >= threshold ? 0 : 1;
}

main().catch((e) => {
  process.stderr.write(`cganDigits: ${(e as Error).message}\n`);
  process.exit(2);
});
