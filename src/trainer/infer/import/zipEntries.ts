// The entries of a zip archive held in memory, as torch.save (>= 1.6) writes them: read through
// the central directory, stored or deflated. No zip64: the importer refuses files over 2 GiB.
import * as zlib from 'node:zlib';

export interface ZipEntry {
  name: string;
  size: number;
  /** The entry's bytes; throws a one-line Error (without the file name) if they are damaged. */
  read(): Uint8Array;
}

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const ZIP64_MARK = 0xffffffff;
const MAX_INFLATED = 2 ** 31;

/** Lists a zip's entries; throws an Error whose message says what is damaged. */
export function zipEntries(buf: Uint8Array): Map<string, ZipEntry> {
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const eocd = findEndOfCentralDirectory(view);
  if (eocd < 0) throw new Error('the zip has no central directory (the file was cut short?)');
  const count = view.getUint16(eocd + 10, true);
  const dirSize = view.getUint32(eocd + 12, true);
  const dirStart = view.getUint32(eocd + 16, true);
  if (count === 0xffff || dirStart === ZIP64_MARK) throw new Error('zip64 archives are not supported');
  if (dirStart + dirSize > eocd) throw new Error('the zip central directory lies outside the file');
  const entries = new Map<string, ZipEntry>();
  let p = dirStart;
  for (let i = 0; i < count; i++) {
    if (p + 46 > eocd || view.getUint32(p, true) !== CENTRAL) throw new Error('a zip directory record is damaged');
    const method = view.getUint16(p + 10, true);
    const packed = view.getUint32(p + 20, true);
    const size = view.getUint32(p + 24, true);
    const nameLen = view.getUint16(p + 28, true);
    const skip = nameLen + view.getUint16(p + 30, true) + view.getUint16(p + 32, true);
    const local = view.getUint32(p + 42, true);
    const name = Buffer.from(buf.subarray(p + 46, p + 46 + nameLen)).toString('utf8');
    if (packed === ZIP64_MARK || size === ZIP64_MARK || local === ZIP64_MARK) {
      throw new Error(`zip64 entry ${name} is not supported`);
    }
    entries.set(name, { name, size, read: () => readEntry(buf, view, { name, method, packed, size, local }) });
    p += 46 + skip;
  }
  return entries;
}

function findEndOfCentralDirectory(view: DataView): number {
  // The record is 22 bytes plus a comment of at most 65535 bytes, at the very end.
  const last = view.byteLength - 22;
  for (let p = last; p >= 0 && p >= last - 65535; p--) {
    if (view.getUint32(p, true) === EOCD) return p;
  }
  return -1;
}

interface EntryRecord {
  name: string;
  method: number;
  packed: number;
  size: number;
  local: number;
}

function readEntry(buf: Uint8Array, view: DataView, e: EntryRecord): Uint8Array {
  if (e.local + 30 > buf.length || view.getUint32(e.local, true) !== LOCAL) {
    throw new Error(`zip entry ${e.name} is damaged`);
  }
  const start = e.local + 30 + view.getUint16(e.local + 26, true) + view.getUint16(e.local + 28, true);
  if (start + e.packed > buf.length) throw new Error(`zip entry ${e.name} runs past the end of the file`);
  const packed = buf.subarray(start, start + e.packed);
  if (e.method === 0) {
    if (e.packed !== e.size) throw new Error(`zip entry ${e.name} is damaged (sizes differ)`);
    return packed;
  }
  if (e.method !== 8) {
    throw new Error(`zip entry ${e.name} uses compression method ${e.method} (only stored and deflate)`);
  }
  // A deflated entry may claim any size: never inflate more than the importer could accept.
  if (e.size > MAX_INFLATED) throw new Error(`zip entry ${e.name} claims to inflate to over 2 GiB`);
  let out: Buffer;
  try {
    out = zlib.inflateRawSync(packed, { maxOutputLength: Math.max(1, e.size) });
  } catch {
    throw new Error(`zip entry ${e.name} does not inflate`);
  }
  if (out.length !== e.size) throw new Error(`zip entry ${e.name} inflates to the wrong size`);
  return out;
}
