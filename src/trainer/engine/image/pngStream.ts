// A PNG written a band of rows at a time: a 4x upscale of a 12-megapixel photo is 192
// megapixels, and pngjs would want all of it (768 MB of RGBA) in memory at once before
// compressing. Rows are Paeth-filtered and fed to one zlib stream whose output goes to disk
// as IDAT chunks as it comes.
import * as fs from 'node:fs';
import * as zlib from 'node:zlib';

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

function crc32(parts: Uint8Array[]): number {
  let c = 0xffffffff;
  for (const p of parts) for (let i = 0; i < p.length; i++) c = CRC_TABLE[(c ^ p[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** PNG scanlines of `rows`, each Paeth-filtered (the best general filter for photos) against the row above. */
function paethRows(rows: Uint8Array, above: Uint8Array, c: number, rb: number): Buffer {
  const n = rows.length / rb;
  const out = Buffer.alloc(n * (rb + 1));
  let prev = above;
  for (let r = 0; r < n; r++) {
    const cur = rows.subarray(r * rb, (r + 1) * rb);
    const o = r * (rb + 1);
    out[o] = 4;
    for (let i = 0; i < rb; i++) {
      const a = i >= c ? cur[i - c] : 0,
        b = prev[i],
        d = i >= c ? prev[i - c] : 0;
      const p = a + b - d,
        pa = Math.abs(p - a),
        pb = Math.abs(p - b),
        pc = Math.abs(p - d);
      const pred = pa <= pb && pa <= pc ? a : pb <= pc ? b : d;
      out[o + 1 + i] = (cur[i] - pred) & 0xff;
    }
    prev = cur;
  }
  return out;
}

const COLOR_TYPE = { 1: 0, 2: 4, 3: 2, 4: 6 } as const;

function chunk(type: string, data: Uint8Array): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'ascii');
  out.set(data, 8);
  out.writeUInt32BE(crc32([out.subarray(4, 8 + data.length)]), 8 + data.length);
  return out;
}

function header(width: number, height: number, channels: 1 | 2 | 3 | 4): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = COLOR_TYPE[channels];
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr)]);
}

/**
 * A whole small PNG at once, synchronously (sample grids, loss plots, scaffold pictures: made
 * inside synchronous code, a few hundred kilobytes at most).
 */
export function encodePngSync(width: number, height: number, channels: 1 | 2 | 3 | 4, data: Uint8Array): Buffer {
  const rb = width * channels;
  const idat = zlib.deflateSync(paethRows(data.subarray(0, rb * height), new Uint8Array(rb), channels, rb), {
    level: 6,
  });
  return Buffer.concat([header(width, height, channels), chunk('IDAT', idat), chunk('IEND', new Uint8Array(0))]);
}

export class PngWriter {
  private readonly fd: number;
  private readonly deflate = zlib.createDeflate({ level: 6 });
  private readonly rowBytes: number;
  private prev: Uint8Array;
  private rowsWritten = 0;
  private readonly finished: Promise<void>;
  private failure: Error | undefined;

  constructor(
    file: string,
    readonly width: number,
    readonly height: number,
    readonly channels: 1 | 2 | 3 | 4,
  ) {
    this.fd = fs.openSync(file, 'w');
    this.rowBytes = width * channels;
    this.prev = new Uint8Array(this.rowBytes);
    fs.writeSync(this.fd, header(width, height, channels));
    this.deflate.on('data', (d: Buffer) => {
      try {
        this.chunk('IDAT', d);
      } catch (e) {
        this.failure = e as Error;
      }
    });
    this.finished = new Promise((resolve, reject) => {
      this.deflate.on('end', resolve);
      this.deflate.on('error', reject);
    });
  }

  private chunk(type: string, data: Uint8Array): void {
    fs.writeSync(this.fd, chunk(type, data));
  }

  /** Appends whole rows (interleaved, `channels` bytes a pixel), top to bottom. */
  async writeRows(rows: Uint8Array): Promise<void> {
    if (this.failure) throw this.failure;
    const n = rows.length / this.rowBytes;
    const out = paethRows(rows, this.prev, this.channels, this.rowBytes);
    this.prev = rows.slice((n - 1) * this.rowBytes, n * this.rowBytes);
    this.rowsWritten += n;
    if (!this.deflate.write(out)) await new Promise<void>((r) => this.deflate.once('drain', () => r()));
    if (this.failure) throw this.failure;
  }

  async close(): Promise<void> {
    if (this.rowsWritten !== this.height)
      throw new Error(`PNG writer: ${this.rowsWritten} of ${this.height} rows written`);
    this.deflate.end();
    await this.finished;
    if (this.failure) throw this.failure;
    this.chunk('IEND', new Uint8Array(0));
    fs.fsyncSync(this.fd);
    fs.closeSync(this.fd);
  }

  /** Gives up: closes the file (the caller deletes it). */
  abort(): void {
    this.deflate.destroy();
    try {
      fs.closeSync(this.fd);
    } catch {
      /* already closed */
    }
  }
}
