// Adding a family is a folder and its registry lines (src/trainer/models/README.md): in a copy
// of the repository, the toy family of test/fixtures/toyFamily/ goes into
// src/trainer/models/toy/, one entry into each registry, and nothing else is edited; the
// build regenerates the schema, and `gan train` on "model": "toy" writes its metrics.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readMetrics, tmpDir, writeConfig } from './helpers';

const repo = process.cwd();
const COPIED = ['src', 'scripts', 'templates', 'webview', 'package.json', 'tsconfig.json'];

/** Every file under dir (dist/ left out: build output), with a hash of its bytes. */
function snapshot(dir: string, rel = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const e of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
    const r = path.posix.join(rel, e.name);
    if (r === 'dist' || r === 'node_modules') continue;
    if (e.isDirectory()) for (const [k, v] of snapshot(dir, r)) out.set(k, v);
    else
      out.set(
        r,
        createHash('sha1')
          .update(fs.readFileSync(path.join(dir, r)))
          .digest('hex'),
      );
  }
  return out;
}

/** Adds `line` after the last import and `entry` where `at` matches: a registry's two lines. */
function register(file: string, line: string, at: RegExp, entry: (m: string) => string): void {
  let text = fs.readFileSync(file, 'utf8');
  const lastImport = [...text.matchAll(/^import .*;$/gm)].at(-1);
  assert.ok(lastImport?.index !== undefined, `no import in ${file}`);
  const end = lastImport.index + lastImport[0].length;
  text = `${text.slice(0, end)}\n${line}${text.slice(end)}`;
  assert.match(text, at, `${file}: where the families are listed`);
  fs.writeFileSync(file, text.replace(at, entry));
}

test('toy family: a folder and two registry lines train with gan train', { timeout: 180_000 }, () => {
  const root = tmpDir('gan-toy-');
  for (const p of COPIED)
    if (fs.existsSync(path.join(repo, p))) fs.cpSync(path.join(repo, p), path.join(root, p), { recursive: true });
  fs.symlinkSync(path.join(repo, 'node_modules'), path.join(root, 'node_modules'), 'dir');
  const before = snapshot(root);

  const models = path.join(root, 'src', 'trainer', 'models');
  fs.cpSync(path.join(repo, 'test', 'fixtures', 'toyFamily', 'toy'), path.join(models, 'toy'), { recursive: true });
  register(
    path.join(models, 'infos.ts'),
    "import { toyInfo } from './toy/info';",
    /^(\s*)srgan: srganInfo,$/m,
    (m) => `${m}\n${m.replace(/srgan: srganInfo/, 'toy: toyInfo')}`,
  );
  register(
    path.join(models, 'index.ts'),
    "import { toy } from './toy';",
    /Record<ModelKind, ModelFamily> = \{[^}]*\}/,
    (m) => m.replace(/,?\s*\}$/, ', toy }'),
  );

  const build = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: root, encoding: 'utf8' });
  assert.equal(build.status, 0, build.stderr);
  const schema = JSON.parse(fs.readFileSync(path.join(root, 'src', 'shared', 'gan.config.schema.json'), 'utf8'));
  assert.ok(schema.properties.model.enum.includes('toy'), 'the build regenerated the schema with the new family');
  assert.match(schema.properties.model.description, /toy \(test fixture\)/);

  // What changed: the new folder, the two registries and the generated schema; nothing else.
  const after = snapshot(root);
  const changed = [...new Set([...before.keys(), ...after.keys()])]
    .filter((k) => before.get(k) !== after.get(k))
    .sort();
  assert.deepEqual(changed, [
    'src/shared/gan.config.schema.json',
    'src/trainer/models/index.ts',
    'src/trainer/models/infos.ts',
    'src/trainer/models/toy/index.ts',
    'src/trainer/models/toy/info.ts',
  ]);
  const check = spawnSync(process.execPath, ['scripts/gen-schema.mjs', '--check'], { cwd: root, encoding: 'utf8' });
  assert.equal(check.status, 0, check.stderr);

  const cfg = writeConfig(root, {
    model: 'toy',
    steps: 3,
    checkpointEvery: 3,
    params: { latentDim: 8, ngf: 8, ndf: 8 },
  });
  const runDir = path.join(root, 'run');
  const train = spawnSync(
    process.execPath,
    [path.join(root, 'dist', 'cli.js'), 'train', cfg, '--run-dir', runDir, '--backend', 'cpu'],
    { cwd: root, encoding: 'utf8', timeout: 120_000 },
  );
  assert.equal(train.status, 0, train.stderr);
  const metrics = readMetrics(runDir);
  assert.deepEqual(
    metrics.map((m) => m.step),
    [1, 2, 3],
  );
  assert.ok(
    metrics.every((m) => Number.isFinite(m.losses.dLoss) && Number.isFinite(m.losses.gLoss)),
    JSON.stringify(metrics),
  );
  fs.rmSync(root, { recursive: true, force: true });
});
