import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  downsample,
  endsWithError,
  listRuns,
  logNote,
  parseMetricsText,
  readMetrics,
  readRun,
  readTail,
} from '../../../src/extension/runIndex/runsIndex';

function makeRun(
  root: string,
  name: string,
  o: { steps: number; metrics: number[]; latest?: number; ckpts?: number[]; samples?: number[]; log?: string },
) {
  const dir = path.join(root, name);
  mkdirSync(path.join(dir, 'samples'), { recursive: true });
  writeFileSync(path.join(dir, 'config.json'), JSON.stringify({ name, model: 'dcgan', steps: o.steps }));
  const lines = o.metrics.map((s) =>
    JSON.stringify({
      step: s,
      epoch: 0,
      time: '',
      msPerStep: 20,
      losses: { dLoss: 1 / (s + 1), gLoss: 2 },
      dReal: 0.6,
      dFake: 0.3,
      lr: 2e-4,
      backend: 'wasm',
      numTensors: 10,
      rssMB: 100,
    }),
  );
  // a half-written last line, as while training
  writeFileSync(path.join(dir, 'metrics.jsonl'), lines.join('\n') + '\n{"step": 99');
  for (const s of o.samples ?? [])
    writeFileSync(path.join(dir, 'samples', `step-${String(s).padStart(8, '0')}.png`), '');
  writeFileSync(path.join(dir, 'samples', 'notes.txt'), '');
  if (o.latest !== undefined) {
    mkdirSync(path.join(dir, 'checkpoints', 'latest'), { recursive: true });
    writeFileSync(path.join(dir, 'checkpoints', 'latest', 'state.json'), JSON.stringify({ step: o.latest }));
  }
  for (const s of o.ckpts ?? [])
    mkdirSync(path.join(dir, 'checkpoints', `step-${String(s).padStart(8, '0')}`), { recursive: true });
  mkdirSync(path.join(dir, 'checkpoints', 'latest.tmp-123'), { recursive: true });
  if (o.log) writeFileSync(path.join(dir, 'events.log'), o.log);
  return dir;
}

test('readRun: status, step, last losses, checkpoints and samples', async () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'gan-runs-'));
  try {
    const stopped = makeRun(root, 'a-stopped', {
      steps: 100,
      metrics: [10, 20, 30],
      latest: 40,
      ckpts: [20, 40],
      samples: [20, 0, 40],
    });
    const r = await readRun(stopped);
    assert.ok(r);
    assert.equal(r.status, 'stopped');
    assert.equal(r.step, 40);
    assert.equal(r.totalSteps, 100);
    assert.equal(r.model, 'dcgan');
    assert.equal(r.backend, 'wasm');
    assert.deepEqual(r.lastLosses, { dLoss: 1 / 31, gLoss: 2 });
    assert.equal(r.dReal, 0.6);
    assert.deepEqual(
      r.samples.map((s) => s.step),
      [0, 20, 40],
    );
    assert.deepEqual(
      r.checkpoints.map((c) => [c.name, c.step, c.isLatest]),
      [
        ['latest', 40, true],
        ['step-00000040', 40, false],
        ['step-00000020', 20, false],
      ],
    );
    assert.ok(r.hasLatest);

    makeRun(root, 'b-finished', { steps: 30, metrics: [10, 20, 30], latest: 30 });
    makeRun(root, 'c-failed', { steps: 100, metrics: [10], log: 'step 10 dLoss=0.3\nerror: out of memory\n' });
    makeRun(root, 'd-incomplete', { steps: 100, metrics: [] });
    mkdirSync(path.join(root, 'not-a-run'));
    writeFileSync(path.join(root, 'stray.txt'), '');
    const runs = await listRuns(root);
    const byName = Object.fromEntries(runs.map((x) => [x.name, x.status]));
    assert.deepEqual(byName, {
      'a-stopped': 'stopped',
      'b-finished': 'finished',
      'c-failed': 'failed',
      'd-incomplete': 'incomplete',
    });
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('listRuns on a missing folder is empty', async () => {
  assert.deepEqual(await listRuns(path.join(os.tmpdir(), 'no-such-runs-folder-xyz')), []);
});

test('metrics: bad lines skipped, NaN kept, downsampled with first and last', async () => {
  const pts = parseMetricsText('{"step":1,"losses":{"g":1}}\nnot json\n{"step":2,"losses":{"g":null}}\n{"step":"3"}\n');
  assert.equal(pts.length, 2);
  assert.ok(Number.isNaN(pts[1].losses.g));
  const many = Array.from({ length: 1000 }, (_, i) => i);
  const d = downsample(many, 10);
  assert.equal(d.length, 10);
  assert.equal(d[0], 0);
  assert.equal(d[9], 999);
  assert.deepEqual(downsample([1, 2], 10), [1, 2]);
  const root = mkdtempSync(path.join(os.tmpdir(), 'gan-runs-'));
  try {
    const dir = makeRun(root, 'm', { steps: 10, metrics: Array.from({ length: 50 }, (_, i) => i) });
    assert.equal((await readMetrics(dir)).length, 50);
    assert.equal((await readMetrics(dir, 5)).length, 5);
    assert.deepEqual(await readMetrics(path.join(root, 'missing')), []);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('readTail keeps whole lines only', async () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'gan-tail-'));
  try {
    const f = path.join(root, 'x');
    writeFileSync(f, 'aaaa\nbbbb\ncccc\n');
    assert.equal(await readTail(f, 7), 'cccc\n');
    assert.equal(await readTail(f, 100), 'aaaa\nbbbb\ncccc\n');
    assert.equal(await readTail(path.join(root, 'none')), '');
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('logNote: the failure first, else the newest warning, else nothing', () => {
  assert.equal(
    logNote('step 1\nWARN D loss ≈ 0 for 200 steps\nstep 2\nERROR dLoss is NaN at step 5\n'),
    'dLoss is NaN at step 5',
  );
  assert.equal(
    logNote('WARN old\nstep 1\nWARN mode collapse: samples alike\nstep 2\n'),
    'warning: mode collapse: samples alike',
  );
  assert.equal(logNote('step 1\nstep 2\n'), undefined);
});

test('endsWithError', () => {
  assert.ok(endsWithError('ok\nError: boom\n\n'));
  assert.ok(!endsWithError('error earlier\nstep 10 done\n'));
  assert.ok(!endsWithError(''));
});
