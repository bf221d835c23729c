// Project templates: every template's config validates against the schema (the one the
// editor gets through jsonValidation), broken configs give one line naming the key, and the
// scaffold writes what it plans without overwriting anything unasked.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ConfigError, configSchema, loadConfig, resolveConfig } from '../../src/shared/config';
import { PROJECT_TEMPLATES, projectName } from '../../src/shared/projectTemplates';
import { encodeImage } from '../../src/trainer/engine/image/codec';
import { existingFiles, findTemplatesDir, planProject, writeProject } from '../../src/trainer/scaffold/scaffold';
import { tmpDir } from './helpers';

const templates = findTemplatesDir(__dirname);

test('templates: one per family, each config valid with a model file and a README', () => {
  assert.deepEqual(
    PROJECT_TEMPLATES.map((t) => t.kind),
    ['gan', 'dcgan', 'cgan', 'pix2pix', 'cyclegan', 'srgan'],
  );
  for (const t of PROJECT_TEMPLATES) {
    const cfg = loadConfig(path.join(templates, t.kind, 'gan.config.json'));
    assert.equal(cfg.model, t.kind);
    assert.equal(cfg.modelFile, path.join(templates, t.kind, 'model.ts'));
    assert.ok(fs.existsSync(cfg.modelFile), `${t.kind}: model.ts`);
    assert.ok(fs.existsSync(path.join(templates, t.kind, 'README.md')), `${t.kind}: README.md`);
    assert.equal(cfg.dataset.kind === 'mnist', !t.images, `${t.kind}: MNIST exactly for the non-image families`);
  }
});

test("templates: the papers' hyper-parameters", () => {
  const cfg = (k: string) => loadConfig(path.join(templates, k, 'gan.config.json'));
  for (const k of ['gan', 'dcgan', 'cgan', 'pix2pix', 'cyclegan'])
    assert.deepEqual([cfg(k).optimizer.lr, cfg(k).optimizer.beta1], [0.0002, 0.5], k);
  assert.equal(cfg('pix2pix').params.lambdaL1, 100);
  assert.equal(cfg('pix2pix').batchSize, 1);
  const c = cfg('cyclegan');
  assert.deepEqual(
    [
      c.params.lambdaCycle,
      c.params.lambdaIdentity,
      c.params.poolSize,
      c.params.residualBlocks,
      c.params.decayFrom,
      c.batchSize,
    ],
    [10, 0.5, 50, 6, c.steps / 2, 1],
  );
  const s = cfg('srgan');
  assert.deepEqual(
    [
      s.params.residualBlocks,
      s.params.ngf,
      s.imageSize,
      s.batchSize,
      s.optimizer.lr,
      s.optimizer.beta1,
      s.params.lambdaAdv,
      s.params.pixelLoss,
    ],
    [16, 64, 96, 16, 0.0001, 0.9, 0.001, 'l2'],
  );
});

test('schema: broken configs each give one line naming the key', () => {
  const base = JSON.parse(fs.readFileSync(path.join(templates, 'dcgan', 'gan.config.json'), 'utf8')) as Record<
    string,
    unknown
  >;
  const cases: Array<[Record<string, unknown>, RegExp]> = [
    [
      { model: 'stylegan' },
      /^gan\.config\.json: "model" must be one of "gan", "dcgan", "cgan", "pix2pix", "cyclegan", "srgan" \(got "stylegan"\)$/,
    ],
    [{ modelFile: '' }, /"modelFile" must be a string \(not empty\) \(got ""\)$/],
    [{ modelFile: 42 }, /"modelFile" must be a string .*\(got 42\)$/],
    [{ batchsize: 8 }, /unknown key "batchsize" \(did you mean "batchSize"\?\)$/],
    [{ imageSize: '28' }, /"imageSize" must be an integer >= 8 and <= 1024 \(got "28"\)$/],
    [{ optimizer: { lr: 0 } }, /"optimizer\.lr" must be a number > 0 and <= 1 \(got 0\)$/],
    [{ optimizer: { lr: 0.1, momentum: 0.9 } }, /unknown key "optimizer\.momentum"$/],
    [
      { params: { latentDim: 100, ngf: 64, lamdaL1: 10 } },
      /unknown key "params\.lamdaL1" \(did you mean "params\.lambdaL1"\?\)$/,
    ],
    [{ params: { srBlock: 'dense' } }, /"params\.srBlock" must be one of "resnet", "rrdb" \(got "dense"\)$/],
    [
      { dataset: { kind: 'cifar' } },
      /"dataset\.kind" must be one of "mnist", "fashion-mnist", "folder", "paired", "unpaired", "sr" \(got "cifar"\)$/,
    ],
    [{ dataset: { kind: 'unpaired', pathA: 'a' } }, /missing required key "dataset\.pathB"$/],
    [
      { model: 'srgan', dataset: { kind: 'sr', path: 'hr', scale: 3 }, imageSize: 96 },
      /"dataset\.scale" must be one of 2, 4 \(got 3\)$/,
    ],
    [{ imageSize: 30 }, /"imageSize" must be a multiple of 4 for model "dcgan" \(got 30\)$/],
    [{ model: 'cgan', dataset: { kind: 'folder', path: 'x' } }, /model "cgan" needs a labelled dataset/],
  ];
  for (const [over, expected] of cases) {
    const raw = { ...base, ...over };
    try {
      resolveConfig(raw, '/tmp', 'gan.config.json');
      assert.fail(`accepted: ${JSON.stringify(over)}`);
    } catch (e) {
      assert.ok(e instanceof ConfigError, String(e));
      assert.equal(e.problems.length, 1, `${JSON.stringify(over)}: ${e.problems.join(' | ')}`);
      assert.match(e.problems[0], expected, JSON.stringify(over));
    }
  }
  const { model: _m, ...noModel } = base;
  assert.throws(
    () => resolveConfig(noModel, '/tmp'),
    (e: ConfigError) => e.problems[0] === 'gan.config.json: missing required key "model"',
  );
});

