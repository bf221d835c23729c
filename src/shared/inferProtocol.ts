// Host <-> inference child IPC. The inference child is the trainer bundle (dist/trainer.js)
// started with GAN_STUDIO_INFER=1: one copy of tfjs in the .vsix, a protocol of its own.
// It runs one job at a time; the host queues the rest and may cancel the running one.
// Every `run` is answered by exactly one `response` (ok, failed or cancelled); `progress`
// events carry the id of their job. Both directions are validated on arrival.
import * as path from 'node:path';
import { BACKEND_NAMES, type BackendName } from './backends';
import { isBool, isInt, isNum, isObj, isStr, oneOf, optional } from './guards';
import { isImportedModelName, parseImportedModel, type ListedImportedModel } from './importedModels';
import { LATENT_LIMITS, MAX_SEED } from './latentLimits';
import { isCandidateName } from './outputNames';

export type Direction = 'AtoB' | 'BtoA';
export const DIRECTIONS: readonly Direction[] = ['AtoB', 'BtoA'];

export interface UpscaleJob {
  kind: 'upscale';
  input: string;
  /** The name wanted; the child may add a counter if it is taken by then. */
  output: string;
  scale: 2 | 4;
  /** 'fidelity', 'sharp', an imported model's folder or a checkpoint/run/model folder. */
  model: string;
  /** Tile side in input pixels (0 = whole image); default: the engine's. */
  tile?: number;
  /** Self-ensemble: each tile upscaled in SELF_ENSEMBLE_PASSES orientations and averaged. */
  ensemble?: boolean;
}

/** A self-ensemble's runs of the model per tile (the 8 flips and turns of the square). */
export const SELF_ENSEMBLE_PASSES = 8;

export interface TranslateJob {
  kind: 'translate';
  input: string;
  output: string;
  /** A pix2pix or CycleGAN checkpoint folder (or a run folder: its latest). */
  checkpoint: string;
  /** CycleGAN: which generator; pix2pix: its trained direction (omitted). */
  direction?: Direction;
}

/** One spherical path between two seeds' z, both ends included. */
export interface Interpolation {
  from: number;
  to: number;
  steps: number;
}

/**
 * Images drawn by a gan/dcgan/cgan checkpoint for chosen seeds (the z of seed s is that of
 * `gan sample --seed s`'s first image). Order: for each label (one row each), each seed or
 * interpolation step. `output`: also write them as one grid PNG with `cols` columns.
 */
export interface LatentSamplesJob {
  kind: 'latentSamples';
  checkpoint: string;
  /** The grid's seeds; ignored when `interpolate` is set. */
  seeds: number[];
  /** z scaled by this toward 0 (the mean): 1 = as trained, 0 = z = 0. */
  truncation: number;
  /** Conditional families: the classes to draw (absent: class 0). */
  labels?: number[];
  interpolate?: Interpolation;
  output?: string;
  cols?: number;
}

/**
 * Imports a community ESRGAN-family model file (.pth/.safetensors) into `store/<name>/`:
 * read, checked by running it once, copied with its import.json (src/shared/importedModels.ts).
 */
export interface ImportSrJob {
  kind: 'importSr';
  file: string;
  /** The folder of imported models; the child writes only inside it. */
  store: string;
  /** The new model's name (default: from the file's name). */
  name?: string;
}

/** The jobs that read an image file and write one. */
export type InferJob = UpscaleJob | TranslateJob;
export type AnyInferJob = InferJob | LatentSamplesJob | ImportSrJob;

export interface RunOptions {
  backend?: BackendName;
  threads?: number;
}

export type InferRequest =
  | { type: 'run'; id: number; job: AnyInferJob; options: RunOptions }
  /** Stop job `target` between tiles; its `run` is answered with `cancelled`. */
  | { type: 'cancel'; id: number; target: number };

export interface InferResult {
  /** The file written (the requested name or a counter variant of it). */
  output: string;
  width: number;
  height: number;
  inputWidth: number;
  inputHeight: number;
  seconds: number;
  model: string;
}

export interface LatentSamplesResult {
  kind: 'latentSamples';
  width: number;
  height: number;
  /** PNG bytes, base64 (JSON-safe over IPC, and a data: URL in a webview). */
  images: string[];
  /** The grid file written, when the job asked for one. */
  output?: string;
  /** "cgan, step 400". */
  model: string;
  seconds: number;
}

export interface ImportSrResult {
  kind: 'importSr';
  /** The model as imported, with its folder (`store/<name>`). */
  model: ListedImportedModel;
}

export type JobResult = InferResult | LatentSamplesResult | ImportSrResult;
/** What a job of type J is answered with. */
export type ResultOf<J extends AnyInferJob> = J extends LatentSamplesJob
  ? LatentSamplesResult
  : J extends ImportSrJob
    ? ImportSrResult
    : InferResult;

