// A saved generator folder (model.json + one weights.bin) read as float32, for the recipe
// scripts that edit weights (grow, interpolate, float16). A folder stored as float16 (a
// shipped model) is refused by readFloat32Folder, whose callers write the manifest back, and
// widened to float32 by readWeightsAsFloat32, for the scripts that only read the values.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Prints one line and exits 2: the recipe scripts' way of refusing input. */
export function fail(message) {
  console.error(message);
  process.exit(2);
}

/** Number of values of one manifest entry. */
export const valueCount = (w) => w.shape.reduce((a, c) => a * c, 1);

/** A JSON file's contents, or one line and exit 2 when it is missing or not JSON. */
export function readJson(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    return fail(`${file}: ${e.code === 'ENOENT' ? 'not found' : e.message}`);
  }
}

/** model.json, its one weights group and the number of values it declares; fails on more than
 * one group or file. */
function readManifest(dir) {
  const json = readJson(join(dir, 'model.json'));
  const [group, ...others] = json.weightsManifest ?? [];
  if (!group || others.length || group.paths.length !== 1) fail(`${dir}: expected one weights file`);
  return { json, group, declared: group.weights.reduce((n, w) => n + valueCount(w), 0) };
}

/** The weights file's bytes, which must hold exactly the declared values of `width` bytes. */
function readValueBytes(dir, { group, declared }, width, kind) {
  const bytes = readFileSync(join(dir, group.paths[0]));
  if (bytes.byteLength !== width * declared)
    fail(`${dir}: ${group.paths[0]} holds ${bytes.byteLength} bytes, model.json declares ${declared} ${kind} values`);
  return bytes;
}

function float32From(dir, manifest, hint) {
  const { json, group, declared } = manifest;
  if (group.weights.some((w) => w.dtype !== 'float32' || w.quantization))
    fail(`${dir}: weights not plain float32 (quantized to float16?): ${hint}`);
  const bytes = readValueBytes(dir, manifest, 4, 'float32');
  return { json, group, floats: new Float32Array(bytes.buffer, bytes.byteOffset, declared) };
}

/** { json (model.json), group (its one weights group), floats (weights.bin, exactly the declared
 * values) }; fails on anything else. */
export const readFloat32Folder = (dir, hint) => float32From(dir, readManifest(dir), hint);

/** The float32 value of IEEE 754 binary16 bits h (exact: every half is a float32). The same as
 * src/trainer/infer/import/pthStorage.ts's halfToFloat: these scripts run on plain node, unbuilt. */
function fromHalf(h) {
  const sign = h & 0x8000 ? -1 : 1,
    exp = (h >> 10) & 0x1f,
    mant = h & 0x3ff;
  if (exp === 0) return sign * mant * 2 ** -24;
  if (exp === 0x1f) return mant ? NaN : sign * Infinity;
  return sign * (1 + mant / 1024) * 2 ** (exp - 15);
}

/** readFloat32Folder's { json, group, floats } of a float32 folder, or of a float16 one
 * (float16.mjs's) widened back to float32; fails on anything else. */
export function readWeightsAsFloat32(dir) {
  const manifest = readManifest(dir);
  if (!manifest.group.weights.every((w) => w.quantization?.dtype === 'float16'))
    return float32From(dir, manifest, 'expected float32, or float16 as float16.mjs stores it');
  const bytes = readValueBytes(dir, manifest, 2, 'float16');
  const bits = new Uint16Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  return { json: manifest.json, group: manifest.group, floats: Float32Array.from(bits, fromHalf) };
}
