// NaN injection (GAN_TEST_INJECT_NAN=loss@k or weight@k): the run must stop at step k with one
// line naming the step and the loss or weight, suggest fixes, and keep the last good
// checkpoint, which must load (gan sample draws from it) and hold only finite weights.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { checkpointProblem, errLines, gan, newestGoodStep, Tally, tinyConfig, tmpDir } from './common';

const CASES = [
  { inject: 'loss@5', what: /dLoss is NaN at step 5/, kept: 4 },
  { inject: 'weight@5', what: /weight generator\/\S+ holds NaN or Infinity at step 5/, kept: 4 },
  { inject: 'weight@7', what: /weight generator\/\S+ holds NaN or Infinity at step 7/, kept: 6 },
  { inject: 'loss@1', what: /dLoss is NaN at step 1/, kept: -1 },
];

/** True when every float32 in every weights.bin of the checkpoint is finite. */
function finiteWeights(ck: string): boolean {
  for (const net of fs.readdirSync(ck)) {
    const f = path.join(ck, net, 'weights.bin');
    if (!fs.existsSync(f)) continue;
    const b = fs.readFileSync(f);
    const a = new Float32Array(b.buffer, b.byteOffset, b.byteLength >> 2);
    if (!a.every(Number.isFinite)) return false;
  }
  return true;
}

export function nanSuite(): Tally {
  const t = new Tally();
  const dir = tmpDir('gan-rel-nan-');
  const config = tinyConfig(dir, { steps: 10, checkpointEvery: 2, keepCheckpoints: 2 });
  for (const c of CASES) {
    const runDir = path.join(dir, `run-${c.inject.replace('@', '-')}`);
    const r = gan(['train', config, '--run-dir', runDir, '--backend', 'cpu'], { GAN_TEST_INJECT_NAN: c.inject });
    const last = errLines(r).at(-1) ?? '';
    const keptText =
      c.kept >= 0
        ? `checkpoints/step-${String(c.kept).padStart(8, '0')} (step ${c.kept})`
        : 'no checkpoint was saved yet';
    let ok =
      r.code === 1 &&
      c.what.test(last) &&
      last.includes(keptText) &&
      /lower "optimizer\.lr"/.test(last) &&
      /^ERROR /m.test(fs.readFileSync(path.join(runDir, 'events.log'), 'utf8')) &&
      newestGoodStep(runDir) === c.kept;
    let note = `exit ${r.code}, last line ${JSON.stringify(last)}, newest good checkpoint ${newestGoodStep(runDir)}`;
    if (ok && c.kept >= 0) {
      const latest = path.join(runDir, 'checkpoints', 'latest');
      const s = gan([
        'sample',
        runDir,
        '--out',
        path.join(dir, `out-${c.inject.replace('@', '-')}`),
        '--count',
        '2',
        '--backend',
        'cpu',
      ]);
      ok =
        !checkpointProblem(latest) &&
        finiteWeights(latest) &&
        s.code === 0 &&
        new RegExp(`of step ${c.kept} `).test(s.stdout);
      note = `kept checkpoint: ${checkpointProblem(latest) ?? 'intact'}, finite weights ${finiteWeights(latest)}, gan sample exit ${s.code} ${s.stdout.trim()} ${s.stderr.trim()}`;
    }
    t.check(ok, `${c.inject}: ${note}`);
  }
  fs.rmSync(dir, { recursive: true, force: true });
  return t;
}
