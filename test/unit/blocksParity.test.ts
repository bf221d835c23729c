// One set of blocks: every template's model.ts, loaded as a user's model file, builds the
// same networks as the built-in family for the same spec and seed: the same weight count per
// network, the same initial weights, and the same generator output for the same input.
// Sizes are shrunk to keep it quick; the code paths are the templates' own.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { loadConfig, type ModelKind } from '../../src/shared/config';
import { PROJECT_TEMPLATES } from '../../src/shared/projectTemplates';
import { installAsMathRandom, Rng } from '../../src/trainer/engine/rng';
import { getFamily, type ModelFamily, type ModelSpec, type Networks } from '../../src/trainer/models';
import { findTemplatesDir } from '../../src/trainer/scaffold/scaffold';
import { userModelFamily } from '../../src/trainer/usermodel/family';

const templates = findTemplatesDir(__dirname);

/** Builds under a seeded Math.random, as the trainer does. */
function seeded<T>(fn: () => T, seed = 7): T {
  const restore = installAsMathRandom(new Rng(seed));
  try {
    return fn();
  } finally {
    restore();
  }
}

/** A case's template files: model.ts and gan.config.json, or a variant's (model.paper.ts, ...). */
const templateFile = (kind: ModelKind, file: string, variant?: string) =>
  path.join(templates, kind, variant ? file.replace(/\.(\w+)$/, `.${variant}.$1`) : file);

function specOf(
  kind: ModelKind,
  over: { imageSize: number; params: Record<string, unknown>; scale?: number; variant?: string },
): ModelSpec {
  const cfg = loadConfig(templateFile(kind, 'gan.config.json', over.variant));
  const mnist = cfg.dataset.kind === 'mnist';
  return {
    imageSize: over.imageSize,
    channels: mnist ? 1 : 3,
    numClasses: getFamily(kind).info.conditional ? 10 : 0,
    params: { ...cfg.params, ...over.params } as ModelSpec['params'],
    ...(over.scale ? { scale: over.scale } : {}),
  };
}

/** One batch for a generator: inputs drawn from a fixed seed, open sizes set to 8. */
function inputsFor(G: tf.LayersModel): tf.Tensor[] {
  return G.inputs.map((t, i) => tf.randomNormal([2, ...t.shape.slice(1).map((d) => d ?? 8)], 0, 1, 'float32', 11 + i));
}

function assertSameNetworks(kind: string, builtIn: Networks, user: Networks) {
  assert.deepEqual(Object.keys(user).sort(), Object.keys(builtIn).sort(), `${kind}: network names`);
  for (const [name, m] of Object.entries(builtIn)) {
    assert.equal(user[name].countParams(), m.countParams(), `${kind}: weights of ${name}`);
    // Initialised alike: the same values, weight by weight, in the same order.
    const [wa, wb] = [m.getWeights(), user[name].getWeights()];
    assert.deepEqual(
      wb.map((w) => w.shape),
      wa.map((w) => w.shape),
      `${kind}: weight shapes of ${name}`,
    );
    wa.forEach((w, i) =>
      assert.ok(
        tf.max(tf.abs(tf.sub(w, wb[i]))).dataSync()[0] <= 1e-6,
        `${kind}: ${name} weight ${i} (${m.weights[i].name}) differs`,
      ),
    );
    if (!/generator/i.test(name)) continue;
    const x = inputsFor(m);
    // Seeded again for each run: pix2pix's dropout stays on at inference.
    const run = (g: tf.LayersModel) => seeded(() => g.predict(x.length === 1 ? x[0] : x) as tf.Tensor, 3);
    const a = run(m),
      b = run(user[name]);
    const diff = tf.max(tf.abs(tf.sub(a, b))).dataSync()[0];
    assert.deepEqual(b.shape, a.shape, `${kind}: ${name} output shape`);
    assert.ok(diff <= 1e-5, `${kind}: ${name} outputs differ by ${diff}`);
    tf.dispose([...x, a, b]);
  }
}

const cases: Array<[ModelKind, Parameters<typeof specOf>[1]]> = [
  ['gan', { imageSize: 28, params: { latentDim: 8, ngf: 4, ndf: 4 } }],
  ['dcgan', { imageSize: 28, params: { latentDim: 8, ngf: 4, ndf: 4 } }],
  ['cgan', { imageSize: 28, params: { latentDim: 8, ngf: 4, ndf: 4 } }],
  // gan init dcgan|cgan --images DIR: the DCGAN paper's networks (model.paper.ts), each size.
  ['dcgan', { variant: 'paper', imageSize: 64, params: { latentDim: 8, ngf: 4, ndf: 4 } }],
  ['dcgan', { variant: 'paper', imageSize: 32, params: { latentDim: 8, ngf: 4, ndf: 4 } }],
  ['dcgan', { variant: 'paper', imageSize: 128, params: { latentDim: 8, ngf: 2, ndf: 2 } }],
  ['cgan', { variant: 'paper', imageSize: 64, params: { latentDim: 8, ngf: 4, ndf: 4 } }],
  ['pix2pix', { imageSize: 32, params: { ngf: 2, ndf: 2, norm: 'batch' } }],
  ['pix2pix', { imageSize: 64, params: { ngf: 2, ndf: 2, norm: 'instance', dropout: 0.3 } }],
  ['cyclegan', { imageSize: 32, params: { ngf: 2, ndf: 2, residualBlocks: 2, norm: 'instance' } }],
  ['cyclegan', { imageSize: 32, params: { ngf: 2, ndf: 2, residualBlocks: 1, norm: 'batch' } }],
  ['srgan', { imageSize: 24, scale: 4, params: { ngf: 4, ndf: 4, residualBlocks: 2 } }],
  ['srgan', { imageSize: 24, scale: 2, params: { ngf: 4, ndf: 4, residualBlocks: 1, srBatchNorm: false } }],
];

test('blocks parity: every template has a case', () => {
  assert.deepEqual([...new Set(cases.map(([k]) => k))].sort(), PROJECT_TEMPLATES.map((t) => t.kind).sort());
});

for (const [kind, over] of cases) {
  const file = path
    .relative(templates, templateFile(kind, 'model.ts', over.variant))
    .split(path.sep)
    .join('/');
  test(`blocks parity: templates/${file} builds the built-in ${kind} (${over.imageSize} px, ${JSON.stringify(over.params)})`, () => {
    const spec = specOf(kind, over);
    const base: ModelFamily = getFamily(kind);
    const user = userModelFamily(base, templateFile(kind, 'model.ts', over.variant));
    const a = seeded(() => base.build(spec)),
      b = seeded(() => user.build(spec));
    try {
      assertSameNetworks(kind, a, b);
    } finally {
      for (const m of [...Object.values(a), ...Object.values(b)]) m.dispose();
    }
  });
}
