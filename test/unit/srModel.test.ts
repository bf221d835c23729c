// SR networks and the tiled upscaler: output shapes, the bicubic skip, no seams between
// tiles, exact x2/x4 output sizes, alpha and grey kept.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../src/trainer/engine/backend';
import { resizeFloat } from '../../src/trainer/engine/image/resize';
import { buildSrGenerator } from '../../src/trainer/models/srgan/generator';
import { buildSrDiscriminator } from '../../src/trainer/models/srgan/discriminator';
import { bicubicDownsample } from '../../src/trainer/models/blocks/bicubic';
import { resizeBytes } from '../../src/trainer/engine/image/resize';
import { upscaleImage, spans } from '../../src/trainer/infer/upscale';
import { resolveConfig } from '../../src/shared/config';
import { Rng } from '../../src/trainer/engine/rng';
import { inputOfKind, inputTensors, type ModelSpec } from '../../src/trainer/models/family';
import { srgan } from '../../src/trainer/models/srgan';
import { texture, tinySrGenerator } from './srHelpers';
import { runnerFor, upscaleAll } from './srRunners';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { saveModel } from '../../src/trainer/engine/modelIO';

// The cpu backend: these nets are tiny, and it skips building a native graph per tile shape.
before(async () => {
  await initBackend('cpu');
});

test('sr model: generator and discriminator shapes (resnet, rrdb, paper upsampler; x2, x4)', () => {
  for (const [block, upsampler, scale] of [
    ['resnet', 'lr', 2],
    ['resnet', 'shuffle', 4],
    ['rrdb', 'lr', 4],
    ['rrdb', 'shuffle', 2],
  ] as const) {
    const g = buildSrGenerator({
      scale,
      channels: 3,
      features: 8,
      blocks: 1,
      block,
      batchNorm: block === 'resnet',
      upsampler,
    });
    const y = g.predict(tf.zeros([2, 12, 10, 3])) as tf.Tensor;
    assert.deepEqual(y.shape, [2, 12 * scale, 10 * scale, 3], `${block}/${upsampler}/x${scale}`);
    assert.equal(g.name, `sr_generator_x${scale}`);
    tf.dispose([y]);
    g.dispose();
  }
  const d = buildSrDiscriminator(32, 4);
  const outs = d.predict(tf.zeros([3, 32, 32, 3])) as tf.Tensor[];
  assert.deepEqual(outs[0].shape, [3, 1]);
  assert.deepEqual(outs[1].shape, [3, 8, 8, 8]);
  assert.deepEqual(outs[2].shape, [3, 4, 4, 16]);
  tf.dispose(outs);
  d.dispose();
});

test('sr model: a fresh generator is bicubic; training downsampling is imresize', () => {
  const g = buildSrGenerator({
    scale: 4,
    channels: 3,
    features: 8,
    blocks: 1,
    block: 'resnet',
    batchNorm: false,
    upsampler: 'lr',
  });
  const last = g.getLayer('to_rgb');
  last.setWeights(last.getWeights().map((w) => tf.zerosLike(w)));
  const img = tf.randomUniform([1, 20, 24, 3], 0, 255, 'float32', 3);
  const out = (g.predict(img) as tf.Tensor).dataSync();
  const ref = resizeFloat(img.dataSync() as Float32Array, 24, 20, 3, 96, 80);
  let md = 0;
  for (let y = 12; y < 68; y++)
    for (let x = 12; x < 84; x++)
      for (let c = 0; c < 3; c++) md = Math.max(md, Math.abs(out[(y * 96 + x) * 3 + c] - ref[(y * 96 + x) * 3 + c]));
  assert.ok(md < 1e-2, `interior differs from bicubic by ${md}`);
  g.dispose();
  // HR -> LR in the training step equals the imresize-style resampler (before rounding).
  const hr = texture(32, 32);
  const hrT = tf.sub(tf.div(tf.tensor4d(Float32Array.from(hr.data), [1, 32, 32, 3]), 127.5), 1) as tf.Tensor4D;
  const lr = tf.mul(tf.add(bicubicDownsample(hrT, 4, false), 1), 127.5).dataSync();
  const ref2 = resizeFloat(Float32Array.from(hr.data), 32, 32, 3, 8, 8);
  for (let i = 0; i < ref2.length; i++)
    assert.ok(Math.abs(lr[i] - ref2[i]) < 0.05, `LR pixel ${i}: ${lr[i]} vs ${ref2[i]}`);
  tf.dispose([img, hrT]);
});

