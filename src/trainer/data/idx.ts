// Reader for the IDX format of MNIST-style data sets (optionally gzipped).
// Format: 2 zero bytes, a type byte (0x08 = unsigned byte), the number of dimensions,
// then one big-endian uint32 per dimension, then the raw data.
import * as fs from 'node:fs';
import * as zlib from 'node:zlib';

export interface IdxArray {
  dims: number[];
  data: Uint8Array;
}

/** Parses an IDX buffer; gzip is detected by its magic bytes. Only unsigned-byte data. */
export function parseIdx(buf: Uint8Array, label = 'IDX data'): IdxArray {
  if (buf.length >= 2 && buf[0] === 0x1f && buf[1] === 0x8b) buf = zlib.gunzipSync(buf);
  if (buf.length < 4 || buf[0] !== 0 || buf[1] !== 0) throw new Error(`${label}: not an IDX file`);
  if (buf[2] !== 0x08)
    throw new Error(`${label}: unsupported IDX element type 0x${buf[2].toString(16)} (only unsigned bytes)`);
  const nd = buf[3];
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  if (buf.length < 4 + 4 * nd) throw new Error(`${label}: truncated IDX header`);
  const dims: number[] = [];
  for (let i = 0; i < nd; i++) dims.push(view.getUint32(4 + 4 * i, false));
  const count = dims.reduce((a, b) => a * b, 1);
  const start = 4 + 4 * nd;
  if (buf.length < start + count)
    throw new Error(`${label}: truncated IDX data (${buf.length - start} of ${count} bytes)`);
  // A view, not a copy: the MNIST training images are 47 MB.
  return { dims, data: buf.subarray(start, start + count) };
}

export function readIdxFile(file: string): IdxArray {
  return parseIdx(fs.readFileSync(file), file);
}

/** Serialises unsigned bytes as IDX (used by tests and fixtures). */
export function encodeIdx(dims: number[], data: Uint8Array): Buffer {
  const head = Buffer.alloc(4 + 4 * dims.length);
  head[2] = 0x08;
  head[3] = dims.length;
  dims.forEach((d, i) => head.writeUInt32BE(d, 4 + 4 * i));
  return Buffer.concat([head, Buffer.from(data.buffer, data.byteOffset, data.byteLength)]);
}