/** The `kind` of the result a job is answered with (upscale and translate results have none). */
export function resultKindOf(job: AnyInferJob): 'latentSamples' | 'importSr' | undefined {
  return job.kind === 'latentSamples' || job.kind === 'importSr' ? job.kind : undefined;
}

/**
 * Where the child may write for this job: the output file it asked for (or a counter variant),
 * or for an import, the store (the new model's folder must be directly inside it).
 */
export function writeTargetOf(job: AnyInferJob): string | undefined {
  return job.kind === 'importSr' ? job.store : job.output;
}

export { LATENT_LIMITS, MAX_SEED };

/** input: the user's file or option is wrong (shown as is); internal: a bug or crash. */
export type FailureKind = 'input' | 'internal';

export type InferEvent =
  | { type: 'response'; id: number; ok: true; result?: JobResult }
  | { type: 'response'; id: number; ok: false; cancelled: boolean; error: string; kind: FailureKind }
  | { type: 'progress'; id: number; done: number; total: number }
  | { type: 'log'; line: string; level: 'info' | 'warn' | 'error' };

const isBackend = oneOf(BACKEND_NAMES);
const isDirection = oneOf(DIRECTIONS);
const isPath = (x: unknown): x is string => isStr(x) && x.length > 0 && !x.includes('\0');

const isSeed = (v: unknown): v is number => isInt(v, 0) && v <= MAX_SEED;
const intList = (v: unknown, max: number, ok: (x: unknown) => x is number): v is number[] =>
  Array.isArray(v) && v.length >= 1 && v.length <= max && v.every(ok);

function parseInterpolation(x: unknown): Interpolation | undefined {
  if (!isObj(x) || !isSeed(x.from) || !isSeed(x.to) || !isInt(x.steps, 2) || x.steps > LATENT_LIMITS.steps)
    return undefined;
  return { from: x.from, to: x.to, steps: x.steps };
}

function parseLatentJob(j: Record<string, unknown>): LatentSamplesJob | undefined {
  if (!isPath(j.checkpoint) || !intList(j.seeds, LATENT_LIMITS.seeds, isSeed)) return undefined;
  if (!isNum(j.truncation) || j.truncation < 0 || j.truncation > 1) return undefined;
  if (!optional(j.labels, (v): v is number[] => intList(v, LATENT_LIMITS.labels, (x): x is number => isInt(x, 0))))
    return undefined;
  const interpolate = j.interpolate === undefined ? undefined : parseInterpolation(j.interpolate);
  if (j.interpolate !== undefined && !interpolate) return undefined;
  if (!optional(j.output, isPath) || !optional(j.cols, (v): v is number => isInt(v, 1) && v <= LATENT_LIMITS.cols))
    return undefined;
  const perRow = interpolate ? interpolate.steps : j.seeds.length;
  if (perRow * (j.labels?.length ?? 1) > LATENT_LIMITS.images) return undefined;
  return {
    kind: 'latentSamples',
    checkpoint: j.checkpoint,
    seeds: [...j.seeds],
    truncation: j.truncation,
    ...(j.labels ? { labels: [...j.labels] } : {}),
    ...(interpolate ? { interpolate } : {}),
    ...(j.output !== undefined ? { output: j.output, cols: j.cols } : {}),
  };
}

function parseImportJob(j: Record<string, unknown>): ImportSrJob | undefined {
  if (!isPath(j.file) || !isPath(j.store) || !optional(j.name, isImportedModelName)) return undefined;
  return { kind: 'importSr', file: j.file, store: j.store, ...(j.name !== undefined ? { name: j.name } : {}) };
}

function parseJob(j: unknown): AnyInferJob | undefined {
  if (!isObj(j)) return undefined;
  if (j.kind === 'latentSamples') return parseLatentJob(j);
  if (j.kind === 'importSr') return parseImportJob(j);
  if (!isPath(j.input) || !isPath(j.output)) return undefined;
  if (j.kind === 'upscale') {
    if (
      (j.scale !== 2 && j.scale !== 4) ||
      !isPath(j.model) ||
      !optional(j.tile, (v): v is number => isInt(v, 0)) ||
      !optional(j.ensemble, isBool)
    )
      return undefined;
    const { input, output, scale, model, tile, ensemble } = j;
    return { kind: 'upscale', input, output, scale, model, tile, ...(ensemble ? { ensemble } : {}) };
  }
  if (j.kind === 'translate') {
    if (!isPath(j.checkpoint) || !optional(j.direction, isDirection)) return undefined;
    return { kind: 'translate', input: j.input, output: j.output, checkpoint: j.checkpoint, direction: j.direction };
  }
  return undefined;
}