test('sr upscale: tile windows all have one shape and cover the image', () => {
  for (const [len, tile] of [
    [100, 32],
    [33, 32],
    [64, 16],
    [500, 192],
  ]) {
    const sp = spans(len, tile, 16);
    assert.equal(sp[0].c0, 0);
    assert.equal(sp.at(-1)!.c1, len);
    for (const s of sp) {
      assert.equal(s.w1 - s.w0, sp[0].w1 - sp[0].w0);
      assert.ok(s.w0 >= 0 && s.w1 <= len && s.w0 <= s.c0 && s.w1 >= s.c1);
    }
  }
});

test('sr upscale: tiled and untiled differ by at most 1 grey level (no seams), sizes exact', async () => {
  for (const scale of [2, 4]) {
    const r = runnerFor(scale);
    const img = texture(61, 45);
    const whole = await upscaleAll(img, r, 0);
    for (const tile of [16, 24]) {
      const tiled = await upscaleAll(img, r, tile);
      let md = 0;
      for (let i = 0; i < whole.data.length; i++) md = Math.max(md, Math.abs(whole.data[i] - tiled.data[i]));
      assert.ok(md <= 1, `x${scale} tile ${tile}: max difference ${md}`);
    }
    assert.deepEqual([whole.width, whole.height], [61 * scale, 45 * scale]);
    r.dispose();
  }
});

test('sr upscale: alpha is upscaled bicubically and kept; grey stays grey', async () => {
  const r = runnerFor(2);
  const rgba = texture(30, 20, 4);
  const out = await upscaleAll(rgba, r, 16);
  assert.equal(out.channels, 4);
  const alpha = Uint8Array.from({ length: 600 }, (_, i) => rgba.data[i * 4 + 3]);
  const want = resizeBytes(alpha, 30, 20, 1, 60, 40);
  for (let i = 0; i < want.length; i++) assert.ok(Math.abs(out.data[i * 4 + 3] - want[i]) <= 1);
  const ga = await upscaleAll(texture(30, 20, 2), r, 16);
  assert.equal(ga.channels, 2);
  const g = await upscaleAll(texture(30, 20, 1), r, 0);
  assert.equal(g.channels, 1);
  assert.equal(g.data.length, 60 * 40);
  r.dispose();
});

test('sr upscale: progress reaches total; cancel stops with AbortError', async () => {
  const r = runnerFor(2);
  const seen: Array<[number, number]> = [];
  await upscaleImage(texture(80, 50), r, () => {}, { tile: 24, onProgress: (d, t) => seen.push([d, t]) });
  const [d, t] = seen.at(-1)!;
  assert.equal(d, t);
  assert.ok(t > 1);
  let calls = 0;
  await assert.rejects(
    upscaleImage(texture(80, 50), r, () => {}, { tile: 24, cancelled: () => ++calls > 2 }),
    /cancelled/,
  );
  r.dispose();
});

