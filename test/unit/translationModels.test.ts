// pix2pix and CycleGAN networks against their papers: the PatchGAN's 70x70 receptive field
// (from its layers and measured by gradients) and 30x30 patches at 256, the U-Net's skips
// and always-on dropout, the ResNet generator's block counts from the config defaults, and
// the size rules with their messages.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { ConfigError, resolveConfig } from '../../src/shared/config';
import { initBackend } from '../../src/trainer/engine/backend';
import { buildCycleGan } from '../../src/trainer/models/cyclegan';
import type { ModelSpec } from '../../src/trainer/models/family';
import { buildPix2pix } from '../../src/trainer/models/pix2pix';
import { buildPatchGan, receptiveField } from '../../src/trainer/models/blocks/patchGan';
import { buildResnetGenerator, residualBlockCount } from '../../src/trainer/models/cyclegan/resnetGenerator';
import { buildUnet, unetDepth } from '../../src/trainer/models/pix2pix/unet';
import { runGenerator } from '../../src/trainer/models/common/imageToImage';

before(async () => {
  await initBackend('native', { threads: 1 });
});

const shapeOf = (t: tf.SymbolicTensor | tf.SymbolicTensor[]) => (Array.isArray(t) ? t[0] : t).shape.slice(1);

function specFor(model: 'pix2pix' | 'cyclegan', extra: Record<string, unknown>): ModelSpec {
  const cfg = resolveConfig(
    {
      model,
      dataset: model === 'pix2pix' ? { kind: 'paired', path: 'x' } : { kind: 'unpaired', pathA: 'a', pathB: 'b' },
      ...extra,
    },
    '/cfg',
  );
  return { imageSize: cfg.imageSize, channels: 3, numClasses: 0, params: cfg.params };
}

test('patchgan: receptive field 70 from its layers, for pix2pix (batch norm) and CycleGAN (instance norm) alike', () => {
  const nets = [
    ...Object.values(buildPix2pix(specFor('pix2pix', { imageSize: 64, params: { ngf: 2, ndf: 2 } }))),
    ...Object.values(
      buildCycleGan(specFor('cyclegan', { imageSize: 64, params: { ngf: 2, ndf: 2, residualBlocks: 1 } })),
    ),
  ];
  const ds = nets.filter((m) => m.name.startsWith('patchgan'));
  assert.equal(ds.length, 3);
  for (const d of ds) assert.deepEqual(receptiveField(d), { size: 70, stride: 8 });
  for (const m of nets) m.dispose();
  // Fewer or more stride-2 blocks give the paper's other patch sizes (its Table 3: 1, 16, 70, 286 ...).
  assert.equal(
    receptiveField(buildPatchGan({ imageSize: 64, channels: 3, conditionChannels: 0, ndf: 2, norm: 'none', layers: 1 }))
      .size,
    16,
  );
});

test('patchgan: one output sees exactly a 70x70 patch (gradient support), 30x30 patches at 256, the pair on 6 channels', () => {
  // No norm here: batch statistics would couple every pixel to every output.
  const d = buildPatchGan({ imageSize: 128, channels: 3, conditionChannels: 3, ndf: 2, norm: 'none' });
  assert.deepEqual(d.getLayer('pair').outputShape.slice(1), [128, 128, 6], 'D judges (input, output) concatenated');
  const grad = tf.tidy(() => {
    const cond = tf.randomNormal([1, 128, 128, 3], 0, 1, 'float32', 1),
      img = tf.randomNormal([1, 128, 128, 3], 0, 1, 'float32', 2);
    const g = tf.grad((x: tf.Tensor) => {
      const y = d.apply([cond, x]) as tf.Tensor;
      return tf.slice(y, [0, 7, 7, 0], [1, 1, 1, 1]).sum();
    })(img);
    return tf.sum(tf.abs(g), [0, 3]).arraySync() as number[][];
  });
  const rows = grad.map((r, i) => (r.some((v) => v !== 0) ? i : -1)).filter((i) => i >= 0);
  const cols = grad[0].map((_, j) => (grad.some((r) => r[j] !== 0) ? j : -1)).filter((j) => j >= 0);
  assert.equal(rows.length, 70, `rows ${rows[0]}..${rows.at(-1)}`);
  assert.equal(cols.length, 70);
  assert.equal(rows.at(-1)! - rows[0] + 1, 70, 'one contiguous patch');
  d.dispose();
  const d256 = buildPatchGan({ imageSize: 256, channels: 3, conditionChannels: 3, ndf: 1, norm: 'batch' });
  assert.deepEqual(shapeOf(d256.outputs), [30, 30, 1]);
  d256.dispose();
});