test('schema: what the editor shows: a description for every key, defaults and enums', () => {
  const props = configSchema.properties as Record<
    string,
    {
      description?: string;
      markdownDescription?: string;
      properties?: Record<string, { description?: string; default?: unknown }>;
    }
  >;
  for (const [k, p] of Object.entries(props)) assert.ok(p.description || p.markdownDescription, `description of ${k}`);
  for (const [k, p] of Object.entries(props.params.properties ?? {})) {
    assert.ok(p.description, `description of params.${k}`);
    // A path has no default: left out, the run starts from fresh weights.
    if (k !== 'initGenerator') assert.notEqual(p.default, undefined, `default of params.${k}`);
  }
});

test('scaffold: plans and writes a project; never overwrites unasked', () => {
  const dir = path.join(tmpDir(), 'My Project!');
  const plan = planProject({ kind: 'dcgan', target: dir, templatesDir: templates });
  assert.deepEqual(plan.files.map((f) => f.rel).sort(), [
    '.gitignore',
    'README.md',
    'gan.config.json',
    'model.ts',
    'tsconfig.json',
    'types/gan-studio.d.ts',
    'types/tfjs.d.ts',
  ]);
  assert.deepEqual(existingFiles(plan), []);
  const r = writeProject(plan);
  assert.equal(r.written.length, 7);
  const cfg = loadConfig(path.join(dir, 'gan.config.json'));
  assert.equal(cfg.name, 'My-Project');
  assert.equal(cfg.modelFile, path.join(dir, 'model.ts'));
  const readme = fs.readFileSync(path.join(dir, 'README.md'), 'utf8');
  assert.match(readme, /^# My-Project: DCGAN on MNIST/);
  assert.doesNotMatch(readme, /\{\{/);
  // The editor types list every parameter of the schema.
  const dts = fs.readFileSync(path.join(dir, 'types/gan-studio.d.ts'), 'utf8');
  for (const k of Object.keys(configSchema.properties?.params?.properties ?? {}))
    assert.match(dts, new RegExp(`^  ${k}: `, 'm'), k);
  assert.doesNotMatch(dts, /@generated|eslint-disable/);

  fs.writeFileSync(path.join(dir, 'model.ts'), '// mine');
  assert.deepEqual(existingFiles(plan).length, 7);
  assert.throws(
    () => writeProject(plan),
    /already has gan\.config\.json, model\.ts, README\.md and 4 more: not overwritten/,
  );
  assert.equal(fs.readFileSync(path.join(dir, 'model.ts'), 'utf8'), '// mine');
  fs.rmSync(path.join(dir, 'README.md'));
  const kept = writeProject(plan, 'keep');
  assert.deepEqual(kept.written, ['README.md']);
  assert.equal(fs.readFileSync(path.join(dir, 'model.ts'), 'utf8'), '// mine');
  writeProject(plan, 'overwrite');
  assert.notEqual(fs.readFileSync(path.join(dir, 'model.ts'), 'utf8'), '// mine');
});

test("scaffold: example images from the user's folder, unreadable ones left out", () => {
  const pics = tmpDir();
  const img = (w: number, h: number, c: 1 | 3) => ({
    width: w,
    height: h,
    channels: c,
    data: new Uint8Array(w * h * c).map((_, i) => (i * 37) % 256),
  });
  fs.writeFileSync(path.join(pics, 'a.png'), encodeImage(img(90, 60, 3), 'png'));
  fs.writeFileSync(path.join(pics, 'b.jpg'), encodeImage(img(40, 80, 3), 'jpeg'));
  fs.writeFileSync(path.join(pics, 'c.png'), encodeImage(img(64, 64, 1), 'png'));
  fs.writeFileSync(path.join(pics, 'broken.jpg'), Buffer.from('not a jpeg'));
  fs.writeFileSync(path.join(pics, 'notes.txt'), 'ignored');
  const dir = tmpDir();
  const r = writeProject(planProject({ kind: 'pix2pix', target: dir, images: pics, templatesDir: templates }));
  assert.deepEqual(
    r.written.filter((f) => f.startsWith('data/')),
    ['data/pairs/001.png', 'data/pairs/002.png', 'data/pairs/004.png'],
  );
  assert.deepEqual(r.unreadable, ['data/pairs/003.png']);
  assert.match(fs.readFileSync(path.join(dir, 'README.md'), 'utf8'), /made from 4 pictures of /);
  // MNIST families train on the folder where it is (dcgan/cgan --images: test/unit/dcganPaper.test.ts).
  assert.deepEqual(
    planProject({ kind: 'dcgan', target: tmpDir(), images: pics })
      .files.map((f) => f.rel)
      .filter((f) => f.startsWith('data/')),
    [],
  );
  assert.throws(
    () => planProject({ kind: 'cgan', target: tmpDir(), images: pics }),
    /cGAN needs one subfolder of pictures per class/,
  );
  assert.throws(
    () => planProject({ kind: 'srgan', target: tmpDir(), images: path.join(pics, 'nope') }),
    /image folder not found/,
  );
});

test('projectName: a valid config name from any folder name', () => {
  assert.equal(projectName('my gan', 'x'), 'my-gan');
  assert.equal(projectName('__ü__', 'dcgan'), 'dcgan');
  assert.equal(projectName('.hidden', 'x'), 'hidden');
});
