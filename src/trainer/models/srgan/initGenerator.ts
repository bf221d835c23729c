// params.initGenerator: a new run's generator starts from a saved one (a generator folder of
// model.json + weights.bin: a shipped model, an export or <checkpoint>/generator). This is how
// the GAN phase of ESRGAN starts from the PSNR-oriented model. Read synchronously because
// build() is; only the weights are read (the topology is data we never execute), and they
// must match the new generator's weights one for one, in order and shape. Quantized weights
// (the shipped x4 models are float16) are decoded by tfjs as its own loader would.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { InputError } from '../../train/errors';

type ManifestEntry = tf.io.WeightsManifestEntry;

/** Bytes per stored value: the quantized type's where there is one. */
const STORED_BYTES: Record<string, number> = { float32: 4, int32: 4, float16: 2, uint16: 2, uint8: 1 };

function readManifest(dir: string): { entries: ManifestEntry[]; bytes: Buffer } {
  const file = path.join(dir, 'model.json');
  let json: { weightsManifest?: { paths: string[]; weights: ManifestEntry[] }[] };
  try {
    json = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new InputError(`params.initGenerator: cannot read ${file}: ${(e as Error).message.split('\n')[0]}`);
  }
  const groups = json.weightsManifest;
  if (!Array.isArray(groups)) throw new InputError(`params.initGenerator: ${file} has no weightsManifest`);
  const parts: Buffer[] = [];
  for (const g of groups)
    for (const p of g.paths) {
      const f = path.resolve(dir, p);
      // A manifest names files beside it; anything else is refused rather than read.
      if (path.dirname(f) !== path.resolve(dir))
        throw new InputError(`params.initGenerator: ${file} names a weights file outside its folder: ${p}`);
      try {
        parts.push(fs.readFileSync(f));
      } catch {
        throw new InputError(`params.initGenerator: weights file missing: ${f}`);
      }
    }
  return { entries: groups.flatMap((g) => g.weights), bytes: Buffer.concat(parts) };
}

const shapeText = (s: readonly (number | null)[]) => `[${s.join(',')}]`;

/** Sets `model`'s weights from the generator saved in `dir`; one-line InputError when they differ. */
export function loadGeneratorWeights(model: tf.LayersModel, dir: string): void {
  const { entries, bytes } = readManifest(dir);
  const own = model.weights;
  if (entries.length !== own.length)
    throw new InputError(
      `params.initGenerator: ${dir} holds ${entries.length} weight tensors, this config's generator has ${own.length} (different ngf, residualBlocks, srBlock or srUpsampler?)`,
    );
  let stored = 0;
  for (const [i, e] of entries.entries()) {
    const want = own[i].shape;
    if (e.dtype !== 'float32' || shapeText(e.shape) !== shapeText(want))
      throw new InputError(
        `params.initGenerator: weight ${i} (${e.name}) is ${e.dtype} ${shapeText(e.shape)}, this config's generator needs float32 ${shapeText(want)} (a different architecture)`,
      );
    const per = STORED_BYTES[e.quantization?.dtype ?? e.dtype];
    if (!per) throw new InputError(`params.initGenerator: weight ${i} (${e.name}) is stored as ${e.quantization?.dtype}`);
    stored += per * e.shape.reduce((a, b) => a * b, 1);
  }
  if (stored > bytes.length) throw new InputError(`params.initGenerator: the weights in ${dir} are truncated`);
  const ab = new Uint8Array(bytes).buffer; // its own copy: decodeWeights takes an ArrayBuffer
  const named = tf.io.decodeWeights(ab, entries);
  const values = entries.map((e) => named[e.name]);
  try {
    // setWeights copies; the layers' own non-trainable weights (the bicubic skip) come along too.
    model.setWeights(values);
  } finally {
    values.forEach((t) => t.dispose());
  }
}
