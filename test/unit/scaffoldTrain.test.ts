// Acceptance of the project templates, as a user goes: `gan init <template>` into an empty
// folder, `gan train` on what it wrote (dist/cli.js, a few steps), then an edit to model.ts
// (a changed filter count) and a second run whose saved generator has the new weight shapes.
// Only the sizes in the config are shrunk (image size, widths, batch) to keep it fast; the
// template's networks, data layout and example images are used as written.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CLI, runGan } from '../lib/cli';
import { tmpDir } from './helpers';

const gan = (args: string[]) => runGan(args, { timeout: 600_000 });

interface Case {
  /** Config keys replaced to make a step quick. */
  shrink: Record<string, unknown>;
  /** The model.ts edit: [text in the template, replacement]. */
  edit: [string, string];
  /** Generator networks to compare. */
  generator: string;
}

const tiny = { logEvery: 1, batchSize: 4 };
const mnist = { ...tiny, dataset: { kind: 'mnist', limit: 64 }, params: { latentDim: 8, ngf: 4, ndf: 4 } };
const CASES: Record<string, Case> = {
  gan: {
    shrink: mnist,
    edit: ['dense(z, { units: ngf * 4,', 'dense(z, { units: ngf * 4 + 3,'],
    generator: 'generator',
  },
  dcgan: {
    shrink: mnist,
    edit: ['deconv(h, { filters: ngf * 2,', 'deconv(h, { filters: ngf * 2 + 3,'],
    generator: 'generator',
  },
  cgan: {
    shrink: mnist,
    edit: ['deconv(h, { filters: ngf * 2,', 'deconv(h, { filters: ngf * 2 + 3,'],
    generator: 'generator',
  },
  pix2pix: {
    shrink: { logEvery: 1, imageSize: 32, params: { ngf: 4, ndf: 4, lambdaL1: 100 } },
    edit: ['{ outChannels: spec.channels, ngf,', '{ outChannels: spec.channels, ngf: ngf + 2,'],
    generator: 'generator',
  },
  cyclegan: {
    shrink: { logEvery: 1, imageSize: 32, params: { ngf: 4, ndf: 4, residualBlocks: 1, poolSize: 2 } },
    edit: ['ngf, blocks: residualBlocks,', 'ngf: ngf + 3, blocks: residualBlocks,'],
    generator: 'generatorAB',
  },
  srgan: {
    // pretrainSteps 1: the second step is adversarial, so both networks train.
    shrink: {
      logEvery: 1,
      imageSize: 32,
      batchSize: 2,
      params: { ngf: 4, ndf: 4, residualBlocks: 1, pretrainSteps: 1 },
    },
    edit: ["conv(h, { filters: ngf * 4, init: 'he' })", "conv(h, { filters: ngf * 8, init: 'he' })"],
    generator: 'generator',
  },
};

function weightShapes(runDir: string, net: string): number[][] {
  const m = JSON.parse(fs.readFileSync(path.join(runDir, 'checkpoints', 'latest', net, 'model.json'), 'utf8')) as {
    weightsManifest: { weights: { shape: number[] }[] }[];
  };
  return m.weightsManifest.flatMap((g) => g.weights.map((w) => w.shape));
}

