// Warnings that do not stop a run, through runTraining in-process (the loop the CLI and the
// extension's trainer child both use): "D loss ≈ 0 for many steps" and mode collapse must
// appear as WARN lines in events.log and as 'warn' log events (what the child forwards to the
// extension over IPC, validated by parseTrainerEvent); a healthy run must raise neither, and a
// healthy DCGAN must not be taken for a collapsed one (its untrained samples are all alike).
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { parseTrainerEvent } from '../../src/shared/trainerProtocol';
import { gan } from '../../src/trainer/models/gan';
import { inputOfKind } from '../../src/trainer/models/family';
import { COLLAPSE_CHECKS, COLLAPSE_WARMUP_STEPS, DLOSS_ZERO_STEPS } from '../../src/trainer/train/health';
import { runTraining } from '../../src/trainer/train/run';
import { Tally, tinyConfig, tmpDir } from './common';

async function warningsOf(
  overrides: Record<string, unknown>,
  backend: 'cpu' | 'native' = 'cpu',
): Promise<{ file: string[]; events: string[] }> {
  const dir = tmpDir('gan-rel-warn-');
  const configPath = tinyConfig(dir, { checkpointEvery: 1000, ...overrides });
  const events: string[] = [];
  const r = await runTraining(
    { configPath, runDir: path.join(dir, 'run'), backend },
    {
      // As the trainer child posts it, and as the extension host validates it.
      log: (line, level) => {
        const e = parseTrainerEvent({ type: 'log', line, level });
        if (e?.type === 'log' && e.level === 'warn') events.push(e.line);
      },
    },
  );
  const file = fs
    .readFileSync(path.join(r.runDir, 'events.log'), 'utf8')
    .split('\n')
    .filter((l) => l.startsWith('WARN '));
  fs.rmSync(dir, { recursive: true, force: true });
  return { file, events };
}

export async function warningSuite(): Promise<Tally> {
  const t = new Tally();
  const realStep = gan.trainStep,
    realGenerate = gan.generate;
  try {
    // A discriminator that wins outright: the real step, reporting dLoss 0.
    gan.trainStep = async (ctx, batch) => {
      const r = await realStep(ctx, batch);
      return { ...r, losses: { ...r.losses, dLoss: 0 } };
    };
    const d = await warningsOf({ steps: DLOSS_ZERO_STEPS + 5, sampleEvery: 1000 });
    gan.trainStep = realStep;
    t.check(
      d.file.length === 1 &&
        /dLoss has been below .* for 100 steps \(step 100\)/.test(d.file[0]) &&
        d.events.length === 1,
      `dLoss ≈ 0: events.log WARN lines ${JSON.stringify(d.file)}, IPC warn events ${d.events.length}`,
    );

    // Mode collapse: the real generator through the warm-up and 3 more sample steps (its
    // diversity's peak), then every noise vector gives the same picture. The warning comes
    // at the COLLAPSE_CHECKS-th collapsed sample step, once, though the run stays collapsed.
    let trained = 0;
    const every = 10,
      collapseFrom = COLLAPSE_WARMUP_STEPS + 4 * every;
    const warnAt = collapseFrom + (COLLAPSE_CHECKS - 1) * every;
    gan.trainStep = async (ctx, batch) => {
      trained++;
      return realStep(ctx, batch);
    };
    gan.generate = (nets, input, spec) =>
      trained < collapseFrom
        ? realGenerate(nets, input, spec)
        : tf.zeros([inputOfKind(input, 'latent', 'gan').z.shape[0], 28, 28, 1]);
    const c = await warningsOf({ steps: warnAt + 3 * every, sampleEvery: every });
    gan.generate = realGenerate;
    gan.trainStep = realStep;
    t.check(
      c.file.length === 1 &&
        new RegExp(`possible mode collapse at step ${warnAt}:`).test(c.file[0]) &&
        c.events.length === 1,
      `mode collapse: events.log WARN lines ${JSON.stringify(c.file)}, IPC warn events ${c.events.length}`,
    );

    // A healthy run warns about neither.
    const h = await warningsOf({ steps: 20, sampleEvery: 5 });
    t.check(h.file.length === 0 && h.events.length === 0, `healthy run warned: ${JSON.stringify(h.file)}`);

    // A healthy DCGAN (500 steps, a sample every 25: 16 checks after the warm-up) is not
    // taken for a collapsed one; native backend, as the cpu one is too slow for 500 steps.
    const dc = await warningsOf(
      {
        model: 'dcgan',
        dataset: { kind: 'mnist', limit: 2048 },
        batchSize: 16,
        steps: 500,
        sampleEvery: 25,
        logEvery: 25,
        params: { latentDim: 32, ngf: 16, ndf: 16 },
      },
      'native',
    );
    t.check(dc.file.length === 0 && dc.events.length === 0, `healthy dcgan warned: ${JSON.stringify(dc.file)}`);
  } finally {
    gan.trainStep = realStep;
    gan.generate = realGenerate;
  }
  return t;
}
