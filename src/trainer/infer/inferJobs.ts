// What the inference child actually runs: upscales, translations and latent samples through the engine
// (backend initialised once, the last model kept loaded for the next job).
// Every job writes to a hidden staging name and claims its final name only when complete, so
// a cancel, a crash or bad input leaves nothing under a name the user would see.
import * as fs from 'node:fs';
import { DEFAULT_BACKEND, type ActiveBackend } from '../../shared/backends';
import * as path from 'node:path';
import type {
  ImportSrJob,
  ImportSrResult,
  InferResult,
  LatentSamplesJob,
  LatentSamplesResult,
  TranslateJob,
  UpscaleJob,
} from '../../shared/inferProtocol';
import { initBackend } from '../engine/backend';
import { loadSrRunner } from './srModels';
import { readInput, tempNameFor, upscaleFile } from './upscaleFile';
import { selfEnsemble } from './selfEnsemble';
import { publishNoOverwrite, stagingNameFor } from './publish';
import { loadTranslator, resolveTranslator, translateFile } from './translate';
import type { JobContext } from './inferServer';
import { latentPngs, loadLatentGenerator, resolveLatent } from './latentSamples';
import { importSrModel } from './import';

let backend: Promise<ActiveBackend> | undefined;
/** One loaded network at a time (an SR generator, a translator, a latent generator): memory stays bounded. */
let cached: { key: string; runner: { dispose(): void } } | undefined;
let jobNo = 0;

/** A line for the host's log: a warning unless said otherwise (`auto`'s choice is info). */
export type Say = (line: string, level?: 'info' | 'warn') => void;

function ensureBackend(ctx: JobContext, say: Say): Promise<ActiveBackend> {
  // The first job's options decide; the host restarts the child when the setting changes.
  backend ??= initBackend(ctx.options.backend ?? DEFAULT_BACKEND, {
    threads: ctx.options.threads,
    warn: (m) => say(m, 'warn'),
    info: (m) => say(m, 'info'),
  });
  return backend;
}

async function cachedRunner<T extends { dispose(): void }>(key: string, load: () => Promise<T>): Promise<T> {
  // The key names the network and its weights, so a hit is always the same type as `load` gives.
  if (cached?.key === key) return cached.runner as T;
  cached?.runner.dispose();
  cached = undefined;
  const r = await load();
  cached = { key, runner: r };
  return r;
}

const aborted = () => Object.assign(new Error('cancelled'), { name: 'AbortError' });

function cleanup(staging: string): void {
  fs.rmSync(staging, { force: true });
  fs.rmSync(tempNameFor(staging), { force: true });
}

interface Dims {
  width: number;
  height: number;
}

/** Moves the finished staging file to its final name (never over a file) and says what was made. */
function publish(
  staging: string,
  wanted: string,
  r: { input: Dims; output: Dims; seconds: number },
  model: string,
): InferResult {
  return {
    output: publishNoOverwrite(staging, wanted),
    width: r.output.width,
    height: r.output.height,
    inputWidth: r.input.width,
    inputHeight: r.input.height,
    seconds: r.seconds,
    model,
  };
}

export async function runUpscale(job: UpscaleJob, ctx: JobContext, say: Say): Promise<InferResult> {
  const staging = stagingNameFor(job.output, ++jobNo);
  // Bad files are refused before the backend and model load: fast, and nothing is written.
  const pre = readInput(job.input, staging);
  await ensureBackend(ctx, say);
  const loaded = await cachedRunner(`sr|${job.model}|${job.scale}`, () => loadSrRunner(job.model, job.scale));
  // The wrapper shares the cached model and is never disposed itself.
  const model = job.ensemble ? selfEnsemble(loaded) : loaded;
  if (ctx.cancelled()) throw aborted();
  try {
    const r = await upscaleFile(
      job.input,
      staging,
      model,
      {
        ...(job.tile !== undefined ? { tile: job.tile } : {}),
        onProgress: (done, total) => ctx.progress(done, total),
        cancelled: () => ctx.cancelled(),
      },
      pre,
    );
    return publish(staging, job.output, r, model.name);
  } finally {
    cleanup(staging);
  }
}

export async function runTranslate(job: TranslateJob, ctx: JobContext, say: Say): Promise<InferResult> {
  const staging = stagingNameFor(job.output, ++jobNo);
  // Checkpoint and input are checked before anything loads: bad ones fail fast, nothing written.
  const ck = resolveTranslator(job.checkpoint, job.direction);
  const pre = readInput(job.input, staging);
  await ensureBackend(ctx, say);
  const t = await cachedRunner(`translate|${ck.dir}|${ck.direction}|${ck.state.step}`, () => loadTranslator(ck));
  if (ctx.cancelled()) throw aborted();
  try {
    const r = await translateFile(
      job.input,
      staging,
      t,
      {
        onProgress: (done, total) => ctx.progress(done, total),
        cancelled: () => ctx.cancelled(),
      },
      pre,
    );
    return publish(staging, job.output, r, `${ck.model} ${ck.direction}, step ${ck.state.step}`);
  } finally {
    cleanup(staging);
  }
}

export async function runLatentSamples(job: LatentSamplesJob, ctx: JobContext, say: Say): Promise<LatentSamplesResult> {
  const t0 = performance.now();
  const ck = resolveLatent(job.checkpoint);
  await ensureBackend(ctx, say);
  const gen = await cachedRunner(`latent|${ck.dir}|${ck.state.step}`, () => loadLatentGenerator(ck));
  const r = await latentPngs(gen, job, () => ctx.cancelled());
  let output: string | undefined;
  if (job.output !== undefined && r.grid) {
    fs.mkdirSync(path.dirname(job.output), { recursive: true });
    const staging = stagingNameFor(job.output, ++jobNo);
    try {
      fs.writeFileSync(staging, r.grid);
      output = publishNoOverwrite(staging, job.output);
    } finally {
      fs.rmSync(staging, { force: true });
    }
  }
  return {
    kind: 'latentSamples',
    width: r.batch.w,
    height: r.batch.h,
    images: r.images.map((b) => b.toString('base64')),
    model: `${ck.state.model}, step ${ck.state.step}`,
    seconds: (performance.now() - t0) / 1000,
    ...(output ? { output } : {}),
  };
}

/** Imports a model file into the store (the importer checks it by running it once: backend first). */
export async function runImportSr(job: ImportSrJob, ctx: JobContext, say: Say): Promise<ImportSrResult> {
  await ensureBackend(ctx, say);
  const m = await importSrModel(job.file, job.store, job.name);
  return {
    kind: 'importSr',
    model: {
      format: m.format,
      name: m.name,
      arch: m.arch,
      scale: m.scale,
      params: m.params,
      layout: m.layout,
      sourceName: m.sourceName,
      sha256: m.sha256,
      bytes: m.bytes,
      importedAt: m.importedAt,
      ...(m.sizes ? { sizes: m.sizes } : {}),
      ...(m.weights ? { weights: m.weights } : {}),
      dir: m.dir,
    },
  };
}
