// The DCGAN paper's networks (Radford et al. 2016) that dcgan and cgan use at 32, 64 and 128 px:
// shapes, the weight count at 64 px against the figure worked out by hand, the paper's
// initialisation (and the tutorial networks' Glorot one), the defaults a folder of images
// gets, a short real run at 64x64 RGB on a folder of made-up pictures, and
// `gan init dcgan|cgan --images DIR` then training.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { PNG } from 'pngjs';
import { ConfigError, resolveConfig } from '../../src/shared/config';
import type { ModelSpec } from '../../src/trainer/models';
import { buildDcganDiscriminator, buildDcganGenerator } from '../../src/trainer/models/dcgan/networks';
import { buildCganDiscriminator, buildCganGenerator } from '../../src/trainer/models/cgan/networks';
import { runGan, type CliResult } from '../lib/cli';
import { readMetrics, readPng, tmpDir } from './helpers';

const gan = (args: string[]): CliResult => runGan([...args, '--backend', 'cpu'], { timeout: 300_000 });
const init = (args: string[]): CliResult => runGan(['init', ...args], { timeout: 120_000 });
const ok = (r: CliResult, what: string) => assert.equal(r.code, 0, `${what}: exit ${r.code}\n${r.stdout}\n${r.stderr}`);

function spec(model: 'dcgan' | 'cgan', imageSize: number, params: Record<string, unknown>, channels = 3): ModelSpec {
  const cfg = resolveConfig({ model, imageSize, params }, '/');
  return { imageSize, channels, numClasses: model === 'cgan' ? 10 : 0, params: cfg.params };
}

function stats(t: tf.Tensor): { mean: number; std: number } {
  const { mean, variance } = tf.moments(t);
  const r = { mean: mean.dataSync()[0], std: Math.sqrt(variance.dataSync()[0]) };
  tf.dispose([mean, variance]);
  return r;
}

const layerTypes = (m: tf.LayersModel) => m.layers.map((l) => l.getClassName());

test('paper networks: G gives [n, S, S, C] and D one logit at 32, 64 and 128 px; dcgan and cgan', () => {
  for (const size of [32, 64, 128]) {
    const s = spec('dcgan', size, { latentDim: 8, ngf: 4, ndf: 4 });
    const G = buildDcganGenerator(s),
      D = buildDcganDiscriminator(s);
    const img = G.predict(tf.randomNormal([2, 8])) as tf.Tensor;
    assert.deepEqual(img.shape, [2, size, size, 3], `G at ${size}`);
    assert.deepEqual((D.predict(img) as tf.Tensor).shape, [2, 1], `D at ${size}`);
    // One transposed conv per doubling from 1x1 (4x4 projection, then 4x4 -> size), no pooling.
    const deconvs = G.layers.filter((l) => l.getClassName() === 'Conv2DTranspose').length;
    assert.equal(deconvs, 1 + Math.log2(size / 4), `G's transposed convs at ${size}`);
    assert.ok(!layerTypes(D).some((t) => /Pooling|Dense/.test(t)), `D at ${size}: strided convs only`);
    // Batch norm everywhere but G's output layer and D's input layer.
    assert.equal(G.layers.filter((l) => l.getClassName() === 'BatchNormalization').length, deconvs - 1);
    assert.equal(D.layers.filter((l) => l.getClassName() === 'BatchNormalization').length, Math.log2(size / 4) - 1);
    assert.equal(layerTypes(D)[2], 'LeakyReLU', 'D: conv then LeakyReLU straight away');
    tf.dispose(img);
    G.dispose();
    D.dispose();
  }
  const c = spec('cgan', 64, { latentDim: 8, ngf: 4, ndf: 4 });
  const G = buildCganGenerator(c),
    D = buildCganDiscriminator(c);
  const label = tf.oneHot(tf.tensor1d([3, 7], 'int32'), 10).toFloat();
  const img = G.predict([tf.randomNormal([2, 8]), label]) as tf.Tensor;
  assert.deepEqual(img.shape, [2, 64, 64, 3]);
  assert.deepEqual((D.predict([img, label]) as tf.Tensor).shape, [2, 1]);
  G.dispose();
  D.dispose();
});

