// The experiment config: each broken config gives one line naming the key; defaults and
// relative paths come out as documented.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ConfigError, configSchema, loadConfig, resolveConfig } from '../../src/shared/config';

function problems(raw: unknown): string[] {
  try {
    resolveConfig(raw, '/cfg');
  } catch (e) {
    assert.ok(e instanceof ConfigError, `expected ConfigError, got ${String(e)}`);
    return e.problems;
  }
  assert.fail('config was accepted');
}

const cases: Array<[string, unknown, string]> = [
  [
    'misspelt key',
    { model: 'dcgan', batchsize: 64 },
    'gan.config.json: unknown key "batchsize" (did you mean "batchSize"?)',
  ],
  ['zero batch', { model: 'dcgan', batchSize: 0 }, '"batchSize" must be an integer >= 1'],
  ['string for a number', { model: 'dcgan', steps: '100' }, '"steps" must be an integer >= 1'],
  ['fractional', { model: 'dcgan', imageSize: 28.5 }, '"imageSize" must be an integer'],
  ['missing model', { name: 'x' }, 'missing required key "model"'],
  [
    'unknown model',
    { model: 'stylegan' },
    '"model" must be one of "gan", "dcgan", "cgan", "pix2pix", "cyclegan", "srgan"',
  ],
  [
    'nested unknown',
    { model: 'gan', optimizer: { lr: 0.001, betta1: 0.5 } },
    'unknown key "optimizer.betta1" (did you mean "optimizer.beta1"?)',
  ],
  ['nested range', { model: 'gan', optimizer: { lr: 0 } }, '"optimizer.lr" must be a number > 0'],
  [
    'params typo',
    { model: 'gan', params: { latentdim: 10 } },
    'unknown key "params.latentdim" (did you mean "params.latentDim"?)',
  ],
  [
    'dataset kind',
    { model: 'gan', dataset: { kind: 'mnsit' } },
    '"dataset.kind" must be one of "mnist", "fashion-mnist"',
  ],
  ['dataset without kind', { model: 'gan', dataset: {} }, 'missing required key "dataset.kind"'],
  [
    'dataset key of another kind',
    { model: 'gan', dataset: { kind: 'mnist', path: './x' } },
    'unknown key "dataset.path"',
  ],
  ['folder without path', { model: 'gan', dataset: { kind: 'folder' } }, 'missing required key "dataset.path"'],
  ['dcgan size', { model: 'dcgan', imageSize: 30 }, '"imageSize" must be a multiple of 4 for model "dcgan"'],
  [
    'cgan without labels',
    { model: 'cgan', dataset: { kind: 'folder', path: 'x' } },
    'model "cgan" needs a labelled dataset',
  ],
  ['not an object', [1, 2], 'the config must be a JSON object'],
];

for (const [name, raw, expected] of cases) {
  test(`config: ${name}`, () => {
    const p = problems(raw);
    assert.equal(p.length, 1, `one line per problem, got: ${JSON.stringify(p)}`);
    assert.ok(p[0].includes(expected), `"${p[0]}" should contain "${expected}"`);
    assert.ok(!p[0].includes('\n'));
  });
}

test('config: several problems give one line each', () => {
  const p = problems({ model: 'dcgan', batchSize: -1, stepz: 3 });
  assert.equal(p.length, 2);
  assert.ok(p.some((l) => l.includes('"batchSize"')) && p.some((l) => l.includes('"stepz"')));
});

test('config: defaults are filled from the schema (Adam 2e-4, beta1 0.5)', () => {
  const c = resolveConfig({ model: 'dcgan' }, '/cfg');
  assert.deepEqual(c.optimizer, { lr: 0.0002, beta1: 0.5, beta2: 0.999 });
  assert.deepEqual(c.dataset, { kind: 'mnist', split: 'train' });
  assert.equal(c.batchSize, 64);
  assert.equal(c.imageSize, 28);
  assert.equal(c.params.latentDim, 100);
  assert.equal(c.params.ngf, 64);
  assert.equal(c.keepCheckpoints, 3);
});

test('config: relative paths resolve against the config folder', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gan-cfg-'));
  const file = path.join(dir, 'gan.config.json');
  fs.writeFileSync(
    file,
    JSON.stringify({ model: 'dcgan', modelFile: './model.ts', dataset: { kind: 'fashion-mnist', path: '../data/fm' } }),
  );
  const c = loadConfig(file);
  assert.equal(c.modelFile, path.join(dir, 'model.ts'));
  assert.equal(c.dataset.kind === 'fashion-mnist' && c.dataset.path, path.join(path.dirname(dir), 'data', 'fm'));
});

test('config: unreadable or broken files say so', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gan-cfg-'));
  const file = path.join(dir, 'gan.config.json');
  fs.writeFileSync(file, '{ "model": "dcgan", }');
  assert.throws(
    () => loadConfig(file),
    (e: ConfigError) => e.problems[0].startsWith('gan.config.json: broken JSON'),
  );
  assert.throws(
    () => loadConfig(path.join(dir, 'missing.json')),
    (e: ConfigError) => e.problems[0].includes('config file not found'),
  );
});

test('schema: every key has a description, and every optional key a default', () => {
  type Node = {
    properties?: Record<string, Node>;
    oneOf?: Node[];
    required?: string[];
    description?: string;
    default?: unknown;
  };
  // Optional keys whose absence means "not used" (no held-out set, no model file, ...).
  const noDefault = new Set(['modelFile', 'limit', 'path', 'make', 'valPath', 'valPathA', 'valPathB', 'initGenerator']);
  const missing: string[] = [];
  const walk = (n: Node, at: string) => {
    for (const [k, sub] of Object.entries(n.properties ?? {})) {
      if (!sub.description) missing.push(`${at}${k}: description`);
      if (sub.default === undefined && !(n.required ?? []).includes(k) && !noDefault.has(k))
        missing.push(`${at}${k}: default`);
      walk(sub, `${at}${k}.`);
    }
    for (const b of n.oneOf ?? []) walk(b, at);
  };
  walk(configSchema as Node, '');
  assert.deepEqual(missing, []);
});
