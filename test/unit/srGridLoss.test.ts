// srgan params.lambdaGrid: the loss on the error's PixelShuffle grid. It sees an offset per
// output phase (the faint 4-pixel grid of a drifting LR-space generator) and nothing else, and
// a GAN step with it on reports it and pulls a grid out of the generator.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../src/trainer/engine/backend';
import { resolveConfig } from '../../src/shared/config';
import { Rng } from '../../src/trainer/engine/rng';
import type { ModelSpec, Optimizers } from '../../src/trainer/models/family';
import { srgan, gridLoss } from '../../src/trainer/models/srgan';
import { bicubicDownsample } from '../../src/trainer/models/blocks/bicubic';
import { texture } from './srHelpers';

before(async () => {
  await initBackend('cpu');
});

/** A 4x4 offset per phase, mean 0, tiled over [1, size, size, 3]. */
function gridOf(size: number): { grid: tf.Tensor4D; meanAbs: number } {
  const phase = Array.from({ length: 16 }, (_, i) => ((i * 7) % 16) / 100 - 0.075);
  const data = new Float32Array(size * size * 3);
  for (let y = 0; y < size; y++)
    for (let x = 0; x < size; x++) data.fill(phase[(y % 4) * 4 + (x % 4)], (y * size + x) * 3, (y * size + x) * 3 + 3);
  return { grid: tf.tensor4d(data, [1, size, size, 3]), meanAbs: phase.reduce((a, v) => a + Math.abs(v), 0) / 16 };
}

/** A textured photo-like HR crop in [-1, 1]. */
function photo(size: number): tf.Tensor4D {
  const img = texture(size, size, 3, 2);
  return tf.tidy(() =>
    tf.tensor4d(
      Float32Array.from(img.data, (v) => v / 127.5 - 1),
      [1, size, size, 3],
    ),
  );
}

test('sr grid loss: an offset per output phase scores its size; content errors and a uniform shift score 0', () => {
  const hr = photo(32);
  const { grid, meanAbs } = gridOf(32);
  const value = (sr: tf.Tensor) => tf.tidy(() => gridLoss(sr, hr, 4).dataSync()[0]);
  assert.ok(Math.abs(value(tf.add(hr, grid)) - meanAbs) < 1e-6, 'the grid is measured at its size');
  assert.ok(value(tf.add(hr, 0.2)) < 1e-7, 'a uniform shift is no grid');
  assert.ok(value(hr) < 1e-7);
  // An error that follows the picture (a darker copy) mostly averages out over the phases (8x8
  // samples each here; this texture's fine stripes leave about 2% of the grid's score).
  assert.ok(
    value(tf.mul(hr, 0.7)) < 0.05 * value(tf.add(hr, grid)),
    `content is not a grid: ${value(tf.mul(hr, 0.7))} against ${value(tf.add(hr, grid))}`,
  );
  tf.dispose([hr, grid]);
});

function tinySpec(lambdaGrid: number): ModelSpec {
  const cfg = resolveConfig(
    {
      model: 'srgan',
      imageSize: 32,
      dataset: { kind: 'sr', path: 'x' },
      params: {
        ngf: 8,
        ndf: 4,
        residualBlocks: 1,
        srBatchNorm: false,
        srUpsampler: 'lr',
        pretrainSteps: 0,
        lambdaAdv: 0.01,
        lambdaGrid,
      },
    },
    '/',
  );
  return { imageSize: 32, channels: 3, numClasses: 0, scale: 4, params: cfg.params };
}

test('srgan: lambdaGrid defaults to 0; on, the GAN step reports gridLoss, pulls a grid out and leaks nothing', async () => {
  assert.equal(tinySpec(0).params.lambdaGrid, 0);
  const hr = photo(32);
  const labels = tf.zeros([1, 0]) as tf.Tensor2D;
  const gridAfter = async (lambdaGrid: number) => {
    const spec = tinySpec(lambdaGrid);
    const nets = srgan.build(spec);
    const last = nets.generator.getLayer('to_rgb');
    // A generator with a grid: its last conv's bias (48 = 3 colours x 16 phases, before the
    // PixelShuffle) puts an offset on each output phase.
    const [kernel, bias] = last.getWeights();
    last.setWeights([kernel, tf.tensor1d(Array.from({ length: bias.size }, (_, i) => ((i * 5) % 7) * 0.02))]);
    const optimizers: Optimizers = { generator: tf.train.adam(1e-3), discriminator: tf.train.adam(1e-3) };
    const ctx = { nets, optimizers, spec, rng: new Rng(3) };
    const r0 = await srgan.trainStep(ctx, { images: hr, labels });
    const n0 = tf.memory().numTensors;
    let r = r0;
    for (let i = 0; i < 30; i++) r = await srgan.trainStep(ctx, { images: hr, labels });
    assert.equal(tf.memory().numTensors, n0, 'tensors per step');
    const measured = tf.tidy(
      () => gridLoss(nets.generator.apply(bicubicDownsample(hr, 4)) as tf.Tensor, hr, 4).dataSync()[0],
    );
    for (const m of Object.values(nets)) m.dispose();
    for (const o of Object.values(optimizers)) o.dispose();
    return { first: r0.losses.gridLoss, last: r.losses.gridLoss, measured };
  };
  const off = await gridAfter(0);
  assert.equal(off.first, undefined, 'no gridLoss reported when it is off');
  const on = await gridAfter(5);
  assert.ok(Number.isFinite(on.first) && on.first > 0, `gridLoss ${on.first}`);
  assert.ok(on.last < 0.5 * on.first, `gridLoss ${on.first} -> ${on.last}`);
  assert.ok(
    on.measured < 0.5 * off.measured,
    `grid after 31 steps: ${on.measured} with the loss, ${off.measured} without`,
  );
  tf.dispose([hr, labels]);
});
