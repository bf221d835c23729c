// Model files (modelFile): compiling, the import rules, errors at the user's line, the
// generator/discriminator shape checks, and the "gan-studio" blocks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { defaultConfig } from '../../src/shared/config';
import { getFamily, type ModelSpec } from '../../src/trainer/models';
import * as blocks from '../../src/trainer/usermodel/blocks';
import { PROVIDED_MODULES, userModelFamily } from '../../src/trainer/usermodel/family';
import { ModelFileError, UserModule } from '../../src/trainer/usermodel/load';
import { wiringProblems } from '../../src/trainer/usermodel/shapes';
import { SourceMap } from '../../src/trainer/usermodel/sourceMap';
import { tmpDir } from './helpers';

function write(dir: string, name: string, text: string): string {
  const p = path.join(dir, name);
  fs.writeFileSync(p, text);
  return p;
}

function thrown(fn: () => unknown): ModelFileError {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof ModelFileError, `a ModelFileError, got ${(e as Error).stack}`);
    return e;
  }
  assert.fail('expected a ModelFileError');
}

const spec = (over: Partial<ModelSpec> = {}): ModelSpec => ({
  imageSize: 8,
  channels: 1,
  numClasses: 0,
  params: { ...defaultConfig('dcgan').params, latentDim: 4, ngf: 2, ndf: 2 },
  ...over,
});

const DCGAN = `import * as tf from '@tensorflow/tfjs';
import { conv, deconv, dense, flatten, reshape, type ModelSpec } from 'gan-studio';

export function buildGenerator(spec: ModelSpec): tf.LayersModel {
  const s = spec.imageSize / 4;
  const z = tf.input({ shape: [spec.params.latentDim] });
  let h = dense(z, { units: s * s * FILTERS, norm: 'batch', activation: 'leakyRelu' });
  h = reshape(h, [s, s, FILTERS]);
  h = deconv(h, { filters: FILTERS, kernelSize: 3, strides: 2, norm: 'batch', activation: 'relu' });
  return tf.model({ inputs: z, outputs: deconv(h, { filters: spec.channels, strides: STRIDE, activation: 'tanh' }) });
}

export function buildDiscriminator(spec: ModelSpec): tf.LayersModel {
  const x = tf.input({ shape: [spec.imageSize, spec.imageSize, spec.channels] });
  const h = conv(x, { filters: 4, strides: 2, activation: 'leakyRelu' });
  return tf.model({ inputs: x, outputs: dense(flatten(h), { units: 1 }) });
}
`;
const dcganFile = (filters = 3, stride = 2) =>
  DCGAN.replaceAll('FILTERS', String(filters)).replace('STRIDE', String(stride));

test('sourceMap: decodes VLQ mappings and maps generated positions back', () => {
  // "AAAA;AACA,IAAI" : line 1 -> (0,0); line 2 col 0 -> orig line 2 col 0, col 4 -> orig line 2 col 4.
  const m = new SourceMap('AAAA;AACA,IAAI');
  assert.deepEqual(m.original(1, 1), { line: 1, column: 1 });
  assert.deepEqual(m.original(2, 1), { line: 2, column: 1 });
  assert.deepEqual(m.original(2, 7), { line: 2, column: 5 });
  assert.equal(m.original(9, 1), undefined);
});

test('load: a syntax error is one line at the right place', () => {
  const dir = tmpDir();
  const file = write(
    dir,
    'model.ts',
    'import * as tf from "@tensorflow/tfjs";\n\nexport function buildGenerator(spec: any) {\n  const x = ;\n}\n',
  );
  const e = thrown(() => new UserModule(file, PROVIDED_MODULES));
  assert.equal(e.line, 4);
  assert.equal(e.column, 13);
  assert.match(e.message, /model\.ts:4:13: Unexpected ";"$/);
  assert.equal(e.message.split('\n').length, 1);
});

