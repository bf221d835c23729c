// The safetensors format: a little-endian u64 header length N, N bytes of JSON
// { name: { dtype, shape, data_offsets: [begin, end] }, "__metadata__": {...} }, then the data.
// Every range is checked against the file and the shape before anything is allocated.
import {
  ITEM_SIZE,
  ModelFileError,
  SizeBudget,
  Tensor,
  decode,
  elementCount,
  isDims,
  reportedType,
} from './pthStorage';
import type { StoredType } from './pthStorage';

const DTYPES: Record<string, StoredType> = {
  F32: 'float32',
  F16: 'float16',
  BF16: 'bfloat16',
  F64: 'float64',
  I64: 'int64',
  I32: 'int32',
};

/** The spec's own limit on the JSON header. */
const MAX_HEADER = 100 * 2 ** 20;

/** True when buf starts like a safetensors file (a length, then a JSON object). */
export function looksLikeSafetensors(buf: Uint8Array): boolean {
  return buf.length >= 9 && buf[8] === 0x7b && buf[4] === 0 && buf[5] === 0 && buf[6] === 0 && buf[7] === 0;
}

export function readSafetensors(buf: Uint8Array): Map<string, Tensor> {
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const headerLen = Number(view.getBigUint64(0, true));
  if (8 + headerLen > buf.length) {
    throw new ModelFileError('damaged', `its header says ${headerLen} bytes but only ${buf.length - 8} follow`);
  }
  if (headerLen > MAX_HEADER) throw new ModelFileError('damaged', `its header of ${headerLen} bytes is over 100 MiB`);
  const header = parseHeader(buf.subarray(8, 8 + headerLen));
  const data = buf.subarray(8 + headerLen);
  const budget = new SizeBudget();
  const out = new Map<string, Tensor>();
  for (const [name, info] of Object.entries(header)) {
    if (name === '__metadata__') continue;
    const { type, shape, begin, end } = checkEntry(name, info);
    budget.take(shape);
    if (end > data.length) {
      throw new ModelFileError('damaged', `tensor ${name}'s data [${begin}, ${end}) lies past the end of the file`);
    }
    const bytes = elementCount(shape) * ITEM_SIZE[type];
    if (end - begin !== bytes) {
      throw new ModelFileError('damaged', `tensor ${name} has ${end - begin} bytes of data, its shape needs ${bytes}`);
    }
    out.set(name, new Tensor(shape, reportedType(type), decode(data.subarray(begin, end), type, elementCount(shape))));
  }
  return out;
}

function parseHeader(bytes: Uint8Array): Record<string, unknown> {
  let header: unknown;
  try {
    header = JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch {
    throw new ModelFileError('damaged', 'its header is not valid JSON');
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) {
    throw new ModelFileError('damaged', 'its header is not a JSON object');
  }
  return header as Record<string, unknown>;
}

function checkEntry(name: string, info: unknown): { type: StoredType; shape: number[]; begin: number; end: number } {
  const e = (info ?? {}) as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
  if (typeof e.dtype !== 'string' || !isDims(e.shape) || !isDims(e.data_offsets) || e.data_offsets.length !== 2) {
    throw new ModelFileError('damaged', `the header entry for tensor ${name} is malformed`);
  }
  const type = DTYPES[e.dtype];
  if (!type) {
    throw new ModelFileError(
      'unsupported',
      `tensor ${name} has dtype ${e.dtype}; the importer reads F32, F16, BF16 and F64 weights`,
    );
  }
  const [begin, end] = e.data_offsets;
  if (begin > end) throw new ModelFileError('damaged', `tensor ${name}'s data offsets [${begin}, ${end}) are reversed`);
  return { type, shape: e.shape, begin, end };
}
