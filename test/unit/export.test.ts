// gan export: every family's network (the old-format fixture checkpoints) as ONNX, run in
// onnxruntime-node, gives what our own forward pass gives on the same random input (max abs
// difference <= 1e-4), NCHW at the interface, for a batch size other than the one it was
// built with; the tfjs export loads with tf.loadLayersModel and matches, with our classes and
// with the gan-studio-layers.js script the export writes for a web page (in a fresh process
// where only that script registers them).
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../src/trainer/engine/backend';
import { loadModel, modelLoadHandler } from '../../src/trainer/engine/modelIO';
import { defaultNetwork, exportModel, resolveExportSource } from '../../src/trainer/export';
import { toOnnx } from '../../src/trainer/export/onnx';
import { LAYERS_SCRIPT } from '../../src/trainer/export/tfjs';
import { getFamily } from '../../src/trainer/models';
import { buildSrGenerator } from '../../src/trainer/models/srgan/generator';
import { readCheckpointState } from '../../src/trainer/train/checkpoint';
import { runGan } from '../lib/cli';
import { tmpDir } from './helpers';

const FIXTURES = path.resolve('test/fixtures/checkpoints-8094b05');
const FAMILIES = ['gan', 'dcgan', 'cgan', 'pix2pix', 'cyclegan', 'srgan'] as const;
const TOLERANCE = 1e-4;
const BATCH = 3;

interface Ort {
  InferenceSession: {
    create(bytes: Uint8Array): Promise<{
      run(feeds: Record<string, unknown>): Promise<Record<string, { data: Float32Array; dims: readonly number[] }>>;
    }>;
  };
  Tensor: new (type: 'float32', data: Float32Array, dims: readonly number[]) => unknown;
}
const ort = require('onnxruntime-node') as Ort;

before(async () => {
  await initBackend('cpu');
});

/** Seeded values in [-1, 1]; a one-hot row per example for a "label" input. */
function randomInput(shape: number[], seed: number, oneHot: boolean): Float32Array {
  const n = shape.reduce((a, b) => a * b, 1);
  let s = seed >>> 0;
  const next = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
  const out = new Float32Array(n);
  if (oneHot) {
    const k = shape[1];
    for (let i = 0; i < shape[0]; i++) out[i * k + Math.floor(next() * k)] = 1;
  } else {
    for (let i = 0; i < n; i++) out[i] = next() * 2 - 1;
  }
  return out;
}

/** NHWC data of `shape` [n, h, w, c] -> NCHW; other ranks unchanged. */
function toNchw(data: Float32Array, shape: number[]): Float32Array {
  if (shape.length !== 4) return data;
  const [n, h, w, c] = shape;
  const out = new Float32Array(data.length);
  for (let b = 0; b < n; b++)
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++)
        for (let k = 0; k < c; k++) {
          out[((b * c + k) * h + y) * w + x] = data[((b * h + y) * w + x) * c + k];
        }
  return out;
}

/** Our forward pass without pix2pix's always-on dropout (the export's identity). */
function deterministic(model: tf.LayersModel): tf.LayersModel {
  for (const l of model.layers) if (l.getClassName() === 'AlwaysDropout') (l as unknown as { rate: number }).rate = 0;
  return model;
}

