// kill -9 of `gan train` at seeded random moments, many of them inside checkpoint writes
// (GAN_TEST_SLOW_CHECKPOINT_MS stretches each write), then `gan train --resume`: it must load,
// continue at the newest intact checkpoint's step + 1, and metrics.jsonl must end up with
// every step exactly once, in order. Twice a checkpoint is damaged on purpose between runs:
// the resume must name it and fall back to the previous good one.
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  checkpointProblem,
  ganAsync,
  gan,
  increasingUnique,
  leftovers,
  metricSteps,
  newestGoodStep,
  seeded,
  Tally,
  tinyConfig,
  tmpDir,
} from './common';

export interface KillResults {
  kills: Tally;
  duringWrites: number;
  resumes: Tally;
  damaged: Tally;
  final: Tally;
}

const STEPS = 100000; // never reached: every run is killed, and the last one is bounded by --max-steps

/** Starts training (or a resume), waits for the first step line, then a random delay, then SIGKILL. */
async function runAndKill(args: string[], env: Record<string, string>, delayMs: number, waitFor: RegExp) {
  let firstStep: number | undefined;
  let resumedFrom: number | undefined;
  let sawStep!: () => void;
  const stepSeen = new Promise<void>((r) => {
    sawStep = r;
  });
  const p = ganAsync(args, env, (line) => {
    const r = /^resume .* from step (\d+)/.exec(line);
    if (r) resumedFrom = Number(r[1]);
    const m = /^step (\d+)\//.exec(line);
    if (m && firstStep === undefined) firstStep = Number(m[1]);
    if (waitFor.test(line)) sawStep();
  });
  const timeout = setTimeout(() => sawStep(), 60_000);
  await Promise.race([stepSeen, p.done]);
  clearTimeout(timeout);
  await new Promise((r) => setTimeout(r, delayMs));
  const alive = p.child.exitCode === null && p.child.signalCode === null;
  if (alive) p.child.kill('SIGKILL');
  const result = await p.done;
  return { firstStep, resumedFrom, killed: alive, result };
}

export async function killSuite(seed: number, rounds: number): Promise<KillResults> {
  const rand = seeded(seed);
  const kills = new Tally(),
    resumes = new Tally(),
    damaged = new Tally(),
    final = new Tally();
  let duringWrites = 0;
  // Two runs: checkpoints every step, slowed (kills land in writes), and every 3 steps at full speed.
  const setups = [
    { checkpointEvery: 1, env: { GAN_TEST_SLOW_CHECKPOINT_MS: '60' } },
    { checkpointEvery: 3, env: {} as Record<string, string> },
  ];
  for (const [si, s] of setups.entries()) {
    const dir = tmpDir('gan-rel-kill-');
    const config = tinyConfig(dir, { steps: STEPS, checkpointEvery: s.checkpointEvery });
    const runDir = path.join(dir, 'run');
    const base = ['train', config, '--run-dir', runDir, '--backend', 'cpu'];
    const n = Math.ceil(rounds / setups.length);
    for (let i = 0; i < n; i++) {
      const first = i === 0;
      const expectFrom = first ? undefined : newestGoodStep(runDir);
      // Damage the newest checkpoint twice per run (its weights cut short): the resume must fall back.
      let damagedStep: number | undefined;
      if (!first && (i === 3 || i === 8) && expectFrom !== undefined && expectFrom > 0) {
        const w = path.join(
          runDir,
          'checkpoints',
          `step-${String(expectFrom).padStart(8, '0')}`,
          'generator',
          'weights.bin',
        );
        if (fs.existsSync(w)) {
          fs.truncateSync(w, Math.floor(fs.statSync(w).size / 2));
          damagedStep = expectFrom;
        }
      }
      const want = first ? 0 : newestGoodStep(runDir);
      const delay = Math.floor(rand() * (si === 0 ? 900 : 1500));
      // The first run is killed only once it has a checkpoint (before that there is nothing to resume).
      const r = await runAndKill(
        first ? base : [...base, '--resume'],
        s.env,
        delay,
        first ? /^checkpoint checkpoints\/step-/ : /^step \d+\//,
      );
      const label = `run ${si + 1} round ${i + 1}`;
      if (!first) {
        const ok = r.resumedFrom === want && (r.firstStep === undefined || r.firstStep === want + 1);
        resumes.check(
          ok,
          `${label}: resumed from ${r.resumedFrom} (want ${want}), first step ${r.firstStep} (want ${want + 1}); stderr: ${r.result.stderr.trim().split('\n').at(-1)}`,
        );
      }
      if (damagedStep !== undefined) {
        const warned =
          /WARN checkpoint .* is damaged: generator\/weights\.bin/.test(r.result.stderr) && want < damagedStep;
        damaged.check(
          warned,
          `${label}: damaged step ${damagedStep} not reported or not skipped (resumed from ${r.resumedFrom}; stderr: ${r.result.stderr.trim().slice(0, 300)})`,
        );
      }
      if (!r.killed) {
        kills.check(
          false,
          `${label}: the trainer ended by itself before the kill (code ${r.result.code}): ${r.result.stderr.trim().split('\n').at(-1)}`,
        );
        continue;
      }
      // Killed: was a checkpoint being written? (its temporary folders are still there)
      if (leftovers(runDir).some((f) => f.startsWith('checkpoints/.'))) duringWrites++;
      kills.check(newestGoodStep(runDir) >= 0, `${label}: no intact checkpoint after the kill`);
    }
    // A last, bounded resume runs to its end: every step logged exactly once, 1..N.
    const from = newestGoodStep(runDir);
    const end = gan([...base, '--resume', '--max-steps', String(from + 3)]);
    const steps = metricSteps(runDir);
    const expected = Array.from({ length: from + 3 }, (_, k) => k + 1);
    final.check(
      end.code === 0 && increasingUnique(steps) && JSON.stringify(steps) === JSON.stringify(expected),
      `run ${si + 1}: final resume exit ${end.code} (${end.stderr.trim().split('\n').at(-1)}); metrics steps ${steps.length} lines, strictly increasing ${increasingUnique(steps)}, 1..${from + 3} exactly ${JSON.stringify(steps) === JSON.stringify(expected)}`,
    );
    final.check(
      leftovers(runDir).length === 0,
      `run ${si + 1}: leftovers after the final resume: ${leftovers(runDir).join(', ')}`,
    );
    const latest = path.join(runDir, 'checkpoints', 'latest');
    final.check(!checkpointProblem(latest), `run ${si + 1}: ${checkpointProblem(latest)}`);
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return { kills, duringWrites, resumes, damaged, final };
}
