// The `gan` command as a user runs it: dist/cli.js in a subprocess. Bad input exits 2 with one
// line "gan: ..." on stderr and no stack trace; SIGINT checkpoints and exits 0.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CLI, runGan } from '../lib/cli';
import { readMetrics, readPng, tmpDir, writeConfig } from './helpers';

const gan = (args: string[], cwd?: string) => runGan(args, { cwd });

test('cli: dist/cli.js is built', () => {
  assert.ok(fs.existsSync(CLI), 'run node scripts/build.mjs first');
});

test('cli: bad input exits 2 with one line naming the problem', () => {
  const dir = tmpDir();
  const good = writeConfig(dir);
  const write = (name: string, text: string) => {
    const p = path.join(dir, name);
    fs.writeFileSync(p, text);
    return p;
  };
  const cases: Array<[string[], RegExp]> = [
    [['frobnicate'], /^gan: unknown command "frobnicate"/],
    [['train'], /^gan: missing the config file/],
    [['train', path.join(dir, 'nope.json')], /^gan: config file not found: .*nope\.json$/],
    [['train', write('broken.json', '{ "model": "gan", ')], /^gan: broken\.json: broken JSON/],
    [
      ['train', write('typo.json', '{ "model": "gan", "batchsize": 8 }')],
      /^gan: typo\.json: unknown key "batchsize" \(did you mean "batchSize"\?\)$/,
    ],
    [
      ['train', write('type.json', '{ "model": "gan", "batchSize": "8" }')],
      /^gan: type\.json: "batchSize" must be an integer >= 1/,
    ],
    [['train', write('nomodel.json', '{ "name": "x" }')], /^gan: nomodel\.json: missing required key "model"$/],
    [
      ['train', write('two.json', '{ "model": "gan", "steps": 0, "seeed": 1 }')],
      /^gan: two\.json: .* \(and 1 more problem\)$/,
    ],
    [['train', good, '--bogus'], /^gan: unknown option --bogus for "gan train"/],
    [
      ['train', good, '--backend', 'gpu'],
      /^gan: --backend must be one of auto, webgpu, native, wasm, cpu, tfjs-node \(got "gpu"\)$/,
    ],
    [['train', good, '--max-steps', 'ten'], /^gan: --max-steps must be an integer >= 1 \(got "ten"\)$/],
    [
      ['train', write('fm.json', '{ "model": "gan", "dataset": { "kind": "fashion-mnist" } }'), '--backend', 'cpu'],
      /^gan: Fashion-MNIST not found/,
    ],
    [
      ['train', write('p2p.json', `{ "model": "pix2pix", "dataset": { "kind": "paired", "path": "." } }`)],
      /^gan: no image pairs in A\|B images in /,
    ],
    [['sample', dir, '--out', path.join(dir, 'o')], /^gan: not a checkpoint folder/],
    [['sample', dir], /^gan: missing --out <dir>/],
    [['bench', '--model', 'stylegan'], /^gan: --model must be one of/],
  ];
  for (const [args, expected] of cases) {
    const r = gan(args, dir);
    const lines = r.stderr.trim().split('\n');
    assert.equal(r.code, 2, `${args.join(' ')}: exit ${r.code}, stderr ${r.stderr}`);
    assert.equal(lines.length, 1, `${args.join(' ')}: one line, got:\n${r.stderr}`);
    assert.match(lines[0], expected, args.join(' '));
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
  }
  assert.ok(!fs.existsSync(path.join(dir, 'runs')), 'no run folder was created by any of them');
});