test('paper networks at 64 px, ngf = ndf = 128: the weight count worked out by hand, N(0, 0.02) init', () => {
  const s = spec('dcgan', 64, { latentDim: 100, ngf: 128, ndf: 128 });
  const G = buildDcganGenerator(s),
    D = buildDcganDiscriminator(s);
  // 4x4 kernels, no biases where batch norm follows or at G's output (as the paper's code);
  // batch norm holds 4 numbers per channel (scale, shift, moving mean and variance).
  const bn = (c: number) => 4 * c;
  const gWeights =
    16 * 100 * 1024 +
    bn(1024) + // project z: 1x1 -> 4x4x1024
    16 * 1024 * 512 +
    bn(512) + // 8x8x512
    16 * 512 * 256 +
    bn(256) + // 16x16x256
    16 * 256 * 128 +
    bn(128) + // 32x32x128
    16 * 128 * 3; // 64x64x3, tanh
  const dWeights =
    16 * 3 * 128 + // 32x32x128, no batch norm on the input layer
    16 * 128 * 256 +
    bn(256) +
    16 * 256 * 512 +
    bn(512) +
    16 * 512 * 1024 +
    bn(1024) + // down to 4x4x1024
    16 * 1024; // 4x4 -> one logit
  assert.equal(gWeights, 12_662_272);
  assert.equal(dWeights, 11_039_744);
  assert.equal(G.countParams(), gWeights);
  assert.equal(D.countParams(), dWeights);
  // The paper's channel figure: 1024-512-256-128.
  const gChannels = G.layers
    .filter((l) => l.getClassName() === 'Conv2DTranspose')
    .map((l) => (l.outputShape as number[])[3]);
  assert.deepEqual(gChannels, [1024, 512, 256, 128, 3]);

  // Every conv kernel ~ N(0, 0.02); batch-norm scales ~ N(1, 0.02), shifts 0.
  for (const m of [G, D]) {
    for (const w of m.weights) {
      const v = w.read();
      if (/kernel/.test(w.name) && v.size >= 16_384) {
        const { mean, std } = stats(v);
        assert.ok(Math.abs(mean) < 0.002 && Math.abs(std - 0.02) < 0.002, `${w.name}: mean ${mean}, std ${std}`);
      } else if (/gamma/.test(w.name) && v.size >= 512) {
        const { mean, std } = stats(v);
        assert.ok(Math.abs(mean - 1) < 0.004 && Math.abs(std - 0.02) < 0.004, `${w.name}: mean ${mean}, std ${std}`);
      }
    }
  }
  G.dispose();
  D.dispose();
});

test('tutorial networks (28 px): Glorot normal init and tfjs batch-norm defaults, as the TF tutorial', () => {
  const s = spec('dcgan', 28, { latentDim: 100, ngf: 64, ndf: 64 }, 1);
  const G = buildDcganGenerator(s);
  const dense = G.layers.find((l) => l.getClassName() === 'Dense') as tf.layers.Layer;
  const kernel = dense.getWeights()[0];
  const [fanIn, fanOut] = kernel.shape;
  const { std } = stats(kernel);
  // tfjs' Glorot normal: a normal of std sqrt(2 / (fanIn + fanOut)) truncated at two standard
  // deviations (no rescaling, unlike Keras), which leaves 0.8796 of that std.
  const glorot = 0.8796 * Math.sqrt(2 / (fanIn + fanOut));
  assert.ok(Math.abs(std / glorot - 1) < 0.05, `dense kernel std ${std}, Glorot ${glorot}`);
  const bn = G.layers.find((l) => l.getClassName() === 'BatchNormalization') as tf.layers.Layer;
  assert.equal(bn.getConfig().epsilon, 1e-3);
  assert.equal(bn.getConfig().momentum, 0.99);
  G.dispose();
});