test('unet: 8 halvings at 256 down to 1x1, skips join equal sizes, paper widths, dropout 0.5 in the first three decoder blocks', () => {
  assert.deepEqual([256, 128, 64, 96, 192, 512, 100, 48].map(unetDepth), [8, 7, 6, 5, 6, 8, 0, 0]);
  const ngf = 2;
  const g = buildUnet({ imageSize: 256, inChannels: 3, outChannels: 3, ngf, dropout: 0.5, norm: 'batch' });
  const widths = [1, 2, 4, 8, 8, 8, 8, 8].map((k) => k * ngf);
  for (let i = 1; i <= 8; i++)
    assert.deepEqual(g.getLayer(`down_${i}`).outputShape.slice(1), [256 >> i, 256 >> i, widths[i - 1]], `down_${i}`);
  for (let k = 1; k <= 7; k++) {
    const skip = g.getLayer(`skip_${k}`);
    const ins = (skip.inboundNodes[0].inputTensors as tf.SymbolicTensor[]).map((t) => t.shape.slice(1));
    assert.deepEqual(ins[0], ins[1], `skip_${k} joins decoder and encoder maps of one shape`);
    assert.deepEqual(ins[1], [256 >> k, 256 >> k, widths[k - 1]]);
  }
  const drops = g.layers.filter((l) => l.getClassName() === 'AlwaysDropout');
  assert.deepEqual(
    drops.map((l) => l.name),
    ['up_8_dropout', 'up_7_dropout', 'up_6_dropout'],
  );
  assert.ok(drops.every((l) => (l.getConfig() as { rate: number }).rate === 0.5));
  assert.deepEqual(shapeOf(g.outputs), [256, 256, 3]);
  g.dispose();
});

test('unet: dropout stays on at inference (predict twice, two outputs); batch-norm-free innermost block', () => {
  const g = buildUnet({ imageSize: 32, inChannels: 3, outChannels: 3, ngf: 4, dropout: 0.5, norm: 'batch' });
  assert.throws(() => g.getLayer('down_5_norm'), /No such layer/);
  const x = tf.randomNormal([1, 32, 32, 3], 0, 1, 'float32', 3);
  // Inference as the paper runs it: batch norm on the image's own statistics (see runGenerator).
  const [a, b] = [runGenerator(g, x as tf.Tensor4D, true), runGenerator(g, x as tf.Tensor4D, true)];
  const [pa, pb] = [g.predict(x), g.predict(x)] as tf.Tensor[];
  assert.ok(tf.max(tf.abs(tf.sub(a, b))).dataSync()[0] > 1e-3, 'dropout noise at test time');
  assert.ok(tf.max(tf.abs(tf.sub(pa, pb))).dataSync()[0] > 0, 'predict() too: the saved model keeps its dropout');
  tf.dispose([x, a, b, pa, pb]);
  g.dispose();
});

