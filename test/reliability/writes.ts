// Injected write failures (GAN_TEST_FAIL_WRITE_AFTER=n: the n+1-th durable write of the trainer
// writes half its bytes and fails with ENOSPC, as a full disk does) and a run folder that
// cannot be created. Each must end with one "gan: ..." line naming the problem, and leave no
// half-written file: no temporaries, every checkpoint intact, metrics.jsonl all whole lines,
// and a run that has a checkpoint resumes.
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  checkpointProblem,
  errLines,
  gan,
  leftovers,
  metricSteps,
  newestGoodStep,
  Tally,
  tinyConfig,
  tmpDir,
  walk,
} from './common';

/** The points at which the write fails: config.json, the first sample, checkpoint files, later metrics/samples. */
const FAIL_AFTER = [0, 1, 2, 4, 9, 17, 30];

function wholeRun(runDir: string): string | undefined {
  const bad = leftovers(runDir);
  if (bad.length) return `half-written leftovers: ${bad.join(', ')}`;
  try {
    metricSteps(runDir);
  } catch {
    return 'metrics.jsonl has a cut line';
  }
  for (const f of walk(path.join(runDir, 'checkpoints')).filter(
    (x) => x.endsWith('/') && !x.slice(0, -1).includes('/'),
  )) {
    const why = checkpointProblem(path.join(runDir, 'checkpoints', f));
    if (why) return why;
  }
  const cfg = path.join(runDir, 'config.json');
  if (fs.existsSync(cfg)) {
    try {
      JSON.parse(fs.readFileSync(cfg, 'utf8'));
    } catch {
      return 'config.json is cut';
    }
  }
  return undefined;
}

export function writeSuite(): { refused: Tally; whole: Tally; memory: Tally } {
  const refused = new Tally(),
    whole = new Tally(),
    memory = new Tally();
  const dir = tmpDir('gan-rel-write-');
  const config = tinyConfig(dir, { steps: 8, checkpointEvery: 2, sampleEvery: 2, keepCheckpoints: 2 });
  for (const n of FAIL_AFTER) {
    const runDir = path.join(dir, `run-${n}`);
    const r = gan(['train', config, '--run-dir', runDir, '--backend', 'cpu'], { GAN_TEST_FAIL_WRITE_AFTER: String(n) });
    const lines = errLines(r).filter((l) => !l.startsWith('WARN '));
    refused.check(
      r.code === 1 &&
        lines.length === 1 &&
        /^gan: cannot (write to|save the checkpoint).*no space left on the disk \(ENOSPC\)/.test(lines[0]),
      `failing write #${n + 1}: exit ${r.code}, stderr ${JSON.stringify(lines)}`,
    );
    const why = fs.existsSync(runDir) ? wholeRun(runDir) : undefined;
    let ok = !why;
    let note = why ?? '';
    if (ok && newestGoodStep(runDir) >= 0) {
      // What is left must be usable: the run resumes and finishes.
      const again = gan(['train', config, '--run-dir', runDir, '--backend', 'cpu', '--resume']);
      ok = again.code === 0 && !wholeRun(runDir);
      note = `resume after the failure: exit ${again.code} ${again.stderr.trim().split('\n').at(-1)} ${wholeRun(runDir) ?? ''}`;
    }
    whole.check(ok, `failing write #${n + 1}: ${note}`);
  }
  // A run folder that cannot be created (its parent is a file): one line, nothing written.
  const file = path.join(dir, 'not-a-folder');
  fs.writeFileSync(file, 'x');
  const r = gan(['train', config, '--run-dir', path.join(file, 'run'), '--backend', 'cpu']);
  const lines = errLines(r);
  refused.check(
    r.code === 1 && lines.length === 1 && /^gan: cannot write to .*not-a-folder/.test(lines[0]),
    `run folder under a file: exit ${r.code}, stderr ${JSON.stringify(lines)}`,
  );
  whole.check(fs.readFileSync(file, 'utf8') === 'x', 'run folder under a file: the file changed');
  // The memory estimate: a run that cannot fit is refused with the estimate before anything is written.
  const big = path.join(dir, 'run-big');
  const m = gan(['train', config, '--run-dir', big, '--backend', 'cpu', '--max-memory', '1']);
  memory.check(
    m.code === 2 &&
      errLines(m).length === 1 &&
      /^gan: this run needs about [\d.]+ GB \(.*M parameters, .* of activations at batch 8\) but --max-memory is 1 MB/.test(
        errLines(m)[0],
      ) &&
      !fs.existsSync(big),
    `--max-memory 1: exit ${m.code}, stderr ${JSON.stringify(errLines(m))}, run folder written ${fs.existsSync(big)}`,
  );
  const fits = gan(['train', config, '--run-dir', big, '--backend', 'cpu', '--max-memory', '512', '--max-steps', '1']);
  memory.check(fits.code === 0, `--max-memory 512 refused a tiny run: ${fits.stderr.trim()}`);
  fs.rmSync(dir, { recursive: true, force: true });
  return { refused, whole, memory };
}