/** The inputs of a model: NHWC shapes with the batch and open sizes filled in, seeded data. */
function inputsFor(model: tf.LayersModel): { name: string; shape: number[]; data: Float32Array }[] {
  return model.inputs.map((t, i) => {
    const shape = t.shape.map((d, k) => (k === 0 ? BATCH : (d ?? (k === 1 ? 10 : 12))));
    return { name: t.sourceLayer.name, shape, data: randomInput(shape, 17 + i, t.sourceLayer.name === 'label') };
  });
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assert.equal(a.length, b.length, 'output sizes differ');
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

const measured: Record<string, { onnx: number; tfjs: number; script?: number }> = {};

for (const family of FAMILIES) {
  test(`${family}: the ONNX export matches our forward pass (NCHW, dynamic batch) and the tfjs export loads and matches`, async (t) => {
    const ck = path.join(FIXTURES, family);
    const state = readCheckpointState(ck);
    assert.ok(state, `${family}: fixture state`);
    const net = defaultNetwork(state);
    assert.equal(
      net,
      {
        gan: 'generatorEma',
        dcgan: 'generatorEma',
        cgan: 'generatorEma',
        pix2pix: 'generator',
        cyclegan: 'generatorAB',
        srgan: 'generator',
      }[family],
    );
    const model = deterministic(await loadModel(path.join(ck, net)));
    const ins = inputsFor(model);
    const feeds = ins.map((i) => tf.tensor(i.data, i.shape));
    const ours = model.predict(feeds.length === 1 ? feeds[0] : feeds) as tf.Tensor;
    const expected = toNchw(ours.dataSync() as Float32Array, ours.shape);

    const dir = tmpDir(`gan-export-${family}-`);
    const onnxFile = path.join(dir, `${family}.onnx`);
    const r = await exportModel(ck, 'onnx', onnxFile);
    assert.equal(r.source.network, net);
    if (family === 'pix2pix') assert.match(r.notes.join('\n'), /dropout .*identity/);
    else assert.deepEqual(r.notes, []);
    assert.equal(r.inputs?.[0].shape[0], 'batch');
    if (ins[0].shape.length === 4) assert.equal(r.inputs?.[0].shape[1], ins[0].shape[3], 'channels second (NCHW)');
    const session = await ort.InferenceSession.create(fs.readFileSync(onnxFile));
    const ortFeeds = Object.fromEntries(
      ins.map((i, k) => [
        r.inputs![k].name,
        new ort.Tensor(
          'float32',
          toNchw(i.data, i.shape),
          r.inputs![k].shape.length === 4 ? [i.shape[0], i.shape[3], i.shape[1], i.shape[2]] : i.shape,
        ),
      ]),
    );
    const got = (await session.run(ortFeeds))[r.outputs![0].name];
    if (ours.shape.length === 4)
      assert.deepEqual([...got.dims], [ours.shape[0], ours.shape[3], ours.shape[1], ours.shape[2]]);
    else assert.deepEqual([...got.dims], ours.shape);
    const onnxDiff = maxAbsDiff(got.data, expected);

    const tfjsDir = path.join(dir, 'web');
    const w = await exportModel(ck, 'tfjs', tfjsDir);
    const loaded = deterministic(await tf.loadLayersModel(modelLoadHandler(tfjsDir)));
    const again = loaded.predict(feeds.length === 1 ? feeds[0] : feeds) as tf.Tensor;
    const tfjsDiff = maxAbsDiff(again.dataSync(), ours.dataSync());
    const custom = ['pix2pix', 'cyclegan', 'srgan'].includes(family);
    assert.equal(fs.existsSync(path.join(tfjsDir, LAYERS_SCRIPT)), custom);
    assert.equal((w.customClasses ?? []).length > 0, custom);

    measured[family] = { onnx: onnxDiff, tfjs: tfjsDiff };
    if (custom) measured[family].script = scriptDiff(tfjsDir, ins, ours.dataSync() as Float32Array);
    t.diagnostic(
      `${family} (${net}): max abs difference onnx ${onnxDiff.toExponential(2)}, tfjs ${tfjsDiff.toExponential(2)}${custom ? `, tfjs with ${LAYERS_SCRIPT} ${measured[family].script?.toExponential(2)}` : ''}`,
    );
    assert.ok(onnxDiff <= TOLERANCE, `${family}: ONNX differs by ${onnxDiff} (allowed ${TOLERANCE})`);
    assert.ok(tfjsDiff <= TOLERANCE, `${family}: tfjs export differs by ${tfjsDiff}`);
    if (custom)
      assert.ok(
        measured[family].script! <= TOLERANCE,
        `${family}: tfjs export with ${LAYERS_SCRIPT} differs by ${measured[family].script}`,
      );
    tf.dispose([...feeds, ours, again]);
    model.dispose();
    loaded.dispose();
  });
}

/**
 * The tfjs export in a fresh Node process with plain @tensorflow/tfjs, our classes registered by
 * the written script only (as a web page would): its output's max abs difference from `expected`.
 */
function scriptDiff(dir: string, ins: { shape: number[]; data: Float32Array }[], expected: Float32Array): number {
  const job = path.join(dir, 'job.json');
  fs.writeFileSync(job, JSON.stringify(ins.map((i) => ({ shape: i.shape, data: [...i.data] }))));
  const code = `
    const tf = require('@tensorflow/tfjs'); const fs = require('fs'); const path = require('path');
    require(${JSON.stringify(path.join(dir, LAYERS_SCRIPT))})(tf);
    (async () => {
      await tf.setBackend('cpu');
      const dir = ${JSON.stringify(dir)};
      const json = JSON.parse(fs.readFileSync(path.join(dir, 'model.json'), 'utf8'));
      const b = fs.readFileSync(path.join(dir, json.weightsManifest[0].paths[0]));
      const m = await tf.loadLayersModel(tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs: json.weightsManifest[0].weights,
        weightData: b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) }));
      for (const l of m.layers) if (l.getClassName() === 'AlwaysDropout') l.rate = 0;
      const ins = JSON.parse(fs.readFileSync(${JSON.stringify(job)}, 'utf8')).map((i) => tf.tensor(i.data, i.shape));
      const y = m.predict(ins.length === 1 ? ins[0] : ins);
      fs.writeFileSync(${JSON.stringify(path.join(dir, 'out.json'))}, JSON.stringify(Array.from(y.dataSync())));
    })().catch((e) => { console.error(e.stack); process.exit(1); });`;
  const r = spawnSync(process.execPath, ['-e', code], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    timeout: 120_000,
  });
  assert.equal(r.status, 0, `the script's process failed: ${r.stderr}`);
  return maxAbsDiff(JSON.parse(fs.readFileSync(path.join(dir, 'out.json'), 'utf8')) as number[], expected);
}

