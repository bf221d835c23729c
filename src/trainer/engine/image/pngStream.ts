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
    fs.writeSync(this.fd, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    const ihdr = Buffer.alloc(13);
    ihdr.writeUInt32BE(width, 0);
    ihdr.writeUInt32BE(height, 4);
    ihdr[8] = 8; // bit depth
    ihdr[9] = channels === 1 ? 0 : channels === 2 ? 4 : channels === 3 ? 2 : 6;
    this.chunk('IHDR', ihdr);
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
    const head = Buffer.alloc(8);
    head.writeUInt32BE(data.length, 0);
    head.write(type, 4, 'ascii');
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32([head.subarray(4), data]), 0);
    fs.writeSync(this.fd, head);
    fs.writeSync(this.fd, data);
    fs.writeSync(this.fd, crc);
  }

  /** Appends whole rows (interleaved, `channels` bytes a pixel), top to bottom. */
  async writeRows(rows: Uint8Array): Promise<void> {
    if (this.failure) throw this.failure;
    const n = rows.length / this.rowBytes,
      c = this.channels,
      rb = this.rowBytes;
    const out = Buffer.alloc(n * (rb + 1));
    for (let r = 0; r < n; r++) {
      const cur = rows.subarray(r * rb, (r + 1) * rb);
      const o = r * (rb + 1);
      out[o] = 4; // Paeth: the best general filter for photos
      for (let i = 0; i < rb; i++) {
        const a = i >= c ? cur[i - c] : 0,
          b = this.prev[i],
          d = i >= c ? this.prev[i - c] : 0;
        const p = a + b - d,
          pa = Math.abs(p - a),
          pb = Math.abs(p - b),
          pc = Math.abs(p - d);
        const pred = pa <= pb && pa <= pc ? a : pb <= pc ? b : d;
        out[o + 1 + i] = (cur[i] - pred) & 0xff;
      }
      this.prev = cur.slice();
    }
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