test('srgan family: the sample grid reads LR and HR by name and the scale from the spec', () => {
  const cfg = resolveConfig(
    {
      model: 'srgan',
      imageSize: 16,
      dataset: { kind: 'sr', path: 'x', scale: 2 },
      params: { ngf: 4, residualBlocks: 1, lambdaAdv: 0 },
    },
    '/cfg',
  );
  const spec: ModelSpec = { imageSize: 16, channels: 3, numClasses: 0, params: cfg.params, scale: 2 };
  const nets = srgan.build(spec);
  // A name without "_x2" (as a model file's generator may have) changes nothing.
  nets.generator.name = 'my_upscaler';
  const input = inputOfKind(srgan.sampleInputs(spec, new Rng(1), { count: 2 }), 'upscale', 'srgan');
  assert.deepEqual(
    [input.lr.shape, input.hr?.shape],
    [
      [2, 8, 8, 3],
      [2, 16, 16, 3],
    ],
  );
  const grid = srgan.generate(nets, input, spec);
  assert.deepEqual(grid.shape, [6, 16, 16, 3]);
  // Row 0: the LR input enlarged, the output, the original.
  const row = tf.split(tf.slice(grid, [0, 0, 0, 0], [3, -1, -1, -1]), 3);
  const lr0 = tf.slice(input.lr, [0, 0, 0, 0], [1, -1, -1, -1]);
  assert.deepEqual(row[0].arraySync(), tf.image.resizeNearestNeighbor(lr0, [16, 16]).arraySync());
  assert.deepEqual(row[2].arraySync(), tf.slice(input.hr as tf.Tensor4D, [0, 0, 0, 0], [1, -1, -1, -1]).arraySync());
  assert.throws(
    () => srgan.generate(nets, { kind: 'latent', z: tf.zeros([1, 4]) }, spec),
    /srgan generates from "upscale" input, got "latent"/,
  );
  tf.dispose([grid, lr0, ...row, ...inputTensors(input)]);
  Object.values(nets).forEach((m) => m.dispose());
});

test('srgan params.initGenerator: a new run starts from a saved generator; another architecture is refused', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gan-init-'));
  const saved = tinySrGenerator();
  await saveModel(saved, path.join(dir, 'g'));
  const specWith = (params: Record<string, unknown>): ModelSpec => {
    const cfg = resolveConfig(
      {
        model: 'srgan',
        imageSize: 16,
        dataset: { kind: 'sr', path: 'x', scale: 2 },
        params: { srUpsampler: 'lr', srBatchNorm: false, lambdaAdv: 0, initGenerator: 'g', ...params },
      },
      dir,
    );
    return { imageSize: 16, channels: 3, numClasses: 0, params: cfg.params, scale: 2 };
  };
  // Relative to the config's folder; the weights are the saved ones, every tensor.
  const ok = specWith({ ngf: 4, residualBlocks: 1 });
  assert.equal(ok.params.initGenerator, path.join(dir, 'g'));
  const nets = srgan.build(ok);
  const want = saved.getWeights().map((w) => w.dataSync());
  nets.generator.getWeights().forEach((w, i) => assert.deepEqual(w.dataSync(), want[i]));
  // Stored as float16 like the shipped x4 models (by their recipe's own converter): decoded, not
  // read as raw float32, so the new run starts from the same weights to float16's precision.
  fs.cpSync(path.join(dir, 'g'), path.join(dir, 'g16'), { recursive: true });
  const conv = spawnSync(process.execPath, [path.resolve('recipes/sr/float16.mjs'), path.join(dir, 'g16')]);
  assert.equal(conv.status, 0, String(conv.stderr));
  const half = srgan.build(specWith({ ngf: 4, residualBlocks: 1, initGenerator: 'g16' }));
  half.generator
    .getWeights()
    .forEach((w, i) =>
      w.dataSync().forEach((v, j) => assert.ok(Math.abs(v - want[i][j]) <= 1e-3 * Math.abs(want[i][j]) + 1e-7)),
    );
  Object.values(half).forEach((m) => m.dispose());
  assert.throws(
    () => srgan.build(specWith({ ngf: 8, residualBlocks: 1 })),
    (e: Error) => {
      assert.equal(e.name, 'InputError');
      assert.match(
        e.message,
        /^params\.initGenerator: weight 0 .* needs float32 \[3,3,3,8\] \(a different architecture\)$/,
      );
      return true;
    },
  );
  assert.throws(
    () => srgan.build(specWith({ ngf: 4, residualBlocks: 2 })),
    /holds \d+ weight tensors, this config's generator has \d+/,
  );
  fs.truncateSync(path.join(dir, 'g', 'weights.bin'), 100);
  assert.throws(() => srgan.build(ok), /the weights in .* are truncated/);
  assert.throws(
    () => srgan.build(specWith({ ngf: 4, residualBlocks: 1, initGenerator: 'none' })),
    /cannot read .*model\.json/,
  );
  fs.rmSync(dir, { recursive: true, force: true });
});