function train(config: string, runDir: string, steps: number, note: (m: string) => void): void {
  const t0 = Date.now();
  const r = gan(['train', config, '--run-dir', runDir, '--max-steps', String(steps)]);
  assert.equal(r.code, 0, `gan train: ${r.stderr}`);
  assert.match(r.stdout, new RegExp(`finished at step ${steps}: `));
  for (const f of [
    'config.json',
    'metrics.jsonl',
    'events.log',
    'checkpoints/latest/state.json',
    `samples/step-${String(steps).padStart(8, '0')}.png`,
  ]) {
    assert.ok(fs.existsSync(path.join(runDir, f)), `${runDir}/${f}`);
  }
  note(`${path.basename(path.dirname(config))}: ${steps} steps in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}

test('scaffold acceptance: dist/cli.js is built', () => {
  assert.ok(fs.existsSync(CLI), 'run node scripts/build.mjs first');
});

for (const [kind, c] of Object.entries(CASES)) {
  test(`scaffold acceptance: ${kind}: gan init into an empty folder, gan train, edit model.ts, train again`, (t) => {
    const dir = path.join(tmpDir(), kind);
    const init = gan(['init', kind, dir]);
    assert.equal(init.code, 0, init.stderr);
    assert.match(init.stdout, /files written/);
    const configPath = path.join(dir, 'gan.config.json');
    const cfg = JSON.parse(fs.readFileSync(configPath, 'utf8')) as Record<string, unknown>;
    assert.equal(cfg.modelFile, './model.ts');
    for (const [k, v] of Object.entries(c.shrink)) {
      cfg[k] = v && typeof v === 'object' && !Array.isArray(v) && k !== 'dataset' ? { ...(cfg[k] as object), ...v } : v;
    }
    fs.writeFileSync(configPath, JSON.stringify(cfg, null, 2));

    train(configPath, path.join(dir, 'runs', 'first'), 2, (m) => t.diagnostic(m));
    const before = weightShapes(path.join(dir, 'runs', 'first'), c.generator);

    const modelFile = path.join(dir, 'model.ts');
    const src = fs.readFileSync(modelFile, 'utf8');
    assert.ok(src.includes(c.edit[0]), `${kind}: the edit's text is in model.ts`);
    fs.writeFileSync(modelFile, src.replace(c.edit[0], c.edit[1]));
    train(configPath, path.join(dir, 'runs', 'edited'), 1, (m) => t.diagnostic(m));
    const after = weightShapes(path.join(dir, 'runs', 'edited'), c.generator);
    assert.notDeepEqual(after, before, `${kind}: the edited model.ts changed the generator's weights`);
  });
}

test('scaffold acceptance: model-file mistakes are one line from the CLI, and nothing is written', () => {
  const dir = path.join(tmpDir(), 'broken');
  assert.equal(gan(['init', 'dcgan', dir]).code, 0);
  const configPath = path.join(dir, 'gan.config.json');
  const modelFile = path.join(dir, 'model.ts');
  const good = fs.readFileSync(modelFile, 'utf8');
  const lineOf = (text: string, needle: string) => text.slice(0, text.indexOf(needle)).split('\n').length;

  // A syntax error: file:line:column of the user's source.
  const syntax = good.replace('const s = spec.imageSize / 4;', 'const s = spec.imageSize / ;');
  fs.writeFileSync(modelFile, syntax);
  let r = gan(['train', configPath, '--max-steps', '1']);
  assert.equal(r.code, 2);
  assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  assert.match(
    r.stderr.trim(),
    new RegExp(`^gan: .*model\\.ts:${lineOf(syntax, 'spec.imageSize / ;')}:\\d+: Unexpected ";"$`),
  );

  // The generator's output no longer fits the discriminator: both shapes named.
  fs.writeFileSync(modelFile, good.replace(/(filters: spec\.channels,\s*kernelSize: 5,\s*strides: )2,/, '$11,'));
  r = gan(['train', configPath, '--max-steps', '1']);
  assert.equal(r.code, 2);
  assert.match(
    r.stderr.trim(),
    new RegExp(
      `^gan: .*model\\.ts:${lineOf(good, 'export function buildGenerator')}:8: the generator's output \\[14, 14, 1\\] does not fit the discriminator's input \\[28, 28, 1\\]$`,
    ),
  );
  assert.ok(!fs.existsSync(path.join(dir, 'runs')), 'no run folder for a run that could not start');

  // gan init refuses to overwrite.
  r = gan(['init', 'dcgan', dir]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /^gan: .* already has gan\.config\.json, model\.ts, README\.md and 4 more: not overwritten/);
});
