// The generator's weight average (params.emaDecay): the arithmetic, what a run saves, that it
// leaves the training itself unchanged, that the sample grids come from it, and a resume
// without it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { gan } from '../../src/trainer/models/gan';
import { runTraining } from '../../src/trainer/train/run';
import { decayAt, WeightAverages } from '../../src/trainer/train/weightAverage';
import { lossesOf, readMetrics, tmpDir, writeConfig } from './helpers';

const cpu = { backend: 'cpu' as const };
const spec = { imageSize: 28, channels: 1, numClasses: 0, params: { latentDim: 4, ngf: 2, ndf: 2 } } as never;

test('weight average: each update moves the average (1 - decay) of the way to the live weights', async () => {
  await tf.setBackend('cpu');
  const nets = gan.build(spec);
  const averages = await WeightAverages.attach(gan, nets, 0.9);
  assert.ok(averages && nets.generatorEma, 'the average is a network of its own');
  const before = nets.generatorEma.getWeights().map((w) => w.arraySync());
  assert.deepEqual(
    before,
    nets.generator.getWeights().map((w) => w.arraySync()),
    'it starts as a copy',
  );
  // New live weights: every value + 1. At a late step the decay is the configured 0.9.
  nets.generator.setWeights(nets.generator.getWeights().map((w) => tf.add(w, 1)));
  averages.update(100_000);
  const after = nets.generatorEma.getWeights().map((w) => w.dataSync());
  const live = nets.generator.getWeights().map((w) => w.dataSync());
  for (let i = 0; i < after.length; i++) {
    for (let k = 0; k < after[i].length; k++)
      assert.ok(Math.abs(after[i][k] - (0.9 * (live[i][k] - 1) + 0.1 * live[i][k])) < 1e-5);
  }
  // Early steps weigh the live network more: the random start fades out quickly.
  assert.ok(decayAt(0.999, 1) < 0.2 && decayAt(0.999, 100) < 0.92 && decayAt(0.999, 1e6) === 0.999);
  for (const m of Object.values(nets)) m.dispose();
});

test('weight average: a run saves it, samples come from it, and the losses are those of a run without it', async () => {
  const dir = tmpDir();
  const withAvg = writeConfig(dir, { steps: 4, params: { latentDim: 8, ngf: 4, ndf: 4, emaDecay: 0.99 } }, 'ema.json');
  const without = writeConfig(dir, { steps: 4, params: { latentDim: 8, ngf: 4, ndf: 4, emaDecay: 0 } }, 'plain.json');
  const a = path.join(dir, 'a'),
    b = path.join(dir, 'b');
  await runTraining({ configPath: withAvg, runDir: a, ...cpu });
  await runTraining({ configPath: without, runDir: b, ...cpu });
  assert.deepEqual(lossesOf(readMetrics(a)), lossesOf(readMetrics(b)), 'averaging changes no training step');

  const latest = (r: string) => path.join(r, 'checkpoints', 'latest');
  assert.deepEqual(JSON.parse(fs.readFileSync(path.join(latest(a), 'state.json'), 'utf8')).networks, [
    'generator',
    'discriminator',
    'generatorEma',
  ]);
  assert.ok(!fs.existsSync(path.join(latest(a), 'generatorEma', 'optimizer.json')), 'the average has no optimizer');
  assert.ok(!fs.existsSync(path.join(latest(b), 'generatorEma')));
  const weights = (r: string, net: string) => fs.readFileSync(path.join(latest(r), net, 'weights.bin'));
  assert.ok(!weights(a, 'generatorEma').equals(weights(a, 'generator')), 'the average is not the live generator');
  assert.ok(weights(a, 'generator').equals(weights(b, 'generator')));
  const grid = (r: string) => fs.readFileSync(path.join(r, 'samples', 'step-00000004.png'));
  assert.ok(!grid(a).equals(grid(b)), 'the grid is drawn by the average');

  // Resumed with averaging switched off: the stale average is dropped, samples come from the generator.
  fs.writeFileSync(withAvg, fs.readFileSync(without));
  await runTraining({ configPath: withAvg, runDir: a, resume: true, maxSteps: 5, ...cpu });
  assert.deepEqual(JSON.parse(fs.readFileSync(path.join(latest(a), 'state.json'), 'utf8')).networks, [
    'generator',
    'discriminator',
  ]);
});
