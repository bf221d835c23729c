// The real trainer child (src/trainer/child.ts + the training loop, bundled) driven by the
// host's TrainingSession over real IPC: a tiny MNIST GAN trains, samples and checkpoints;
// a stop leaves a resumable checkpoint; a resume continues from its step. Skipped until the
// training loop (src/trainer/train/run.ts) exists.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { TrainingSession, type SessionEnd } from '../../../src/extension/trainer/session';
import { readRun } from '../../../src/extension/runIndex/runsIndex';
import { runPaths } from '../../../src/shared/runDir';

const script = path.join(__dirname, 'bundle', 'trainer.js');
const skip = existsSync(script) ? false : 'the training loop (src/trainer/train/run.ts) is not there yet';

function session(configPath: string, runDir: string, resume = false) {
  const s = new TrainingSession({
    key: runDir,
    name: path.basename(runDir),
    start: { configPath, runDir, backend: 'cpu', resume },
    process: { script, env: { GAN_STUDIO_TRAINER: '1' } },
  });
  const logs: string[] = [];
  s.onLog((l) => logs.push(`${l.level}: ${l.line}`));
  const end = new Promise<SessionEnd>((r) => s.onDidEnd(r));
  return { s, end, logs };
}

/** A tiny MNIST GAN config (256 images, 28 px, batch 16) with the given schedule. */
function writeConfig(file: string, schedule: { steps: number; sampleEvery: number; checkpointEvery: number }) {
  const cfg = { name: 'e2e', model: 'gan', dataset: { kind: 'mnist', limit: 256 }, imageSize: 28, batchSize: 16 };
  writeFileSync(file, JSON.stringify({ ...cfg, ...schedule, logEvery: 1, seed: 1 }));
}

test('train, stop with a checkpoint, resume', { skip, timeout: 600_000 }, async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gan-e2e-'));
  try {
    const configPath = path.join(dir, 'gan.config.json');
    writeConfig(configPath, { steps: 8, sampleEvery: 4, checkpointEvery: 4 });
    // 1) a short run to the end
    const runA = path.join(dir, 'runs', 'a');
    const a = session(configPath, runA);
    await a.s.start();
    const endA = await a.end;
    assert.equal(endA.status, 'finished', `${endA.message}\n${a.logs.join('\n')}`);
    assert.equal(a.s.step, 8);
    assert.equal(a.s.backend, 'cpu');
    assert.ok(a.s.points.length >= 8);
    assert.ok(Object.keys(a.s.points.last()?.losses ?? {}).length >= 2, 'losses by name');
    assert.ok(a.s.samples.length >= 2 && a.s.samples.every((x) => existsSync(x.path)));
    const summary = await readRun(runA);
    assert.equal(summary?.status, 'finished');
    assert.ok(summary?.hasLatest);

    // 2) a long run stopped after a few steps: checkpoint, then resume from it
    writeConfig(configPath, { steps: 100000, sampleEvery: 1000, checkpointEvery: 100000 });
    const runB = path.join(dir, 'runs', 'b');
    const b = session(configPath, runB);
    await b.s.start();
    await new Promise<void>((r) => {
      const d = b.s.onDidChange(() => {
        if (b.s.step >= 3) {
          d.dispose();
          r();
        }
      });
    });
    await b.s.sampleNow();
    const stopped = await b.s.stop(120_000);
    assert.equal(stopped?.status, 'stopped', `${stopped?.message}\n${b.logs.join('\n')}`);
    assert.ok(existsSync(runPaths(runB).latest), 'stop leaves checkpoints/latest');
    const stepB = b.s.step;
    const resumed = session(runPaths(runB).config, runB, true);
    await resumed.s.start();
    await new Promise<void>((r) => {
      const d = resumed.s.onDidChange((c) => {
        if (c === 'points') {
          d.dispose();
          r();
        }
      });
    });
    assert.ok(resumed.s.step > 0 && resumed.s.step >= stepB - 1, `resumed at ${resumed.s.step}, stopped at ${stepB}`);
    await resumed.s.stop(120_000);
    for (const x of [a, b, resumed]) x.s.dispose();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