test('cli: train, then sample N PNGs from the checkpoint', () => {
  const dir = tmpDir();
  const configPath = writeConfig(dir, { steps: 2 });
  const runDir = path.join(dir, 'run');
  const t = gan(['train', configPath, '--run-dir', runDir, '--backend', 'cpu', '--seed', '3']);
  assert.equal(t.code, 0, t.stderr);
  assert.match(t.stdout, /^backend cpu$/m);
  assert.match(t.stdout, /^step 2\/2 {2}dLoss/m);
  assert.equal(JSON.parse(fs.readFileSync(path.join(runDir, 'config.json'), 'utf8')).seed, 3);

  const out = path.join(dir, 'samples');
  const s = gan([
    'sample',
    path.join(runDir, 'checkpoints', 'latest'),
    '--out',
    out,
    '--count',
    '3',
    '--seed',
    '5',
    '--backend',
    'cpu',
  ]);
  assert.equal(s.code, 0, s.stderr);
  const files = fs.readdirSync(out).sort();
  assert.deepEqual(files, ['sample-0001.png', 'sample-0002.png', 'sample-0003.png']);
  const png = readPng(path.join(out, files[0]));
  assert.deepEqual([png.width, png.height], [28, 28]);
  // a run folder stands for its latest checkpoint; the same seed gives the same images
  const again = path.join(dir, 'again');
  assert.equal(gan(['sample', runDir, '--out', again, '--count', '3', '--seed', '5', '--backend', 'cpu']).code, 0);
  assert.ok(fs.readFileSync(path.join(out, files[2])).equals(fs.readFileSync(path.join(again, files[2]))));

  const label = gan(['sample', runDir, '--out', out, '--label', '3', '--backend', 'cpu']);
  assert.equal(label.code, 2);
  assert.match(label.stderr, /^gan: --label needs a conditional model \(cgan\); this checkpoint is "gan"\n$/);

  // nothing already saved is touched by a refused command
  const before = fs.readFileSync(path.join(runDir, 'metrics.jsonl'));
  const again2 = gan(['train', configPath, '--run-dir', runDir, '--backend', 'cpu']);
  assert.equal(again2.code, 2);
  assert.match(again2.stderr, /already holds a run/);
  assert.ok(fs.readFileSync(path.join(runDir, 'metrics.jsonl')).equals(before));
});

test('cli: SIGINT saves a checkpoint and exits 0; --resume continues from it', async () => {
  const dir = tmpDir();
  const configPath = writeConfig(dir, { steps: 100000, checkpointEvery: 100000, sampleEvery: 100000 });
  const runDir = path.join(dir, 'run');
  const child = spawn(process.execPath, [CLI, 'train', configPath, '--run-dir', runDir, '--backend', 'cpu'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  const code = await new Promise<number | null>((resolve) => {
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      if (/^step 3\//m.test(stdout) && !child.killed) child.kill('SIGINT');
    });
    child.on('exit', (c) => resolve(c));
  });
  assert.equal(code, 0, stderr);
  assert.match(stderr, /SIGINT: saving a checkpoint/);
  const stoppedAt = Number(/stopped at step (\d+)\//.exec(stdout)?.[1]);
  assert.ok(stoppedAt >= 3, stdout);
  const state = JSON.parse(fs.readFileSync(path.join(runDir, 'checkpoints', 'latest', 'state.json'), 'utf8'));
  assert.equal(state.step, stoppedAt);

  const r = gan([
    'train',
    configPath,
    '--run-dir',
    runDir,
    '--backend',
    'cpu',
    '--resume',
    '--max-steps',
    String(stoppedAt + 2),
  ]);
  assert.equal(r.code, 0, r.stderr);
  const steps = readMetrics(runDir).map((m) => m.step);
  assert.deepEqual(
    steps,
    Array.from({ length: stoppedAt + 2 }, (_, i) => i + 1),
  );
});

test('cli: bench prints one JSON line', () => {
  const r = gan(['bench', '--model', 'gan', '--batch', '4', '--steps', '1', '--backend', 'cpu', '--threads', '1']);
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.trim().split('\n');
  assert.equal(lines.length, 1);
  const j = JSON.parse(lines[0]);
  assert.equal(j.impl, 'gan-studio');
  assert.equal(j.backend, 'cpu');
  assert.equal(j.batch, 4);
  assert.equal(j.threads, 1);
  assert.ok(typeof j.msPerStep === 'number' && j.msPerStep > 0);
});

test('cli: --backend auto says once, on stderr, which backend it chose and why, and runs on that one', () => {
  const r = gan(['bench', '--model', 'gan', '--batch', '4', '--steps', '1', '--backend', 'auto', '--threads', '1']);
  assert.equal(r.code, 0, r.stderr);
  const j = JSON.parse(r.stdout.trim());
  assert.notEqual(j.backend, 'auto');
  const choice = r.stderr.split('\n').filter((l) => l.startsWith('backend auto -> '));
  assert.equal(choice.length, 1, r.stderr);
  assert.match(choice[0], new RegExp(`^backend auto -> ${j.backend}(: | on )\\S`));
});
