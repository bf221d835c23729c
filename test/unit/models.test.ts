// The networks: output shapes and ranges, the DCGAN tutorial's exact sizes, cGAN inputs,
// and a save/load round trip through our IOHandlers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { configSchema, resolveConfig, type ModelKind } from '../../src/shared/config';
import { loadModel, saveModel } from '../../src/trainer/engine/modelIO';
import { Rng } from '../../src/trainer/engine/rng';
import { getFamily, UnknownModelError, type ModelSpec } from '../../src/trainer/models';
import { inputOfKind, inputTensors } from '../../src/trainer/models/family';

test.before(async () => {
  await tf.setBackend('cpu');
});

const spec = (model: 'gan' | 'dcgan' | 'cgan', params: Record<string, number> = {}, imageSize = 28): ModelSpec => ({
  imageSize,
  channels: 1,
  numClasses: model === 'cgan' ? 10 : 0,
  params: resolveConfig({ model, imageSize, params }, '/').params,
});

test("dcgan: default networks are the TensorFlow tutorial's (2,330,944 and 212,865 weights)", () => {
  const nets = getFamily('dcgan').build(spec('dcgan'));
  assert.equal(nets.generator.countParams(), 2330944);
  assert.equal(nets.discriminator.countParams(), 212865);
  const kinds = nets.generator.layers.map((l) => l.getClassName());
  assert.deepEqual(kinds.filter((k) => k === 'Conv2DTranspose').length, 3);
  Object.values(nets).forEach((m) => m.dispose());
});

for (const model of ['gan', 'dcgan', 'cgan'] as const) {
  test(`${model}: G makes [n,28,28,1] images in [-1,1]; D gives one logit per image`, () => {
    const s = spec(model, { ngf: 4, ndf: 4, latentDim: 8 });
    const fam = getFamily(model);
    const nets = fam.build(s);
    const input = inputOfKind(
      fam.sampleInputs(s, new Rng(1), { count: 5, label: model === 'cgan' ? 7 : undefined }),
      'latent',
      model,
    );
    const img = fam.generate(nets, input, s);
    assert.deepEqual(img.shape, [5, 28, 28, 1]);
    const v = img.dataSync();
    assert.ok(v.every((x) => x >= -1 && x <= 1));
    const dIn = model === 'cgan' ? [img, input.labels as tf.Tensor] : img;
    const logits = nets.discriminator.apply(dIn) as tf.Tensor;
    assert.deepEqual(logits.shape, [5, 1]);
    if (model === 'cgan') {
      assert.deepEqual(
        nets.generator.inputs.map((i) => i.shape),
        [
          [null, 8],
          [null, 10],
        ],
      );
      // the label reaches D as 10 extra channels next to the image
      const conv = nets.discriminator.layers.find((l) => l.getClassName() === 'Conv2D');
      assert.deepEqual((conv?.getWeights()[0].shape ?? []).slice(2), [11, 4]);
      assert.deepEqual(Array.from((input.labels as tf.Tensor).argMax(1).dataSync()), [7, 7, 7, 7, 7]);
    }
    tf.dispose([img, logits, ...inputTensors(input)]);
    Object.values(nets).forEach((m) => m.dispose());
  });
}

test('dcgan: other image sizes (multiple of 4)', () => {
  const s = spec('dcgan', { ngf: 2, ndf: 2, latentDim: 4 }, 32);
  const nets = getFamily('dcgan').build(s);
  const out = nets.generator.predict(tf.zeros([1, 4])) as tf.Tensor;
  assert.deepEqual(out.shape, [1, 32, 32, 1]);
  tf.dispose(out);
  Object.values(nets).forEach((m) => m.dispose());
});

test('cgan: the default sample grid is one row per label', () => {
  const s = spec('cgan', { ngf: 2, ndf: 2, latentDim: 4 });
  const fam = getFamily('cgan');
  const grid = fam.sampleGrid(s, new Rng(1));
  assert.equal(grid.cols, 10);
  const input = inputOfKind(fam.sampleInputs(s, new Rng(1), grid.request), 'latent', 'cgan');
  const labels = Array.from((input.labels as tf.Tensor).argMax(1).dataSync());
  assert.deepEqual(labels.slice(0, 10), new Array(10).fill(0));
  assert.deepEqual(labels.slice(90), new Array(10).fill(9));
  tf.dispose(inputTensors(input));
});

test('every model the config schema offers has a family that builds', () => {
  const kinds = (configSchema as { properties: { model: { enum: ModelKind[] } } }).properties.model.enum;
  assert.deepEqual(kinds, ['gan', 'dcgan', 'cgan', 'pix2pix', 'cyclegan', 'srgan']);
  for (const k of kinds) assert.equal(typeof getFamily(k).build, 'function', k);
  assert.throws(
    () => getFamily('stylegan' as ModelKind),
    (e: Error) =>
      e instanceof UnknownModelError &&
      /unknown model "stylegan": this version of GAN Studio has gan, dcgan/.test(e.message),
  );
});

test('modelIO: model.json + weights.bin round trip gives the same outputs', async () => {
  const s = spec('cgan', { ngf: 2, ndf: 2, latentDim: 4 });
  const g = getFamily('cgan').build(s).generator;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gan-io-'));
  await saveModel(g, dir);
  const json = JSON.parse(fs.readFileSync(path.join(dir, 'model.json'), 'utf8'));
  assert.equal(json.format, 'layers-model');
  assert.deepEqual(json.weightsManifest[0].paths, ['./weights.bin']);
  const loaded = await loadModel(dir);
  const x = [tf.randomNormal([3, 4], 0, 1, 'float32', 1), tf.oneHot([1, 2, 3], 10).toFloat()];
  const a = g.predict(x) as tf.Tensor;
  const b = loaded.predict(x) as tf.Tensor;
  assert.deepEqual(Array.from(a.dataSync()), Array.from(b.dataSync()));
  tf.dispose([...x, a, b]);
  g.dispose();
  loaded.dispose();
});