test("config: a folder gets the paper's defaults (64 px, ngf/ndf 128, no dropout) unless written; sizes", () => {
  const folder = { kind: 'folder', path: 'pics' };
  const c = resolveConfig({ model: 'dcgan', dataset: folder }, '/p');
  assert.deepEqual(
    [c.imageSize, c.params.ngf, c.params.ndf, c.params.dropout, c.params.networks],
    [64, 128, 128, 0, 'auto'],
  );
  assert.deepEqual(c.optimizer, { lr: 0.0002, beta1: 0.5, beta2: 0.999 });
  const given = resolveConfig(
    { model: 'dcgan', dataset: folder, imageSize: 32, batchSize: 16, params: { ngf: 32, dropout: 0.1 } },
    '/p',
  );
  assert.deepEqual(
    [given.imageSize, given.batchSize, given.params.ngf, given.params.ndf, given.params.dropout],
    [32, 16, 32, 128, 0.1],
  );
  // MNIST at 28 px: the tutorial's networks and their defaults, as before.
  const mnist = resolveConfig({ model: 'dcgan' }, '/p');
  assert.deepEqual([mnist.imageSize, mnist.params.ngf, mnist.params.ndf, mnist.params.dropout], [28, 64, 64, 0.3]);
  const tut = resolveConfig({ model: 'dcgan', dataset: folder, imageSize: 28 }, '/p');
  assert.deepEqual([tut.params.ngf, tut.params.dropout], [64, 0.3]);
  const cg = resolveConfig({ model: 'cgan', dataset: { ...folder, labels: 'subfolders' } }, '/p');
  assert.deepEqual([cg.imageSize, cg.params.ngf, cg.params.dropout], [64, 128, 0]);
  // Small sizes (old configs and checkpoints) keep the tutorial's networks; "paper" needs 32/64/128.
  assert.equal(resolveConfig({ model: 'dcgan', imageSize: 12 }, '/p').imageSize, 12);
  assert.equal(resolveConfig({ model: 'dcgan', imageSize: 64, params: { networks: 'tutorial' } }, '/p').params.ngf, 64);
  for (const model of ['dcgan', 'cgan']) {
    assert.throws(
      () => resolveConfig({ model, imageSize: 48, params: { networks: 'paper' } }, '/p'),
      (e: unknown) => {
        assert.ok(e instanceof ConfigError);
        assert.deepEqual(e.problems, [
          `gan.config.json: "imageSize" must be 32, 64, 128 for the DCGAN paper's networks ("networks": "paper"; got 48)`,
        ]);
        return true;
      },
    );
  }
});

/** A made-up RGB picture (stripes and a gradient), w x h. */
function picture(file: string, w: number, h: number, seed: number): void {
  const png = new PNG({ width: w, height: h });
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = (y * w + x) * 4;
      png.data[i] = (x * 4 + seed * 40) % 256;
      png.data[i + 1] = 128 + 100 * Math.sin((x + y * seed) / 5);
      png.data[i + 2] = (y * 3) % 256;
      png.data[i + 3] = 255;
    }
  }
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, PNG.sync.write(png));
}

const tiny = {
  batchSize: 4,
  logEvery: 1,
  sampleEvery: 3,
  checkpointEvery: 3,
  keepCheckpoints: 1,
  params: { latentDim: 8, ngf: 4, ndf: 4 },
};

