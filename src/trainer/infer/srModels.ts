// Which network `--model` names and how to run one tile through it: a shipped model (fidelity,
// sharp), a run/checkpoint folder, an UpscalerJS model, or a community ESRGAN-family model (a
// .pth/.safetensors file, or one imported with `gan import-sr`). Our models take and give
// [-1, 1]; UpscalerJS's 0..255; imported ones [0, 1]. A runner hides that: 0..255 in, 0..255
// out, NHWC floats.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { loadModel, modelLoadHandler } from '../engine/modelIO';
import { takeFloats } from '../engine/read';
import { InputError } from '../train/errors';
import { familyInfo } from '../models/infos';
import { readCheckpointState, requireCheckpoint } from '../train/checkpoint';
import { srScale } from '../models/srgan';
import '../models/blocks/pixelShuffle'; // registers PixelShuffle for deserialisation
import {
  cliStore,
  DEFAULT_SHIPPED_MODEL,
  IMPORT_FILE,
  isImportedModelName,
  shippedModelFolder,
} from '../../shared/importedModels';
import { loadTorchSrRunner, MODEL_FILE_RE, readStoredModel } from './import';

export interface SrRunner {
  readonly name: string;
  readonly scale: number;
  /** Input pixels of context a tile needs on each inner side, when more than upscale.ts's default. */
  readonly margin?: number;
  /** The tile side this model runs best with (a wide margin wants bigger tiles), when not the default. */
  readonly tile?: number;
  /** Tiles must start at and span multiples of this (a model that groups pixels: pixel_unshuffle). */
  readonly align?: number;
  /**
   * A tile [h, w, 3] of 0..255 floats -> [h*s, w*s, 3], 0..255 (not clipped). A runner may check
   * `cancelled` inside a tile too (a heavy model) and stop with an AbortError.
   */
  run(tile: Float32Array, h: number, w: number, cancelled?: () => boolean): Promise<Float32Array>;
  dispose(): void;
}

/** The shipped models: `fidelity` (PSNR-oriented) in models/sr-x<scale>/, `sharp` (GAN) in models/sr-x<scale>-sharp/. */
export const SHIPPED = ['fidelity', 'sharp', 'default', 'default-sharp'] as const;
export type ShippedName = (typeof SHIPPED)[number];
export const UPSCALERJS = ['esrgan-slim', 'esrgan-medium'] as const;

export const isShipped = (spec: string): spec is ShippedName => (SHIPPED as readonly string[]).includes(spec);

/** fidelity or sharp, whichever a shipped name means (default-sharp is sharp's old name). */
export function shippedModel(name: ShippedName): 'fidelity' | 'sharp' {
  return name === 'default' ? DEFAULT_SHIPPED_MODEL : name === 'default-sharp' ? 'sharp' : name;
}

/** models/<name> next to the bundle, in the package or in a clone (dist/, out/test/...). */
export function findPackageDir(sub: string): string | undefined {
  for (let dir = __dirname, i = 0; i < 6; i++, dir = path.dirname(dir)) {
    const p = path.join(dir, sub);
    if (fs.existsSync(p)) return p;
  }
  return undefined;
}

function shippedDir(name: ShippedName, scale: number): string {
  // `default` is sharp where a sharp model exists for this scale, else fidelity (x2 has none).
  const which = name === 'default' && !installedShipped('sharp', scale) ? 'fidelity' : shippedModel(name);
  const dir = installedShipped(which, scale);
  if (!dir) {
    const alias = name === which ? '' : ` ("${name}" is ${which})`;
    throw new InputError(
      `the model "${which}"${alias} for x${scale} is not installed (models/${shippedModelFolder(which, scale)} missing)${which === 'sharp' ? '; use --model fidelity' : ''}`,
    );
  }
  return dir;
}

/** The shipped model's folder if it is installed (holds model.json), else undefined. */
function installedShipped(which: 'fidelity' | 'sharp', scale: number): string | undefined {
  const dir = findPackageDir(path.join('models', shippedModelFolder(which, scale)));
  return dir && fs.existsSync(path.join(dir, 'model.json')) ? dir : undefined;
}

/** A folder with model.json: a generator folder, a checkpoint, or a run (its newest checkpoint). */
function checkpointGenerator(dir: string): { dir: string; scale?: number } {
  if (!fs.existsSync(dir)) throw new InputError(`model folder not found: ${dir}`);
  if (fs.existsSync(path.join(dir, 'model.json'))) return { dir, scale: scaleSavedBeside(dir) };
  const { dir: ck, state } = requireCheckpoint(
    dir,
    'not a model or checkpoint folder',
    'model.json, or state.json and generator/',
  );
  if (!familyInfo(state.model)?.superResolution)
    throw new InputError(`${dir} is a "${state.model}" checkpoint, not an srgan one`);
  return { dir: path.join(ck, 'generator'), scale: srScale(state.spec) };
}

/**
 * A bare generator folder's scale from what was saved with it: the spec of the checkpoint it
 * sits in (<checkpoint>/generator) or a shipped model's training.json.
 */