/** Validates a request in the child; undefined for anything malformed. */
export function parseInferRequest(m: unknown): InferRequest | undefined {
  if (!isObj(m) || !isInt(m.id, 0)) return undefined;
  if (m.type === 'cancel') return isInt(m.target, 0) ? { type: 'cancel', id: m.id, target: m.target } : undefined;
  if (m.type !== 'run') return undefined;
  const job = parseJob(m.job);
  const o = isObj(m.options) ? m.options : {};
  if (!job || !optional(o.backend, isBackend) || !optional(o.threads, (v): v is number => isInt(v, 1)))
    return undefined;
  return { type: 'run', id: m.id, job, options: { backend: o.backend, threads: o.threads } };
}

function parseResult(r: unknown, desiredOutput?: string): InferResult | undefined {
  if (!isObj(r) || !isPath(r.output)) return undefined;
  // The child may only have written the name asked for or one of its counter variants.
  if (desiredOutput !== undefined && !isCandidateName(desiredOutput, r.output)) return undefined;
  for (const k of ['width', 'height', 'inputWidth', 'inputHeight'] as const) if (!isInt(r[k], 1)) return undefined;
  if (!isNum(r.seconds) || !isStr(r.model, 4096)) return undefined;
  return {
    output: r.output,
    width: r.width as number,
    height: r.height as number,
    inputWidth: r.inputWidth as number,
    inputHeight: r.inputHeight as number,
    seconds: r.seconds,
    model: r.model,
  };
}

const MAX_PNG_BASE64 = 8 * 1024 * 1024;

/** A latent job's answer; a file is believed only if the job asked for one (`desiredOutput`). */
function parseLatentResult(r: Record<string, unknown>, desiredOutput?: string): LatentSamplesResult | undefined {
  if (!isInt(r.width, 1) || !isInt(r.height, 1) || !isNum(r.seconds) || !isStr(r.model, 4096)) return undefined;
  if (
    !Array.isArray(r.images) ||
    r.images.length > LATENT_LIMITS.images ||
    !r.images.every((b) => isStr(b, MAX_PNG_BASE64))
  )
    return undefined;
  if (
    r.output !== undefined &&
    (!isPath(r.output) || desiredOutput === undefined || !isCandidateName(desiredOutput, r.output))
  )
    return undefined;
  return {
    kind: 'latentSamples',
    width: r.width,
    height: r.height,
    images: r.images as string[],
    model: r.model,
    seconds: r.seconds,
    ...(r.output !== undefined ? { output: r.output } : {}),
  };
}

/** An import's answer: a sound import.json whose folder is `<store>/<name>`. */
function parseImportResult(r: Record<string, unknown>, store?: string): ImportSrResult | undefined {
  if (!isObj(r.model) || !isPath(r.model.dir) || store === undefined) return undefined;
  const model = parseImportedModel(r.model);
  if (typeof model === 'string' || r.model.dir !== path.join(store, model.name)) return undefined;
  return { kind: 'importSr', model: { ...model, dir: r.model.dir } };
}

/**
 * Validates an event in the host. `outputOf(id)` is where the job with that id may write
 * (`writeTargetOf`): a result naming any other file or folder is rejected.
 */
export function parseInferEvent(
  m: unknown,
  outputOf: (id: number) => string | undefined = () => undefined,
): InferEvent | undefined {
  if (!isObj(m)) return undefined;
  switch (m.type) {
    case 'response': {
      if (!isInt(m.id, 0) || !isBool(m.ok)) return undefined;
      if (m.ok) {
        if (m.result === undefined) return { type: 'response', id: m.id, ok: true };
        const r = m.result;
        const result = !isObj(r)
          ? undefined
          : r.kind === 'latentSamples'
            ? parseLatentResult(r, outputOf(m.id))
            : r.kind === 'importSr'
              ? parseImportResult(r, outputOf(m.id))
              : parseResult(r, outputOf(m.id));
        return result && { type: 'response', id: m.id, ok: true, result };
      }
      if (!isStr(m.error, 8192) || !isBool(m.cancelled) || (m.kind !== 'input' && m.kind !== 'internal'))
        return undefined;
      return { type: 'response', id: m.id, ok: false, cancelled: m.cancelled, error: m.error, kind: m.kind };
    }
    case 'progress':
      if (!isInt(m.id, 0) || !isInt(m.done, 0) || !isInt(m.total, 1) || m.done > m.total) return undefined;
      return { type: 'progress', id: m.id, done: m.done, total: m.total };
    case 'log':
      if (!isStr(m.line, 64 * 1024) || (m.level !== 'info' && m.level !== 'warn' && m.level !== 'error'))
        return undefined;
      return { type: 'log', line: m.line, level: m.level };
    default:
      return undefined;
  }
}