test("dcgan trains at 64x64 RGB on a folder with the paper's networks; gan sample draws 64x64", () => {
  const dir = tmpDir('gan-paper-');
  for (let i = 0; i < 8; i++) picture(path.join(dir, 'pics', `p${i}.png`), 80 + i * 4, 70, i + 1);
  const config = path.join(dir, 'gan.config.json');
  fs.writeFileSync(
    config,
    JSON.stringify({
      name: 'paper',
      model: 'dcgan',
      dataset: { kind: 'folder', path: 'pics', flip: true },
      steps: 3,
      seed: 1,
      ...tiny,
    }),
  );
  const runDir = path.join(dir, 'run');
  const r = gan(['train', config, '--run-dir', runDir]);
  ok(r, 'gan train');
  assert.match(r.stdout, /^step 3\/3 /m);
  const metrics = readMetrics(runDir);
  assert.equal(metrics.at(-1)?.step, 3);
  assert.ok(metrics.every((m) => Number.isFinite(m.losses.dLoss) && Number.isFinite(m.losses.gLoss)));
  const G = JSON.parse(
    fs.readFileSync(path.join(runDir, 'checkpoints', 'latest', 'generator', 'model.json'), 'utf8'),
  ) as { modelTopology: unknown };
  const text = JSON.stringify(G.modelTopology);
  assert.equal(
    (text.match(/"class_name":"Conv2DTranspose"/g) ?? []).length,
    5,
    'the paper generator at 64 px: projection + 4 doublings',
  );
  assert.match(text, /"kernel_size":\[4,4\]/);
  const out = path.join(dir, 'samples');
  ok(gan(['sample', path.join(runDir, 'checkpoints', 'latest'), '--out', out, '--count', '2']), 'gan sample');
  for (const f of fs.readdirSync(out)) {
    const png = readPng(path.join(out, f));
    assert.deepEqual([png.width, png.height], [64, 64], f);
  }
  fs.rmSync(dir, { recursive: true, force: true });
});

test("gan init dcgan|cgan --images DIR: a folder project on DIR with the paper's model.ts; it trains", () => {
  const dir = tmpDir('gan-init-paper-');
  for (let i = 0; i < 6; i++) picture(path.join(dir, 'photos', `p${i}.png`), 72, 90, i + 1);
  for (const cls of ['cats', 'dogs'])
    for (let i = 0; i < 3; i++)
      picture(path.join(dir, 'classes', cls, `${i}.png`), 64, 64, i + (cls === 'cats' ? 1 : 5));
  const proj = path.join(dir, 'proj');
  ok(init(['dcgan', proj, '--images', path.join(dir, 'photos')]), 'gan init dcgan --images');
  const cfg = JSON.parse(fs.readFileSync(path.join(proj, 'gan.config.json'), 'utf8')) as Record<string, unknown>;
  assert.deepEqual(cfg.dataset, { kind: 'folder', path: '../photos', flip: true });
  assert.equal(cfg.imageSize, 64);
  assert.equal(cfg.modelFile, './model.ts');
  assert.equal(
    fs.readFileSync(path.join(proj, 'model.ts'), 'utf8'),
    fs.readFileSync(path.resolve('templates/dcgan/model.paper.ts'), 'utf8'),
  );
  assert.match(fs.readFileSync(path.join(proj, 'README.md'), 'utf8'), /DCGAN on your pictures[\s\S]*\(\.\.\/photos\)/);
  assert.deepEqual(
    fs.readdirSync(proj).filter((f) => f === 'data'),
    [],
    'no copy of the pictures',
  );
  // Smaller, then 2 steps of the project as written (its model.ts, its folder).
  fs.writeFileSync(path.join(proj, 'gan.config.json'), JSON.stringify({ ...cfg, ...tiny, steps: 2 }));
  const r = gan(['train', path.join(proj, 'gan.config.json'), '--run-dir', path.join(proj, 'run')]);
  ok(r, 'gan train of the new project');
  assert.match(r.stdout, /^step 2\/2 /m);

  const cproj = path.join(dir, 'cproj');
  ok(init(['cgan', cproj, '--images', path.join(dir, 'classes')]), 'gan init cgan --images');
  const ccfg = JSON.parse(fs.readFileSync(path.join(cproj, 'gan.config.json'), 'utf8')) as Record<string, unknown>;
  assert.deepEqual(ccfg.dataset, { kind: 'folder', path: '../classes', labels: 'subfolders', flip: true });
  assert.equal(
    fs.readFileSync(path.join(cproj, 'model.ts'), 'utf8'),
    fs.readFileSync(path.resolve('templates/cgan/model.paper.ts'), 'utf8'),
  );
  const bad = init(['cgan', path.join(dir, 'c2'), '--images', path.join(dir, 'photos')]);
  assert.notEqual(bad.code, 0);
  assert.match(bad.stderr, /cGAN needs one subfolder of pictures per class/);
  fs.rmSync(dir, { recursive: true, force: true });
});
