// The store of imported upscalers: STORE/<name>/ holds a copy of the original file
// (model.pth or model.safetensors) and import.json saying what it is. A model is checked
// (read, detected, built, run once) before anything is written, and its folder appears under
// its final name only when complete; an existing folder is never overwritten.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import {
  IMPORT_FILE,
  IMPORT_FORMAT,
  isImportedModelName,
  modelNameFromFile,
  readImportedModel,
  type ImportedSrModel,
  type ListedImportedModel,
} from '../../../shared/importedModels';
import { InputError } from '../../train/errors';
import { describeNetwork, loadSrNetwork } from './load';
import type { DetectedSr } from './detect';
import type { SrNetwork } from './network';

/** A stored model: its import.json, where it is, and the stored copy of the file. */
export type StoredSrModel = ListedImportedModel & { file: string };
/** What importSrModel returns: the stored model and a phrase saying what it is. */
export type ImportedResult = StoredSrModel & { description: string };

const MODEL_FILES = ['model.pth', 'model.safetensors'];

/** name, name-2, name-3, ...: the first that does not exist in the store. */
function freeName(store: string, name: string): string {
  if (!fs.existsSync(path.join(store, name))) return name;
  for (let i = 2; ; i++) if (!fs.existsSync(path.join(store, `${name}-${i}`))) return `${name}-${i}`;
}

/** A PyTorch zip starts "PK"; anything else that reads is safetensors. */
function storedFileName(file: string): string {
  const fd = fs.openSync(file, 'r');
  try {
    const head = Buffer.alloc(2);
    fs.readSync(fd, head, 0, 2, 0);
    return head.toString('latin1') === 'PK' ? 'model.pth' : 'model.safetensors';
  } finally {
    fs.closeSync(fd);
  }
}

/** One forward pass on a small input: a file whose weights cannot run fails here, not at upscale time. */
async function tryRun(net: SrNetwork, source: string): Promise<void> {
  const side = 4 * net.align;
  const x = tf.fill([1, side, side, 3], 0.5) as tf.Tensor4D;
  const y = await net.forward(x).finally(() => x.dispose());
  try {
    const v = (await y.data()) as Float32Array;
    if (y.shape[1] !== side * net.scale || v.some((x) => !Number.isFinite(x)))
      throw new InputError(
        `${source}: the model gives ${y.shape[1] !== side * net.scale ? 'a wrong output size' : 'NaN or infinite values'} on a test image`,
      );
  } finally {
    y.dispose();
  }
}

function recordOf(
  d: DetectedSr,
  weights: number,
  name: string,
  source: string,
  file: string,
  sha256: string,
  bytes: number,
): ImportedSrModel {
  const p = d.params;
  // import.json's sizes are integers: PReLU or not is 1 or 0.
  const sizes: Record<string, number> =
    d.arch === 'RRDBNet'
      ? {
          numFeat: p.nf,
          numGrowCh: d.params.gc,
          numBlock: d.params.blocks,
          unshuffle: d.params.unshuffle,
          upsamples: d.params.upsamples,
        }
      : { numFeat: p.nf, numConv: d.params.numConv, prelu: d.params.act === 'prelu' ? 1 : 0 };
  return {
    format: IMPORT_FORMAT,
    name,
    arch: d.arch,
    scale: d.scale,
    params: weights,
    layout: d.layout,
    sourceName: path.basename(source),
    sha256,
    bytes,
    importedAt: new Date().toISOString(),
    sizes,
    weights: file,
  };
}

/**
 * Checks `file` (read, detect, build, one forward pass), then copies it with its import.json to
 * `store/<name>/`; name defaults to the file's base name, and -2, -3... is added when taken.
 */
export async function importSrModel(file: string, store: string, name?: string): Promise<ImportedResult> {
  if (name !== undefined && !isImportedModelName(name))
    throw new InputError(
      `cannot name an imported model "${name}": use letters, digits, '.', '_' and '-' (at most 64), and not a shipped model's name`,
    );
  const { detected, net, weights } = loadSrNetwork(file);
  try {
    await tryRun(net, path.basename(file));
  } finally {
    net.dispose();
  }
  const data = fs.readFileSync(file);
  const sha256 = createHash('sha256').update(data).digest('hex');
  fs.mkdirSync(store, { recursive: true });
  const base = name ?? modelNameFromFile(file);
  const modelFile = storedFileName(file);
  // Written under a hidden name, then renamed: a failure leaves no half-made model behind.
  const staging = fs.mkdtempSync(path.join(store, `.import-${base}-`));
  try {
    fs.writeFileSync(path.join(staging, modelFile), data);
    for (;;) {
      const final = freeName(store, base);
      const record = recordOf(detected, weights, final, file, modelFile, sha256, data.length);
      fs.writeFileSync(path.join(staging, IMPORT_FILE), `${JSON.stringify(record, null, 2)}\n`);
      try {
        // rename onto an existing non-empty folder fails, so a name taken meanwhile is not overwritten.
        fs.renameSync(staging, path.join(store, final));
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === 'ENOTEMPTY' || code === 'EEXIST') continue;
        throw e;
      }
      const dir = path.join(store, final);
      return { ...record, dir, file: path.join(dir, modelFile), description: describeNetwork(detected, weights) };
    }
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}

/** A stored model's import.json and model file (`dir` must hold an import.json). */
export function readStoredModel(dir: string): StoredSrModel {
  const m = readImportedModel(dir);
  if (typeof m === 'string') throw new InputError(`imported model ${m}`);
  const file = [m.weights, ...MODEL_FILES]
    .filter((f): f is string => !!f)
    .map((f) => path.join(dir, f))
    .find((f) => fs.existsSync(f));
  if (!file)
    throw new InputError(`imported model ${path.basename(dir)}: no ${m.weights ?? MODEL_FILES.join(' or ')} in ${dir}`);
  return { ...m, file };
}