/** Every output of `model` from onnxruntime against our forward pass: the largest difference. */
async function onnxVsOurs(model: tf.LayersModel): Promise<number> {
  const ins = inputsFor(deterministic(model));
  const feeds = ins.map((i) => tf.tensor(i.data, i.shape));
  const ours = [model.predict(feeds.length === 1 ? feeds[0] : feeds)].flat() as tf.Tensor[];
  const r = await toOnnx(model);
  const session = await ort.InferenceSession.create(r.bytes);
  const got = await session.run(
    Object.fromEntries(
      ins.map((i, k) => [
        r.inputs[k].name,
        new ort.Tensor(
          'float32',
          toNchw(i.data, i.shape),
          i.shape.length === 4 ? [i.shape[0], i.shape[3], i.shape[1], i.shape[2]] : i.shape,
        ),
      ]),
    ),
  );
  assert.equal(r.outputs.length, ours.length);
  const d = Math.max(
    ...ours.map((o, k) => maxAbsDiff(got[r.outputs[k].name].data, toNchw(o.dataSync() as Float32Array, o.shape))),
  );
  tf.dispose([...feeds, ...ours]);
  return d;
}

test('every network of every fixture (discriminators: label planes, flatten, pooling, several outputs) and the shipped SR models export exactly', async (t) => {
  const dirs = FAMILIES.flatMap((f) =>
    (readCheckpointState(path.join(FIXTURES, f))?.networks ?? []).map((n) => path.join(FIXTURES, f, n)),
  );
  dirs.push(path.resolve('models/sr-x2'), path.resolve('models/sr-x4'));
  const lines: string[] = [];
  for (const dir of dirs) {
    const model = await loadModel(dir);
    // The CycleGAN fixture's PatchGAN judges 16-pixel images: its output is 0 x 0, which
    // onnxruntime refuses to compute (its layers are in the generator and pix2pix's PatchGAN).
    if (model.outputs.some((o) => o.shape.includes(0))) {
      model.dispose();
      continue;
    }
    const d = await onnxVsOurs(model);
    lines.push(`${path.relative(process.cwd(), dir)} ${d.toExponential(2)}`);
    assert.ok(d <= TOLERANCE, `${dir}: ONNX differs by ${d}`);
    model.dispose();
  }
  t.diagnostic(`max abs difference per network: ${lines.join(', ')}`);
});