test('recipes/sr/grow.mjs: a generator grown to more blocks starts out computing what the trained one does', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gan-grow-'));
  const trained = tinySrGenerator(2);
  // Trained-looking weights everywhere (a new network's last convolutions start at zero).
  const rng = new Rng(3);
  const random = trained.getWeights().map((w) =>
    tf.tensor(
      Array.from(w.dataSync(), () => rng.normal() * 0.2),
      w.shape,
    ),
  );
  trained.setWeights(random); // copies
  tf.dispose(random);
  await saveModel(trained, path.join(dir, 'g'));
  const params = { ngf: 4, residualBlocks: 2, srBlock: 'resnet' };
  fs.writeFileSync(path.join(dir, 'g', 'training.json'), JSON.stringify({ params }));
  const grow = (blocks: number) =>
    spawnSync(process.execPath, [
      path.resolve('recipes/sr/grow.mjs'),
      path.join(dir, 'g'),
      String(blocks),
      path.join(dir, 'g4'),
    ]);
  const r = grow(4);
  assert.equal(r.status, 0, String(r.stderr));

  const cfg = resolveConfig(
    {
      model: 'srgan',
      imageSize: 16,
      dataset: { kind: 'sr', path: 'x', scale: 2 },
      params: {
        ...params,
        residualBlocks: 4,
        srUpsampler: 'lr',
        srBatchNorm: false,
        lambdaAdv: 0,
        initGenerator: 'g4',
      },
    },
    dir,
  );
  const nets = srgan.build({ imageSize: 16, channels: 3, numClasses: 0, params: cfg.params, scale: 2 });
  const lr = tf.randomUniform([1, 8, 8, 3], -1, 1, 'float32', 5);
  const maxAbs = (t: () => tf.Tensor) => tf.tidy(() => tf.max(tf.abs(t())).dataSync()[0]);
  const diff = maxAbs(() => tf.sub(trained.predict(lr) as tf.Tensor, nets.generator.predict(lr) as tf.Tensor));
  assert.ok(diff < 1e-5, 'the grown generator changes the output');
  // The new blocks can learn: their first convolutions (after the head and 2 blocks) are not zero.
  assert.ok(maxAbs(() => nets.generator.getWeights()[2 + 4 * 2]) > 0.05);

  const fewer = grow(2);
  assert.equal(fewer.status, 2);
  assert.match(String(fewer.stderr), /already has 2 blocks/);

  // A shipped (float16) model grows too: the result is float32, the float16 values widened.
  const f16 = spawnSync(process.execPath, [path.resolve('recipes/sr/float16.mjs'), path.join(dir, 'g')]);
  assert.equal(f16.status, 0, String(f16.stderr));
  fs.rmSync(path.join(dir, 'g4'), { recursive: true });
  assert.equal(grow(4).status, 0);
  const bytes = fs.readFileSync(path.join(dir, 'g4', 'weights.bin'));
  const grownFrom16 = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  const grownWeights = tf.concat(nets.generator.getWeights().map((w) => w.flatten()));
  const from32 = grownWeights.dataSync();
  assert.equal(grownFrom16.length, from32.length);
  const worst = grownFrom16.reduce((m, v, i) => Math.max(m, Math.abs(v - from32[i]) / (Math.abs(from32[i]) + 1e-3)), 0);
  assert.ok(worst > 0 && worst < 1e-3, `float16 rounding only (relative ${worst})`);
  grownWeights.dispose();
  lr.dispose();
  Object.values(nets).forEach((m) => m.dispose());
  trained.dispose();
  fs.rmSync(dir, { recursive: true, force: true });
});
