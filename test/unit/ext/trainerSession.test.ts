// Host <-> child over real IPC: TrainerProcess/TrainingSession against the fake child, which
// runs the real serveTrainer from src/trainer/child.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { TrainingSession, type SessionEnd } from '../../../src/extension/trainer/session';
import { TrainerProcess } from '../../../src/extension/trainer/trainerProcess';

const script = path.join(__dirname, 'fixtures', 'fake.child.js');

function session(runDir: string, env: Record<string, string> = {}) {
  return new TrainingSession({
    key: runDir,
    name: 'fake',
    start: { configPath: '/w/gan.config.json', runDir, backend: 'cpu' },
    process: { script, env: { FAKE_MODE: 'ok', FAKE_STEPS: '20', ...env } },
  });
}
const ended = (s: TrainingSession) => new Promise<SessionEnd>((r) => s.onDidEnd(r));
const tmp = () => mkdtempSync(path.join(os.tmpdir(), 'gan-sess-'));

/** Resolves once the session has reported step `n`. */
const untilStep = (s: TrainingSession, n: number) =>
  new Promise<void>((r) => {
    const d = s.onDidChange(() => {
      if (s.step >= n) {
        d.dispose();
        r();
      }
    });
  });

/** A session on the fake child in a fresh folder; disposed and removed afterwards, pass or fail. */
async function withSession(
  env: Record<string, string>,
  body: (s: TrainingSession, end: Promise<SessionEnd>) => Promise<void>,
): Promise<void> {
  const dir = tmp();
  const s = session(path.join(dir, 'run'), env);
  try {
    await body(s, ended(s));
  } finally {
    s.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
}

test('a run streams status, points and samples, then finishes', () =>
  withSession({}, async (s, end) => {
    const samples: number[] = [];
    s.onDidChange((c) => {
      if (c === 'sample') samples.push(s.samples[s.samples.length - 1].step);
    });
    await s.start();
    const e = await end;
    assert.equal(e.status, 'finished');
    assert.equal(s.status, 'finished');
    assert.equal(s.step, 20);
    assert.equal(s.totalSteps, 20);
    assert.equal(s.backend, 'cpu');
    assert.equal(s.points.length, 20);
    assert.deepEqual(samples, [5, 10, 15, 20]);
  }));

test('pause, sample-now, resume and stop (checkpoint then exit)', () =>
  withSession({ FAKE_STEPS: '100000' }, async (s, end) => {
    await s.start();
    await untilStep(s, 3);
    await s.pause();
    assert.equal(s.status, 'paused');
    const stepAtPause = s.step;
    await new Promise((r) => setTimeout(r, 100));
    assert.ok(s.step <= stepAtPause + 1, 'no progress while paused');
    await s.sampleNow();
    await s.resume();
    assert.equal(s.status, 'running');
    await new Promise<void>((r) => {
      const d = s.onDidChange((c) => {
        if (c === 'sample') {
          d.dispose();
          r();
        }
      });
    });
    const result = await s.stop(10_000);
    assert.equal(result?.status, 'stopped');
    assert.equal((await end).status, 'stopped');
    assert.equal(s.checkpoints.length, 1);
  }));

test('a training warning stays on the views (the run info the Live Preview and dashboard show)', () =>
  withSession({ FAKE_MODE: 'warn' }, async (s, end) => {
    await s.start();
    assert.equal((await end).status, 'finished');
    assert.match(s.info().message ?? '', /^warning: D loss ≈ 0 for 200 steps at step 3/);
  }));

test('a failing loop reports its message', () =>
  withSession({ FAKE_MODE: 'throw' }, async (s, end) => {
    await s.start();
    const e = await end;
    assert.equal(e.status, 'failed');
    assert.equal(e.message, 'dataset not found: ./data');
  }));

test('a crash keeps the last stderr lines for the report', () =>
  withSession({ FAKE_MODE: 'crash' }, async (s, end) => {
    await s.start();
    const e = await end;
    assert.equal(e.status, 'failed');
    assert.match(e.message ?? '', /Fatal: native kernel aborted.*code 3/);
    assert.deepEqual(e.stderrTail, ['Fatal: native kernel aborted']);
  }));

test('hostile child messages are dropped, the run goes on', () =>
  withSession({ FAKE_MODE: 'garbage', FAKE_STEPS: '3' }, async (s, end) => {
    const warnings: string[] = [];
    s.onLog((l) => {
      if (l.level === 'warn') warnings.push(l.line);
    });
    await s.start();
    assert.equal((await end).status, 'finished');
    assert.ok(!s.samples.some((x) => x.path === '/etc/passwd'));
    assert.equal(warnings.filter((w) => w.includes('malformed')).length, 2);
  }));

test('probe request returns a typed result', async () => {
  const p = new TrainerProcess({ script });
  await p.spawn();
  const { probe } = await p.request({ type: 'probe', backend: 'cpu' });
  assert.deepEqual(probe, { backend: 'cpu', active: 'cpu', ok: true, msPerStep: 50, error: undefined });
  // The GPU's description and what `auto` resolved to arrive through the validator intact.
  const gpu = 'llvmpipe (LLVM 19.1.7, 256 bits) [software renderer]';
  assert.deepEqual((await p.request({ type: 'probe', backend: 'webgpu' })).probe, {
    backend: 'webgpu',
    active: 'webgpu',
    ok: true,
    msPerStep: 500,
    error: undefined,
    device: gpu,
    software: true,
  });
  assert.deepEqual((await p.request({ type: 'probe', backend: 'auto' })).probe, {
    backend: 'auto',
    active: 'native',
    ok: true,
    msPerStep: undefined,
    error: undefined,
    device: gpu,
    software: true,
    reason: `no hardware GPU (the only WebGPU adapter is ${gpu})`,
  });
  await assert.rejects(p.request({ type: 'pause' }), /no run started/);
  p.dispose();
  await p.waitForExit();
});

test('disposing a live session releases the child: it stops with a checkpoint by itself', async () => {
  const dir = tmp();
  const runDir = path.join(dir, 'run');
  const s = session(runDir, { FAKE_STEPS: '100000' });
  await s.start();
  await untilStep(s, 3);
  const pid = s.pid as number;
  s.dispose();
  const alive = () => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  for (let i = 0; i < 200 && alive(); i++) await new Promise((r) => setTimeout(r, 25));
  assert.ok(!alive(), 'child exited');
  assert.ok(
    existsSync(path.join(runDir, 'stopped.marker')),
    'child took the stop path (checkpoint) rather than being killed',
  );
  rmSync(dir, { recursive: true, force: true });
});
