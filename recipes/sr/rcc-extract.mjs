// Unpacks the photographs of GCompris's activities (Debian's gcompris-qt-data ships each
// activity as a Qt resource bundle, .rcc) for prepare-data.sh. Reads exactly the rcc layout
// (header, tree of 22-byte nodes, UTF-16 names, length-prefixed data, zlib per file) and
// writes its photos (.webp, .jpg, .jpeg; named <bundle>-<file>), plus the activity's README
// (the photos' authors and licences). With --half, each photo is written as a PNG at half size
// (sharp's Lanczos): the erase activity's photos are 1920x1080 WebP at about 0.4 bit a pixel,
// and halving washes out what the compression did to the finest detail.
//   node rcc-extract.mjs <file.rcc> <out dir> [--half]
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { parseArgs } from 'node:util';
import sharp from 'sharp';

const COMPRESSED_ZLIB = 0x01;
const DIRECTORY = 0x02;
const COMPRESSED_ZSTD = 0x04;
const PHOTO_EXTENSIONS = ['.webp', '.jpg', '.jpeg'];

function readRcc(buf) {
  if (buf.toString('latin1', 0, 4) !== 'qres') throw new Error('not a Qt resource file (no "qres" magic)');
  const version = buf.readUInt32BE(4);
  if (version < 2 || version > 3) throw new Error(`Qt resource version ${version} is not supported (2 or 3 are)`);
  const tree = buf.readUInt32BE(8),
    data = buf.readUInt32BE(12),
    names = buf.readUInt32BE(16);
  const nameAt = (off) => {
    const len = buf.readUInt16BE(names + off);
    // A copy: swap16 works in place, and rcc stores a name once for every node that has it.
    return Buffer.from(buf.subarray(names + off + 6, names + off + 6 + 2 * len))
      .swap16()
      .toString('utf16le');
  };
  const files = [];
  // Node i sits at tree + 22 * i; a directory's children are consecutive nodes.
  const walk = (i, dir) => {
    const at = tree + 22 * i;
    const name = i === 0 ? '' : nameAt(buf.readUInt32BE(at));
    const flags = buf.readUInt16BE(at + 4);
    const full = dir ? `${dir}/${name}` : name;
    if (flags & DIRECTORY) {
      const count = buf.readUInt32BE(at + 6),
        first = buf.readUInt32BE(at + 10);
      for (let k = 0; k < count; k++) walk(first + k, full);
    } else files.push({ path: full, flags, offset: data + buf.readUInt32BE(at + 10) });
  };
  walk(0, '');
  return files.map((f) => ({ path: f.path, bytes: () => contentOf(buf, f) }));
}

function contentOf(buf, f) {
  const len = buf.readUInt32BE(f.offset);
  if (f.flags & COMPRESSED_ZSTD) throw new Error(`${f.path}: zstd-compressed entries are not supported`);
  const raw = buf.subarray(f.offset + 4, f.offset + 4 + len);
  // qCompress's format: the uncompressed size (4 bytes), then a zlib stream.
  return f.flags & COMPRESSED_ZLIB ? zlib.inflateSync(raw.subarray(4)) : raw;
}

async function main() {
  const { positionals, values: o } = parseArgs({
    allowPositionals: true,
    options: { half: { type: 'boolean' } },
  });
  if (positionals.length !== 2) throw new Error('usage: rcc-extract.mjs <file.rcc> <out dir> [--half]');
  const [file, out] = positionals;
  const prefix = `${path.basename(file, '.rcc')}-`;
  fs.mkdirSync(out, { recursive: true });
  let n = 0;
  for (const f of readRcc(fs.readFileSync(file))) {
    const base = path.basename(f.path);
    if (base === 'README') fs.writeFileSync(path.join(out, `${prefix}README`), f.bytes());
    if (!PHOTO_EXTENSIONS.some((e) => base.toLowerCase().endsWith(e))) continue;
    const dest = path.join(out, prefix + base);
    if (o.half) {
      const img = sharp(f.bytes());
      const { width, height } = await img.metadata();
      await img
        .resize(Math.round(width / 2), Math.round(height / 2))
        .png()
        .toFile(dest.replace(/\.\w+$/, '.png'));
    } else fs.writeFileSync(dest, f.bytes());
    n++;
  }
  console.log(`${file}: ${n} photos into ${out}`);
}

main().catch((e) => {
  console.error(`rcc-extract: ${e.message}`);
  process.exit(1);
});