function scaleSavedBeside(dir: string): number | undefined {
  const state = readCheckpointState(path.dirname(dir));
  if (state && familyInfo(state.model)?.superResolution) return srScale(state.spec);
  try {
    const { scale } = JSON.parse(fs.readFileSync(path.join(dir, 'training.json'), 'utf8')) as { scale?: unknown };
    if (scale === 2 || scale === 4) return scale;
  } catch {
    // No training.json (or not ours): the name is the last resort.
  }
  return undefined;
}

/**
 * Compatibility only, for generator folders copied out of their checkpoint before the scale
 * was read from the spec: our generators have always been named sr_generator_x<scale>.
 */
const scaleFromName = (m: tf.LayersModel) => {
  const s = /_x(\d)$/.exec(m.name)?.[1];
  return s ? Number(s) : undefined;
};

class TfRunner implements SrRunner {
  constructor(
    readonly name: string,
    readonly scale: number,
    private readonly model: tf.LayersModel,
    private readonly range255: boolean,
  ) {}
  async run(tile: Float32Array, h: number, w: number): Promise<Float32Array> {
    // The pixels are read outside tidy (it cannot wait, and it walks what it returns).
    return takeFloats(
      tf.tidy(() => {
        let x = tf.tensor4d(tile, [1, h, w, 3]);
        if (!this.range255) x = tf.sub(tf.div(x, 127.5), 1);
        const out = this.model.predict(x) as tf.Tensor;
        return this.range255 ? out : tf.mul(tf.add(out, 1), 127.5);
      }),
    );
  }
  dispose(): void {
    this.model.dispose();
  }
}

/** UpscalerJS ESRGAN (dev dependency, used by the benchmark): model.json from node_modules, no network. */
async function loadUpscalerJs(name: string, scale: number): Promise<SrRunner> {
  // Looked up as a folder: the package's "exports" map hides package.json from require.resolve.
  const sub = path.join('node_modules', '@upscalerjs', name);
  const pkg = findPackageDir(sub) ?? [process.cwd()].map((d) => path.join(d, sub)).find((d) => fs.existsSync(d));
  if (!pkg)
    throw new InputError(
      `--model ${name} needs the npm package @upscalerjs/${name} (npm install --save-dev @upscalerjs/${name})`,
    );
  const dir = path.join(pkg, 'models', `x${scale}`);
  if (!fs.existsSync(path.join(dir, 'model.json'))) throw new InputError(`@upscalerjs/${name} has no x${scale} model`);
  const model = await tf.loadLayersModel(modelLoadHandler(dir));
  return new TfRunner(name, scale, model, true);
}

/**
 * An imported model: a .pth/.safetensors file, a store folder with import.json, or the name of
 * a model in the default store; undefined when `spec` is none of these.
 */
function importedModelFor(spec: string): { file: string; name: string } | undefined {
  const p = path.resolve(spec);
  if (MODEL_FILE_RE.test(spec) && !(fs.existsSync(p) && fs.statSync(p).isDirectory()))
    return { file: p, name: path.basename(p) };
  if (fs.existsSync(path.join(p, IMPORT_FILE))) {
    const m = readStoredModel(p);
    return { file: m.file, name: m.name };
  }
  if (!fs.existsSync(p) && isImportedModelName(spec)) {
    const dir = path.join(cliStore(), spec);
    if (fs.existsSync(path.join(dir, IMPORT_FILE))) return { file: readStoredModel(dir).file, name: spec };
  }
  return undefined;
}

function loadImported(m: { file: string; name: string }, scale?: number): SrRunner {
  const runner = loadTorchSrRunner(m.file, m.name);
  if (scale !== undefined && runner.scale !== scale) {
    runner.dispose();
    throw new InputError(`${m.name} upscales x${runner.scale}, not x${scale} (leave out --scale to use its own)`);
  }
  return runner;
}

/** Loads --model for --scale (scale undefined: the model's own; 4 for a shipped model). */
export async function loadSrRunner(spec: string, scale?: number): Promise<SrRunner> {
  if ((UPSCALERJS as readonly string[]).includes(spec)) return loadUpscalerJs(spec, scale ?? 4);
  let dir: string;
  let known: number | undefined;
  if (isShipped(spec)) {
    dir = shippedDir(spec, scale ?? 4);
    known = scale ?? 4;
  } else {
    const imported = importedModelFor(spec);
    if (imported) return loadImported(imported, scale);
    if (!fs.existsSync(spec) && !spec.includes('/') && !spec.includes(path.sep))
      throw new InputError(
        `no model "${spec}": not ${SHIPPED.slice(0, 2).join(' or ')}, a .pth/.safetensors file, a folder, or a model imported into ${cliStore()}`,
      );
    ({ dir, scale: known } = checkpointGenerator(path.resolve(spec)));
  }
  let model: tf.LayersModel;
  try {
    model = await loadModel(dir);
  } catch (e) {
    throw new InputError(`cannot load the model in ${dir}: ${(e as Error).message.split('\n')[0]}`);
  }
  const own = known ?? scaleFromName(model);
  if (own === undefined) {
    model.dispose();
    throw new InputError(
      `${dir}: cannot tell the model's scale (no state.json or training.json beside it, and no _x<scale> name)`,
    );
  }
  if (scale !== undefined && own !== scale) {
    model.dispose();
    throw new InputError(`${dir} upscales x${own}, not x${scale}`);
  }
  return new TfRunner(isShipped(spec) ? spec : dir, own, model, false);
}
