// Checkpoints written before the family refactor still load. test/fixtures/checkpoints-8094b05
// holds one tiny step-2 checkpoint per family, written by a build of 8094b05 (see its README),
// and that build's output of one seeded forward pass per family (reference/). This build must
// load each checkpoint (gan sample / translate / upscale at the expected size), give the same
// pixels as the old build (max abs difference <= 1 of 255: the networks did not change) and
// resume training from it for a step.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runGan, type CliResult } from '../lib/cli';
import { readPng, tmpDir } from './helpers';

const FIXTURES = path.resolve('test/fixtures/checkpoints-8094b05');
const fixture = (...p: string[]) => path.join(FIXTURES, ...p);
const gan = (args: string[]): CliResult => runGan([...args, '--backend', 'cpu'], { timeout: 180_000 });

function ok(r: CliResult, what: string): void {
  assert.equal(r.code, 0, `${what}: exit ${r.code}\n${r.stderr}`);
}

/** The largest difference of any channel of any pixel; the sizes must match. */
function maxDiff(file: string, reference: string): number {
  const a = readPng(file),
    b = readPng(reference);
  assert.deepEqual([a.width, a.height], [b.width, b.height], `${path.basename(file)}: size`);
  let max = 0;
  for (let i = 0; i < a.data.length; i++) max = Math.max(max, Math.abs(a.data[i] - b.data[i]));
  return max;
}

/** Every reference PNG of a family against the file of the same name in `outDir`. */
function sameAsOldBuild(family: string, outDir: string): void {
  const refs = fs.readdirSync(fixture('reference', family)).sort();
  assert.ok(refs.length > 0, `${family}: no reference outputs`);
  for (const f of refs) {
    const out = path.join(outDir, f);
    assert.ok(fs.existsSync(out), `${family}: ${f} not written (got ${fs.readdirSync(outDir).join(', ')})`);
    const d = maxDiff(out, fixture('reference', family, f));
    assert.ok(d <= 1, `${family}: ${f} differs from the 8094b05 build's by up to ${d}/255 (allowed 1)`);
  }
}

/** The fixture as the step-2 checkpoint of a fresh run folder, resumed for one more step. */
function resumesOneStep(family: string): void {
  const runDir = path.join(tmpDir(`gan-old-${family}-`), 'run');
  fs.cpSync(fixture(family), path.join(runDir, 'checkpoints', 'step-00000002'), { recursive: true });
  const r = gan(['train', fixture(`${family}.json`), '--run-dir', runDir, '--resume', '--max-steps', '3']);
  ok(r, `${family}: gan train --resume`);
  assert.match(r.stdout, /resume .* from step 2/);
  assert.match(r.stdout, /^step 3\/3 /m);
  assert.ok(
    fs.existsSync(path.join(runDir, 'checkpoints', 'step-00000003', 'state.json')),
    `${family}: no step-3 checkpoint`,
  );
  fs.rmSync(path.dirname(runDir), { recursive: true, force: true });
}

for (const family of ['gan', 'dcgan', 'cgan']) {
  test(`old checkpoints: ${family} samples the old build's pixels and resumes`, () => {
    const out = tmpDir(`gan-old-${family}-`);
    // The same command as the fixture's reference (make.mjs), then a check of the size.
    ok(
      gan([
        'sample',
        fixture(family),
        '--out',
        out,
        '--count',
        '2',
        '--seed',
        '1',
        ...(family === 'cgan' ? ['--label', '3'] : []),
      ]),
      `${family}: gan sample`,
    );
    for (const f of fs.readdirSync(out)) {
      const png = readPng(path.join(out, f));
      assert.deepEqual([png.width, png.height], [12, 12], `${family}: ${f} size`);
    }
    sameAsOldBuild(family, out);
    fs.rmSync(out, { recursive: true, force: true });
    resumesOneStep(family);
  });
}

for (const family of ['pix2pix', 'cyclegan']) {
  test(`old checkpoints: ${family} translates to the old build's pixels and resumes`, () => {
    const out = tmpDir(`gan-old-${family}-`);
    const input = fixture('inputs', 'translate.png');
    ok(
      gan(['translate', input, path.join(out, 'translate.png'), '--checkpoint', fixture(family), '--seed', '1']),
      `${family}: gan translate`,
    );
    if (family === 'cyclegan') {
      ok(
        gan([
          'translate',
          input,
          path.join(out, 'translate-BtoA.png'),
          '--checkpoint',
          fixture(family),
          '--direction',
          'BtoA',
          '--seed',
          '1',
        ]),
        `${family}: gan translate BtoA`,
      );
    }
    const png = readPng(path.join(out, 'translate.png'));
    assert.deepEqual([png.width, png.height], [40, 24], `${family}: the output has the input's size`);
    sameAsOldBuild(family, out);
    fs.rmSync(out, { recursive: true, force: true });
    resumesOneStep(family);
  });
}

test("old checkpoints: srgan upscales x2 to the old build's pixels and resumes", () => {
  const out = tmpDir('gan-old-srgan-');
  ok(
    gan(['upscale', fixture('inputs', 'upscale.png'), path.join(out, 'upscale.png'), '--model', fixture('srgan')]),
    'srgan: gan upscale',
  );
  const png = readPng(path.join(out, 'upscale.png'));
  assert.deepEqual([png.width, png.height], [24, 20], 'srgan: 2 x the 12x10 input');
  sameAsOldBuild('srgan', out);
  fs.rmSync(out, { recursive: true, force: true });
  resumesOneStep('srgan');
});
