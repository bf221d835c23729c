// gan bench [--model M] [--size N] [--batch N] [--steps N] [--backend B] [--threads N] [--profile]
// Times N training steps of a family on random data after 2 warm-up steps and prints one JSON
// line with the mean time a step and the peak RSS, comparable with the PyTorch references in
// ../shared/bench: dcgan_torch.py (DCGAN of the TensorFlow tutorial, batch 64) and
// translation_torch.py (pix2pix and CycleGAN at 256x256, batch 1).
//
// The networks are the family's own (getFamily(model).build) from the config a project of that
// family resolves to, and the step is its trainStep, fed a Batch shaped as the training loop
// makes it (data/index.ts makeBatch): one fixed batch of uniform noise in [-1, 1], as the
// references use.
//   gan, dcgan, cgan: images [n, S, S, 1] (MNIST's shape, S = 28), one-hot labels [n, 10].
//   pix2pix, cyclegan: images = A and targets = B, [n, S, S, 3] each (S = 256), labels [n, 0];
//     batch 1, as the papers (and the configs' defaults).
//   srgan: images = the HR crops [n, S, S, 3] (the family makes the LR inputs from them inside
//     the step), labels [n, 0]; the paper's setup that `gan init srgan` writes: 96x96 HR crops,
//     x4, batch 16, 16 residual blocks. The adversarial phase is timed (pretrainSteps 0):
//     G on pixel + content + adversarial loss, then D.
import * as os from 'node:os';
import * as tf from '@tensorflow/tfjs';
import { adam } from '../train/adam';
import { DEFAULT_BACKEND } from '../../shared/backends';
import { ConfigError, MODEL_KINDS, resolveConfig, type GanConfig, type ModelKind } from '../../shared/config';
import type { Batch } from '../data';
import { initBackend } from '../engine/backend';
import { installAsMathRandom, Rng } from '../engine/rng';
import { oneHot } from '../models/common/latentFamily';
import { getFamily, type ModelSpec } from '../models';
import { DEFAULT_BENCH_MODEL, FAMILY_INFOS } from '../models/infos';
import { formatProfile, profileStep } from './benchProfile';
import { BACKEND_CHOICES, backendOption, err, intOption, out, parse, UsageError } from './common';

export const BENCH_USAGE = `gan bench [--model ${MODEL_KINDS.join('|')}] [--size N] [--batch N] [--steps N] [--backend ${BACKEND_CHOICES}] [--threads N] [--profile]`;
const WARMUP = 2;

/** What a config of each family holds beyond the defaults, so it resolves (data is never read). */
function rawConfig(model: ModelKind): Record<string, unknown> {
  return { model, ...structuredClone(FAMILY_INFOS[model].bench ?? {}) };
}

/** The resolved config, with --size and --batch in place of the defaults; their problems as one usage line each. */
function benchConfig(model: ModelKind, size: number | undefined, batch: number | undefined): GanConfig {
  const raw = rawConfig(model);
  if (size !== undefined) raw.imageSize = size;
  if (batch !== undefined) raw.batchSize = batch;
  try {
    return resolveConfig(raw, process.cwd(), 'bench');
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    const flag = (line: string) =>
      line
        .replace(/^bench: /, '')
        .replace(/"imageSize"/g, '--size')
        .replace(/"batchSize"/g, '--batch');
    throw new UsageError(e.problems.map(flag).join('\n'));
  }
}

/** Bytes of the wasm heap where the native and wasm backends keep every tensor; undefined on other backends. */
function wasmHeapBytes(): number | undefined {
  const b = tf.backend() as unknown as { wasm?: { HEAPU8?: Uint8Array } };
  return b.wasm?.HEAPU8?.buffer.byteLength;
}
/** A wasm32 heap cannot grow past 4 GiB (tfjs-backend-wasm's maximum: 65536 pages of 64 KiB). */
const WASM_HEAP_MAX = 2 ** 32;

/** Uniform noise in [-1, 1] of this shape, from the run's generator. */
function noise(rng: Rng, shape: [number, number, number, number]): tf.Tensor4D {
  return tf.tensor4d(
    Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng.random() * 2 - 1),
    shape,
  );
}