test("load: imports resolve to the trainer's tfjs and blocks, relative files, and clear errors otherwise", () => {
  const dir = tmpDir();
  write(dir, 'widths.ts', 'export const WIDTH: number = 7;\n');
  write(dir, 'extra.json', '{ "k": 3 }');
  const file = write(
    dir,
    'model.ts',
    [
      "import * as tf from '@tensorflow/tfjs';",
      "import * as g from 'gan-studio';",
      "import { WIDTH } from './widths';",
      "import extra from './extra.json';",
      "import * as os from 'node:os';",
      'export const same = tf.layers === (globalThis as any).__tfLayers;',
      'export const conv = g.conv;',
      'export const width = WIDTH + extra.k;',
      'export const hasOs = typeof os.cpus === "function";',
    ].join('\n'),
  );
  (globalThis as Record<string, unknown>).__tfLayers = tf.layers;
  const m = new UserModule(file, PROVIDED_MODULES);
  assert.equal(m.exports.same, true, 'the same tfjs instance as the trainer');
  assert.equal(m.exports.conv, blocks.conv);
  assert.equal(m.exports.width, 10);
  assert.equal(m.exports.hasOs, true);

  const core = write(dir, 'core.ts', "\nimport * as tfc from '@tensorflow/tfjs-core';\nexport const x = tfc;\n");
  assert.match(
    thrown(() => new UserModule(core, PROVIDED_MODULES)).message,
    /core\.ts:2:\d+: while loading the model file: import "@tensorflow\/tfjs" instead of "@tensorflow\/tfjs-core"/,
  );
  const missing = write(dir, 'missing.ts', "import { a } from './nope';\nexport const b = a;\n");
  assert.match(
    thrown(() => new UserModule(missing, PROVIDED_MODULES)).message,
    /missing\.ts:1:\d+: while loading the model file: cannot find "\.\/nope"/,
  );
  const pkg = write(dir, 'pkg.ts', "import x from 'no-such-package-here';\nexport const b = x;\n");
  assert.match(
    thrown(() => new UserModule(pkg, PROVIDED_MODULES)).message,
    /cannot find module "no-such-package-here"/,
  );
  assert.match(
    thrown(() => new UserModule(path.join(dir, 'absent.ts'), PROVIDED_MODULES)).message,
    /absent\.ts: model file not found$/,
  );
});

test('family: a model file builds the networks the built-in family trains', () => {
  const dir = tmpDir();
  const fam = userModelFamily(getFamily('dcgan'), write(dir, 'model.ts', dcganFile(5)));
  assert.equal(fam.kind, 'dcgan');
  assert.deepEqual(fam.networkNames, ['generator', 'discriminator']);
  const nets = fam.build(spec());
  try {
    assert.deepEqual(nets.generator.outputs[0].shape, [null, 8, 8, 1]);
    // The edit shows in the weights: the dense layer has s*s*FILTERS units.
    const dense = nets.generator.layers.find((l) => l.getClassName() === 'Dense') as tf.layers.Layer;
    assert.deepEqual(dense.getWeights()[0].shape, [4, 2 * 2 * 5]);
  } finally {
    Object.values(nets).forEach((m) => m.dispose());
  }
});

test('family: a generator/discriminator shape mismatch names both shapes, at the builder', () => {
  const dir = tmpDir();
  const file = write(dir, 'model.ts', dcganFile(3, 1));
  const fam = userModelFamily(getFamily('dcgan'), file);
  const e = thrown(() => fam.build(spec()));
  assert.match(
    e.message,
    /model\.ts:4:8: the generator's output \[4, 4, 1\] does not fit the discriminator's input \[8, 8, 1\]$/,
  );
});

test('family: missing exports, wrong return values and throws inside a builder', () => {
  const dir = tmpDir();
  const noD = write(
    dir,
    'noD.ts',
    dcganFile().replace('export function buildDiscriminator', 'function buildDiscriminator'),
  );
  assert.match(
    thrown(() => userModelFamily(getFamily('dcgan'), noD)).message,
    /noD\.ts:1:1: exports no buildDiscriminator\(spec\) .*it exports buildGenerator\)$/,
  );

  const tensor = write(
    dir,
    'tensor.ts',
    dcganFile().replace(
      'return tf.model({ inputs: x, outputs: dense(flatten(h), { units: 1 }) });',
      'return dense(flatten(h), { units: 1 });',
    ),
  );
  assert.match(
    thrown(() => userModelFamily(getFamily('dcgan'), tensor).build(spec())).message,
    /tensor\.ts:13:8: buildDiscriminator\(\) must return a tf\.LayersModel, got a SymbolicTensor/,
  );

  // A tfjs error thrown deep inside a layer points at the user's call, not at tfjs.
  const bad = write(
    dir,
    'bad.ts',
    dcganFile().replace('  h = reshape(h, [s, s, 3]);\n', '  h = deconv(h, { filters: 2 });\n'),
  );
  const e = thrown(() => userModelFamily(getFamily('dcgan'), bad).build(spec()));
  assert.equal(e.line, 8);
  assert.match(e.message, /bad\.ts:8:7: buildGenerator: .*expected ndim=4, found ndim=2/);
});

