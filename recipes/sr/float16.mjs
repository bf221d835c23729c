// node recipes/sr/float16.mjs <model dir> [<model dir> ...]
// Stores a shipped model's float32 weights as float16, in place: half the download, and tfjs
// turns them back into float32 when it loads the model (the manifest's `quantization`), so
// nothing else changes. float16 keeps 11 significant bits; the README gives the PSNR before
// and after. Run it last: interpolate.mjs reads float32 weights.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fail, readFloat32Folder } from './float32-folder.mjs';

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** IEEE 754 binary16 bits of x, rounded to nearest even (subnormals included). */
function toHalf(x) {
  f32[0] = x;
  const b = u32[0];
  const sign = (b >>> 16) & 0x8000;
  const exp = (b >>> 23) & 0xff;
  let mant = b & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0); // Inf, NaN
  const e = exp - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00; // too large: Inf
  if (e <= 0) {
    if (e < -10) return sign; // too small: zero
    mant |= 0x800000;
    const shift = 14 - e;
    const half = mant >>> shift;
    const rest = mant & ((1 << shift) - 1);
    const mid = 1 << (shift - 1);
    return sign | (half + (rest > mid || (rest === mid && half & 1) ? 1 : 0));
  }
  const half = (e << 10) | (mant >>> 13);
  const rest = mant & 0x1fff;
  // A carry out of the mantissa rounds into the exponent, as it should.
  return sign | (half + (rest > 0x1000 || (rest === 0x1000 && half & 1) ? 1 : 0));
}

const dirs = process.argv.slice(2);
if (!dirs.length) fail('usage: node recipes/sr/float16.mjs <model dir> [<model dir> ...]');
for (const dir of dirs) {
  const { json, group, floats } = readFloat32Folder(dir, 'already converted');
  const halves = new Uint16Array(floats.length);
  for (let i = 0; i < floats.length; i++) halves[i] = toHalf(floats[i]);
  for (const w of group.weights) w.quantization = { dtype: 'float16', original_dtype: 'float32' };
  writeFileSync(join(dir, group.paths[0]), Buffer.from(halves.buffer));
  writeFileSync(join(dir, 'model.json'), JSON.stringify(json));
  console.log(`${dir}: ${floats.length} weights, ${floats.byteLength} -> ${halves.byteLength} bytes`);
}
