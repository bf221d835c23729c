// A saved generator folder (model.json + one weights.bin) read as float32, for the recipe
// scripts that edit weights (grow, interpolate, float16). A folder already stored as float16
// is refused: its bytes would be read as garbage float32 values.
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

/** { json (model.json), group (its one weights group), floats (weights.bin, exactly the declared
 * values) }; fails on anything else. */
export function readFloat32Folder(dir, hint) {
  const json = readJson(join(dir, 'model.json'));
  const [group, ...others] = json.weightsManifest ?? [];
  if (!group || others.length || group.paths.length !== 1) fail(`${dir}: expected one weights file`);
  if (group.weights.some((w) => w.dtype !== 'float32' || w.quantization))
    fail(`${dir}: weights not plain float32 (quantized to float16?): ${hint}`);
  const bytes = readFileSync(join(dir, group.paths[0]));
  const declared = group.weights.reduce((n, w) => n + valueCount(w), 0);
  if (bytes.byteLength !== 4 * declared)
    fail(`${dir}: ${group.paths[0]} holds ${bytes.byteLength} bytes, model.json declares ${declared} float32 values`);
  return { json, group, floats: new Float32Array(bytes.buffer, bytes.byteOffset, declared) };
}
