// gan train <config> [--run-dir D] [--max-steps N] [--backend B] [--seed S] [--resume] [--threads N] [--max-memory MB]
import { runTraining } from '../train/run';
import type { TrainControl } from '../train/api';
import { BACKEND_CHOICES, backendOption, err, intOption, out, parse, UsageError } from './common';

export const TRAIN_USAGE = `gan train <config.json> [--run-dir D] [--max-steps N] [--backend ${BACKEND_CHOICES}] [--seed S] [--resume] [--threads N] [--max-memory MB]`;

export async function trainCommand(args: string[]): Promise<number> {
  const { values: v, positionals } = parse(
    'train',
    args,
    {
      'run-dir': { type: 'string' },
      'max-steps': { type: 'string' },
      backend: { type: 'string' },
      seed: { type: 'string' },
      resume: { type: 'boolean' },
      threads: { type: 'string' },
      'max-memory': { type: 'string' },
    },
    ['config'],
  );
  if (!positionals[0]) throw new UsageError(`missing the config file (usage: ${TRAIN_USAGE})`);

  const control: TrainControl = { stop: false, paused: false, sampleNow: false };
  // First Ctrl+C / SIGTERM: finish the step, checkpoint, exit 0. A second one: exit now.
  const onSignal = (sig: NodeJS.Signals) => {
    if (control.stop) process.exit(130);
    control.stop = true;
    err(`${sig}: saving a checkpoint, then exiting (again to quit at once)`);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const result = await runTraining(
      {
        configPath: positionals[0],
        runDir: v['run-dir'],
        maxSteps: intOption('train', 'max-steps', v['max-steps'], 1),
        backend: backendOption('train', v.backend),
        seed: intOption('train', 'seed', v.seed, 0, 0xffffffff),
        resume: v.resume,
        threads: intOption('train', 'threads', v.threads, 1, 1024),
        maxMemoryMB: intOption('train', 'max-memory', v['max-memory'], 1),
      },
      { log: (line, level) => (level === 'info' ? out(line) : err(line)) },
      control,
    );
    out(`${result.status} at step ${result.step}: ${result.runDir}`);
    return 0;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
