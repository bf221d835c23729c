// gan bench [--model dcgan] [--batch 64] [--steps N] [--backend B] [--threads N]
// Times N training steps of a model on random data after 2 warm-up steps and prints one
// JSON line, comparable with ../shared/bench/dcgan_torch.py (same networks, same step).
import * as os from 'node:os';
import * as tf from '@tensorflow/tfjs';
import { DEFAULT_BACKEND } from '../../shared/backends';
import { MODEL_KINDS, resolveConfig, type ModelKind } from '../../shared/config';
import { initBackend } from '../engine/backend';
import { installAsMathRandom, Rng } from '../engine/rng';
import { oneHot } from '../models/latentFamily';
import { getFamily, type ModelSpec } from '../models';
import { BACKEND_CHOICES, backendOption, err, intOption, out, parse, UsageError } from './common';

export const BENCH_USAGE = `gan bench [--model dcgan] [--batch 64] [--steps N] [--backend ${BACKEND_CHOICES}] [--threads N]`;
const WARMUP = 2;

export async function benchCommand(args: string[]): Promise<number> {
  const { values: v } = parse('bench', args, {
    model: { type: 'string' }, batch: { type: 'string' }, steps: { type: 'string' }, backend: { type: 'string' }, threads: { type: 'string' },
  }, []);
  const model = (v.model ?? 'dcgan') as ModelKind;
  if (!(MODEL_KINDS as readonly string[]).includes(model)) throw new UsageError(`--model must be one of ${MODEL_KINDS.join(', ')} (got "${v.model}")`);
  const batch = intOption('bench', 'batch', v.batch, 1, 4096) ?? 64;
  const steps = intOption('bench', 'steps', v.steps, 1) ?? 5;
  const threads = intOption('bench', 'threads', v.threads, 1, 1024) ?? Math.max(1, os.availableParallelism?.() ?? os.cpus().length);
  const family = getFamily(model);

  const backend = await initBackend(backendOption('bench', v.backend) ?? DEFAULT_BACKEND, { threads, warn: err, info: err });
  const rng = new Rng(0);
  const restore = installAsMathRandom(rng);
  const cfg = resolveConfig({ model }, process.cwd());
  const spec: ModelSpec = { imageSize: cfg.imageSize, channels: 1, numClasses: family.conditional ? 10 : 0, params: cfg.params };
  const nets = family.build(spec);
  const optimizers = Object.fromEntries(family.networkNames.map((n) => [n, tf.train.adam(cfg.optimizer.lr, cfg.optimizer.beta1, cfg.optimizer.beta2)]));
  // Like the reference: one fixed batch of uniform noise in [-1, 1] as the "real" images.
  const images = tf.tensor4d(Float32Array.from({ length: batch * spec.imageSize ** 2 }, () => rng.random() * 2 - 1), [batch, spec.imageSize, spec.imageSize, 1]);
  const labels = oneHot(Array.from({ length: batch }, () => rng.int(10)), 10);
  try {
    const step = () => family.trainStep({ nets, optimizers, spec, rng }, { images, labels });
    for (let i = 0; i < WARMUP; i++) await step();
    const t0 = performance.now();
    for (let i = 0; i < steps; i++) await step();
    const ms = (performance.now() - t0) / steps;
    out(JSON.stringify({ impl: 'gan-studio', backend, model, msPerStep: Math.round(ms * 10) / 10, batch, threads, steps }));
    return 0;
  } finally {
    tf.dispose([images, labels]);
    Object.values(nets).forEach((m) => m.dispose());
    Object.values(optimizers).forEach((o) => o.dispose());
    restore();
  }
}