test('the networks this build makes (fixture specs, fresh weights; SRGAN also with RRDB blocks and the LR upsampler) export exactly', async (t) => {
  const lines: string[] = [];
  for (const family of FAMILIES) {
    const state = readCheckpointState(path.join(FIXTURES, family));
    assert.ok(state);
    const specs = [state.spec];
    if (family === 'srgan') {
      specs.push({ ...state.spec, params: { ...state.spec.params, srBlock: 'rrdb' } });
      specs.push({ ...state.spec, params: { ...state.spec.params, srUpsampler: 'lr', srBatchNorm: false } });
    }
    for (const [k, spec] of specs.entries()) {
      const nets = getFamily(family).build(spec);
      for (const [name, model] of Object.entries(nets)) {
        if (!model.outputs.some((o) => o.shape.includes(0))) {
          const d = await onnxVsOurs(model);
          lines.push(`${family}${k ? `#${k}` : ''}/${name} ${d.toExponential(2)}`);
          assert.ok(d <= TOLERANCE, `${family} ${name}: ONNX differs by ${d}`);
        }
        model.dispose();
      }
    }
  }
  t.diagnostic(`max abs difference per network: ${lines.join(', ')}`);
});

test('an ESRGAN-style generator (RRDB blocks: dense concatenations, residual scaling) exports exactly', async (t) => {
  const model = buildSrGenerator({
    scale: 2,
    channels: 3,
    features: 8,
    blocks: 1,
    block: 'rrdb',
    batchNorm: false,
    upsampler: 'shuffle',
  });
  const d = await onnxVsOurs(model);
  t.diagnostic(`rrdb x2: max abs difference ${d.toExponential(2)}`);
  assert.ok(d <= TOLERANCE, `rrdb: ONNX differs by ${d}`);
  model.dispose();
});

test('an unknown layer type fails with one line naming the layer and its class', async () => {
  const x = tf.input({ shape: [4, 8] });
  const y = tf.layers.lstm({ units: 2, name: 'memory' }).apply(x) as tf.SymbolicTensor;
  const m = tf.model({ inputs: x, outputs: y });
  await assert.rejects(
    toOnnx(m),
    (e: Error) => /^cannot export layer "memory" \(class LSTM\): /.test(e.message) && !e.message.includes('\n'),
  );
  m.dispose();
});

test('--network picks another network; an unknown one is named with the ones there', () => {
  const ck = path.join(FIXTURES, 'cyclegan');
  assert.equal(resolveExportSource(ck, 'generatorBA').network, 'generatorBA');
  assert.throws(() => resolveExportSource(ck, 'nope'), /no network "nope" \(it has .*generatorAB/);
  // A network folder itself is accepted too.
  assert.equal(resolveExportSource(path.join(FIXTURES, 'srgan', 'generator')).network, 'generator');
  // A run folder stands for its newest checkpoint.
  const run = path.join(tmpDir('gan-export-run-'), 'run');
  fs.cpSync(path.join(FIXTURES, 'dcgan'), path.join(run, 'checkpoints', 'step-00000002'), { recursive: true });
  const src = resolveExportSource(run);
  assert.equal(src.network, 'generatorEma');
  assert.equal(src.dir, path.join(run, 'checkpoints', 'step-00000002', 'generatorEma'));
  assert.throws(() => resolveExportSource(path.dirname(run)), /^.*not a checkpoint folder/);
});

test('gan export: the CLI writes the file and says what it wrote; bad options are one line', () => {
  const dir = tmpDir('gan-export-cli-');
  const file = path.join(dir, 'sr.onnx');
  const r = runGan(['export', path.join(FIXTURES, 'srgan'), '--format', 'onnx', '--out', file], { timeout: 120_000 });
  assert.equal(r.code, 0, r.stderr);
  assert.match(
    r.stdout,
    /^exported srgan generator, step 2 as onnx to .*sr\.onnx \(inputs lr \[batch, 3, height, width\]; outputs output \[batch, 3, height, width\]\)$/m,
  );
  assert.ok(fs.statSync(file).size > 1000);
  const bad = runGan(['export', path.join(FIXTURES, 'srgan'), '--format', 'keras', '--out', file]);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /^gan: --format must be onnx or tfjs \(got "keras"\)\n$/);
  const dirOut = runGan(['export', path.join(FIXTURES, 'srgan'), '--format', 'onnx', '--out', dir]);
  assert.equal(dirOut.code, 2);
  assert.match(dirOut.stderr, /^gan: --out .* is a folder; the onnx format writes one file/);
});