export async function benchCommand(args: string[]): Promise<number> {
  const { values: v } = parse(
    'bench',
    args,
    {
      model: { type: 'string' },
      size: { type: 'string' },
      batch: { type: 'string' },
      steps: { type: 'string' },
      backend: { type: 'string' },
      threads: { type: 'string' },
      profile: { type: 'boolean' },
    },
    [],
  );
  const model = (v.model ?? DEFAULT_BENCH_MODEL) as ModelKind;
  if (!(MODEL_KINDS as readonly string[]).includes(model))
    throw new UsageError(`--model must be one of ${MODEL_KINDS.join(', ')} (got "${v.model}")`);
  const size = intOption('bench', 'size', v.size, 4, 4096);
  const batchOpt = intOption('bench', 'batch', v.batch, 1, 4096);
  const steps = intOption('bench', 'steps', v.steps, 1) ?? 5;
  const threads =
    intOption('bench', 'threads', v.threads, 1, 1024) ?? Math.max(1, os.availableParallelism?.() ?? os.cpus().length);
  const backendName = backendOption('bench', v.backend) ?? DEFAULT_BACKEND;
  const family = getFamily(model);
  const cfg = benchConfig(model, size, batchOpt);
  const imageToImage = !!family.info.translate;
  const sr = family.info.superResolution;
  // Latent families: batch 64 (dcgan_torch.py's); the others: their config's (pix2pix 1, cyclegan 1, srgan 16).
  const batch = batchOpt ?? (imageToImage || sr ? cfg.batchSize : 64);
  const channels = imageToImage || sr ? 3 : 1;

  const backend = await initBackend(backendName, { threads, warn: err, info: err });
  const rng = new Rng(0);
  const restore = installAsMathRandom(rng);
  const spec: ModelSpec = {
    imageSize: cfg.imageSize,
    channels,
    numClasses: family.info.conditional ? 10 : 0,
    params: cfg.params,
    ...(cfg.dataset.kind === 'sr' ? { scale: cfg.dataset.scale } : {}),
    ...(cfg.dataset.kind === 'paired' ? { direction: cfg.dataset.direction } : {}),
  };
  const nets = family.build(spec);
  const optimizers = Object.fromEntries(
    family.networkNames
      .filter((n) => nets[n])
      .map((n) => [n, adam(cfg.optimizer.lr, cfg.optimizer.beta1, cfg.optimizer.beta2)]),
  );
  const S = spec.imageSize;
  // Like the references: one fixed batch of uniform noise in [-1, 1] as the "real" images.
  const input: Batch = imageToImage
    ? {
        images: noise(rng, [batch, S, S, 3]),
        targets: noise(rng, [batch, S, S, 3]),
        labels: tf.zeros([batch, 0]) as tf.Tensor2D,
      }
    : sr
      ? { images: noise(rng, [batch, S, S, 3]), labels: tf.zeros([batch, 0]) as tf.Tensor2D }
      : {
          images: noise(rng, [batch, S, S, 1]),
          labels: oneHot(
            Array.from({ length: batch }, () => rng.int(10)),
            10,
          ),
        };
  try {
    const step = async () => {
      try {
        await family.trainStep({ nets, optimizers, spec, rng }, input);
      } catch (e) {
        // tfjs-wasm's out-of-memory is a bare "Aborted()": name the cause when the heap is full.
        const heap = wasmHeapBytes();
        if (heap === undefined || heap < WASM_HEAP_MAX - 2 ** 20) throw e;
        throw new Error(
          `the wasm heap is full (4 GB, the most a wasm32 heap can hold; the ${backend} backend keeps every tensor there): ` +
            `a ${model} step at size ${S}, batch ${batch} needs more (${(e as Error).message.split('.')[0]})`,
          { cause: e },
        );
      }
    };
    for (let i = 0; i < WARMUP; i++) await step();
    const t0 = performance.now();
    for (let i = 0; i < steps; i++) await step();
    const ms = (performance.now() - t0) / steps;
    // Peak RSS of the whole process (what PyTorch's peak is compared with); the wasm heap never shrinks, so its size now is its peak.
    const rssMB = Math.round(process.resourceUsage().maxRSS / 1024);
    const heap = wasmHeapBytes();
    const profile = v.profile ? await profileStep(step, backend) : undefined;
    if (profile) for (const line of formatProfile(profile)) err(line);
    out(
      JSON.stringify({
        impl: 'gan-studio',
        backend,
        model,
        size: S,
        msPerStep: Math.round(ms * 10) / 10,
        batch,
        threads,
        steps,
        rssMB,
        ...(heap !== undefined ? { wasmHeapMB: Math.round(heap / 2 ** 20) } : {}),
        ...(sr ? { phase: 'adversarial', scale: spec.scale } : {}),
        ...(profile
          ? {
              profile: {
                singleThreadedShare: Math.round(profile.singleThreadedShare * 1000) / 1000,
                kernels: Object.fromEntries(profile.kernels.map((k) => [k.name, Math.round(k.ms)])),
              },
            }
          : {}),
      }),
    );
    return 0;
  } finally {
    restore();
    try {
      tf.dispose([input.images, input.labels, ...(input.targets ? [input.targets] : [])]);
      Object.values(nets).forEach((m) => m.dispose());
      Object.values(optimizers).forEach((o) => o.dispose());
    } catch {
      // An aborted wasm module cannot free anything; the process ends next anyway.
    }
  }
}