test('shapes: the wiring rules of every family', () => {
  const ws = { imageSize: 8, channels: 3, numClasses: 10, latentDim: 4, scale: 4 };
  const net = (inputs: (number | null)[][], outputs: (number | null)[][]) => ({ inputs, outputs });
  assert.deepEqual(
    wiringProblems(
      'dcgan',
      { ...ws, channels: 1 },
      { generator: net([[4]], [[8, 8, 1]]), discriminator: net([[8, 8, 1]], [[1]]) },
    ),
    [],
  );
  assert.match(
    wiringProblems('dcgan', ws, { generator: net([[5]], [[8, 8, 3]]), discriminator: net([[8, 8, 3]], [[1]]) })[0]
      .message,
    /input is \[5\], but the noise it gets is \[4\]/,
  );
  assert.match(
    wiringProblems('dcgan', ws, { generator: net([[4]], [[8, 8, 3]]), discriminator: net([[8, 8, 3]], [[4, 4, 1]]) })[0]
      .message,
    /must output one logit per image \(\[1\]\), got \[4, 4, 1\]/,
  );
  assert.match(
    wiringProblems('cgan', ws, { generator: net([[4]], [[8, 8, 3]]), discriminator: net([[8, 8, 3], [10]], [[1]]) })[0]
      .message,
    /second input must be the one-hot label \[10\], got nothing/,
  );
  // pix2pix: (input, output) as two D inputs or one concatenated input.
  assert.deepEqual(
    wiringProblems('pix2pix', ws, {
      generator: net([[8, 8, 3]], [[8, 8, 3]]),
      discriminator: net(
        [
          [8, 8, 3],
          [8, 8, 3],
        ],
        [[1, 1, 1]],
      ),
    }),
    [],
  );
  assert.deepEqual(
    wiringProblems('pix2pix', ws, {
      generator: net([[8, 8, 3]], [[8, 8, 3]]),
      discriminator: net([[8, 8, 6]], [[1, 1, 1]]),
    }),
    [],
  );
  assert.match(
    wiringProblems('pix2pix', ws, {
      generator: net([[8, 8, 3]], [[8, 8, 3]]),
      discriminator: net([[8, 8, 3]], [[1, 1, 1]]),
    })[0].message,
    /the \(input, output\) pair \[8, 8, 6\] \(concatenated on channels\) does not fit the discriminator's input \[8, 8, 3\]/,
  );
  // cyclegan: G_AB feeds D_B.
  const cyc = {
    generatorAB: net([[8, 8, 3]], [[8, 8, 3]]),
    generatorBA: net([[8, 8, 3]], [[8, 8, 3]]),
    discriminatorA: net([[8, 8, 3]], [[1, 1, 1]]),
    discriminatorB: net([[16, 16, 3]], [[1, 1, 1]]),
  };
  assert.match(
    wiringProblems('cyclegan', ws, cyc)[0].message,
    /generatorAB's output \[8, 8, 3\] does not fit the discriminatorB's input \[16, 16, 3\]/,
  );
  // srgan: any input size, upscales by the scale, D returns features.
  assert.deepEqual(
    wiringProblems('srgan', ws, {
      generator: net([[null, null, 3]], [[null, null, 3]]),
      discriminator: net([[8, 8, 3]], [[1], [2, 2, 4], [1, 1, 8]]),
    }),
    [],
  );
  assert.match(
    wiringProblems('srgan', ws, {
      generator: net([[2, 2, 3]], [[4, 4, 3]]),
      discriminator: net([[8, 8, 3]], [[1], [2, 2, 4]]),
    })
      .map((p) => p.message)
      .join('\n'),
    /must upscale by 4/,
  );
  assert.match(
    wiringProblems('srgan', ws, {
      generator: net([[null, null, 3]], [[null, null, 3]]),
      discriminator: net([[8, 8, 3]], [[1]]),
    })[0].message,
    /\[logit, \.\.\.feature maps\]/,
  );
});

test("blocks: the papers' blocks have the papers' shapes", () => {
  const x = tf.input({ shape: [64, 64, 3] });
  assert.deepEqual(blocks.unet(x, { outChannels: 3, ngf: 4 }).shape, [null, 64, 64, 3]);
  // The paper's padding 1: 30x30 patches at 256 px, 6x6 at 64.
  assert.deepEqual(blocks.patchGan(x, { ndf: 4 }).shape, [null, 6, 6, 1]);
  assert.deepEqual(blocks.resnetBlock(blocks.conv(x, { filters: 8 }), { filters: 8 }).shape, [null, 64, 64, 8]);
  assert.deepEqual(blocks.pixelShuffle(blocks.conv(x, { filters: 12 }), 2).shape, [null, 128, 128, 3]);
  assert.deepEqual(blocks.bicubicUpsample(tf.input({ shape: [null, null, 3] }), 4).shape, [null, null, null, 3]);
  assert.deepEqual(blocks.labelPlanes(tf.input({ shape: [10] }), 28).shape, [null, 28, 28, 10]);
});
