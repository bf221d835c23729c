// Reads the weights of community PyTorch models (.pth zip files and .safetensors) into plain
// float32 arrays, without running anything the file contains (issue 17).
import * as fs from 'node:fs';
import { InputError } from '../../train/errors';
import { readPthZip } from './pthZip';
import { MAX_TOTAL_BYTES, ModelFileError, Tensor } from './pthStorage';
import { looksLikeSafetensors, readSafetensors } from './safetensors';

/** One tensor of a state dict; data is always float32 and C-contiguous. */
export interface StateTensor {
  shape: number[];
  /** float16 / bfloat16 when the file stored that; float32 otherwise (float64 and int64 are converted). */
  dtype: 'float32' | 'float16' | 'bfloat16';
  data: Float32Array;
}
export type StateDict = Map<string, StateTensor>;

/** Where training checkpoints keep the weights: Real-ESRGAN's params_ema / params, then others. */
const WRAPPER_KEYS = ['params_ema', 'params', 'state_dict', 'model'];

/** Reads a .pth/.pt (PyTorch zip) or .safetensors file, sniffed from its content. Throws InputError with one line. */
export function readStateDict(file: string): StateDict {
  try {
    return readSniffed(file);
  } catch (e) {
    // Names from inside the file end up in messages: keep them on one printable line.
    if (e instanceof InputError) throw new InputError(printable(e.message));
    throw e;
  }
}

function printable(message: string): string {
  const flat = [...message].map((c) => (c < ' ' || c === '\u007f' ? '?' : c)).join('');
  return flat.length > 400 ? `${flat.slice(0, 400)}...` : flat;
}

function readSniffed(file: string): StateDict {
  const buf = readWhole(file);
  try {
    if (isZip(buf)) return pickStateDict(file, readPthZip(buf));
    if (looksLikeSafetensors(buf)) return readSafetensors(buf);
  } catch (e) {
    if (e instanceof ModelFileError) throw new InputError(oneLine(file, e));
    throw e;
  }
  if (isLegacyTorch(buf)) {
    throw new InputError(
      `${file} was saved by PyTorch before 1.6 (the legacy format), which the importer does not read; ` +
        're-save it with torch.save(torch.load(path, weights_only=True), new_path) in PyTorch 1.6 or later',
    );
  }
  throw new InputError(`${file} is not a PyTorch .pth (zip) or .safetensors file`);
}

function oneLine(file: string, e: ModelFileError): string {
  switch (e.kind) {
    case 'damaged':
      return `${file} is truncated or damaged: ${e.message}`;
    case 'unsafe':
      return `${file}: refusing to load: ${e.message}`;
    case 'too-large':
      return `${file} is too large to import: ${e.message}`;
    case 'unsupported':
      return `${file} cannot be imported: ${e.message}`;
  }
}

function readWhole(file: string): Buffer {
  let size: number;
  try {
    const st = fs.statSync(file);
    if (!st.isFile()) throw new InputError(`${file} is not a file`);
    size = st.size;
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError(`${file}: no such file`);
  }
  if (size > MAX_TOTAL_BYTES) {
    throw new InputError(`${file} is too large to import: ${(size / 2 ** 30).toFixed(1)} GiB, the limit is 2 GiB`);
  }
  return fs.readFileSync(file);
}

function isZip(buf: Uint8Array): boolean {
  return buf.length >= 4 && buf[0] === 0x50 && buf[1] === 0x4b && (buf[2] === 3 || buf[2] === 5);
}

/** torch.save before 1.6: a tar archive, or pickles starting with PROTO 2 and torch's magic number. */
function isLegacyTorch(buf: Buffer): boolean {
  if (buf.length > 262 && buf.toString('latin1', 257, 262) === 'ustar') return true;
  return buf.length > 2 && buf[0] === 0x80 && buf[1] <= 5;
}

/** The checkpoint's state dict: a wrapper's params_ema / params / ..., else the top level. */
function pickStateDict(file: string, top: unknown): StateDict {
  if (!(top instanceof Map)) {
    throw new InputError(`${file} holds a single ${top instanceof Tensor ? 'tensor' : 'value'}, not a dict of weights`);
  }
  const dict = WRAPPER_KEYS.map((k) => top.get(k)).find((v) => v instanceof Map && hasTensors(v)) ?? top;
  const out: StateDict = new Map();
  for (const [k, v] of dict as Map<unknown, unknown>) {
    if (typeof k === 'string' && v instanceof Tensor) out.set(k, v);
  }
  if (out.size === 0) {
    const keys = [...top.keys()].slice(0, 5).map(String).join(', ');
    throw new InputError(`${file} holds no tensors (its top-level keys: ${keys || 'none'})`);
  }
  return out;
}

function hasTensors(m: Map<unknown, unknown>): boolean {
  for (const v of m.values()) if (v instanceof Tensor) return true;
  return false;
}