test('resnet generator: 6 residual blocks at 128, 9 at 256 (config defaults), reflection padding and instance norm', () => {
  assert.equal(specFor('cyclegan', { imageSize: 128 }).params.residualBlocks, 6);
  assert.equal(specFor('cyclegan', { imageSize: 64 }).params.residualBlocks, 6);
  assert.equal(specFor('cyclegan', { imageSize: 256 }).params.residualBlocks, 9);
  assert.equal(
    specFor('cyclegan', { imageSize: 256, params: { residualBlocks: 3 } }).params.residualBlocks,
    3,
    'a value in the file wins',
  );
  for (const [size, blocks] of [
    [128, 6],
    [256, 9],
  ]) {
    const g = buildResnetGenerator({ imageSize: size, channels: 3, ngf: 1, blocks, norm: 'instance' });
    assert.equal(residualBlockCount(g), blocks);
    const count = (cls: string) => g.layers.filter((l) => l.getClassName() === cls).length;
    assert.equal(count('ReflectionPadding2D'), 2 + 2 * blocks, 'c7s1 in and out, two per block');
    assert.equal(count('InstanceNormalization'), 3 + 2 * blocks + 2);
    assert.deepEqual(g.getLayer(`res_${blocks}_add`).outputShape.slice(1), [size / 4, size / 4, 4]);
    assert.deepEqual(shapeOf(g.outputs), [size, size, 3]);
    g.dispose();
  }
});

test('config: paper defaults for pix2pix and CycleGAN; sizes that do not fit are refused with the reason', () => {
  const p = resolveConfig({ model: 'pix2pix', dataset: { kind: 'paired', path: 'x' } }, '/cfg');
  assert.equal(p.imageSize, 256);
  assert.equal(p.batchSize, 1);
  assert.equal(p.params.lambdaL1, 100);
  assert.equal(p.params.dropout, 0.5);
  assert.deepEqual(p.optimizer, { lr: 0.0002, beta1: 0.5, beta2: 0.999 });
  assert.equal(p.dataset.kind === 'paired' && p.dataset.jitter && p.dataset.flip && p.dataset.direction, 'AtoB');
  assert.equal(p.params.norm, 'batch', 'batch norm at batch size 1 (the paper)');
  const norm = (model: string, extra: Record<string, unknown>) =>
    resolveConfig({ model, dataset: { kind: 'paired', path: 'x' }, ...extra }, '/cfg').params.norm;
  assert.equal(
    norm('pix2pix', { batchSize: 8 }),
    'instance',
    'larger batches: instance norm, so one image at inference sees the statistics it was trained with',
  );
  assert.equal(norm('pix2pix', { batchSize: 8, params: { norm: 'batch' } }), 'batch', 'a value in the file wins');
  assert.equal(norm('cyclegan', {}), 'instance');
  const c = resolveConfig(
    { model: 'cyclegan', steps: 2000, dataset: { kind: 'unpaired', pathA: 'a', pathB: 'b' } },
    '/cfg',
  );
  assert.equal(c.params.lambdaCycle, 10);
  assert.equal(c.params.lambdaIdentity, 0.5);
  assert.equal(c.params.poolSize, 50);
  assert.equal(c.params.decayFrom, 1000, 'constant for the first half');
  const problem = (raw: unknown) => {
    try {
      resolveConfig(raw, '/cfg');
    } catch (e) {
      assert.ok(e instanceof ConfigError);
      return e.problems.join('\n');
    }
    return assert.fail('accepted');
  };
  assert.match(
    problem({ model: 'pix2pix', imageSize: 100, dataset: { kind: 'paired', path: 'x' } }),
    /"imageSize" 100 does not fit model "pix2pix": its U-Net halves the image 5 to 8 times, so the size must be a multiple of 32 \(use 96 or 128/,
  );
  assert.match(
    problem({ model: 'cyclegan', imageSize: 66, dataset: { kind: 'unpaired', pathA: 'a', pathB: 'b' } }),
    /multiple of 4 \(use 64 or 68/,
  );
  assert.match(
    problem({ model: 'pix2pix', dataset: { kind: 'unpaired', pathA: 'a', pathB: 'b' } }),
    /model "pix2pix" needs paired data/,
  );
  assert.match(
    problem({ model: 'cyclegan', dataset: { kind: 'paired', path: 'x', make: 'sepia' } }),
    /"dataset.make" must be one of "grayscale", "edges", "blurred"/,
  );
});
