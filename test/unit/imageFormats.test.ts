// Every image people have: WebP, AVIF, TIFF and GIF files (made here with sharp, the codec's
// own library) upscale, translate and train like PNG and JPEG; 16-bit PNGs, EXIF-rotated JPEGs
// and colour profiles decode as a viewer shows them; hostile files (a TIFF declaring
// 100k x 100k, a truncated WebP) end with one line and nothing written.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  decodeImage,
  ImageDecodeError,
  readImage,
  readImageAsync,
  type RawImage,
} from '../../src/trainer/engine/image/codec';
import { encodePngSync } from '../../src/trainer/engine/image/pngStream';
import { loadSharp } from '../../src/trainer/engine/image/sharpOps';
import { readMetrics, tmpDir } from './helpers';
import { exifJpeg, quadrants, texture, writeImage } from './srHelpers';
import { runGan } from '../lib/cli';

const gan = (args: string[]) => runGan(args, { timeout: 240_000 });

let dir = '';
const src = texture(28, 20, 3, 2);

/** `img` written as `format` by sharp (lossless where the format allows). */
async function writeAs(file: string, img: RawImage, format: 'webp' | 'avif' | 'tiff' | 'gif'): Promise<string> {
  const s = loadSharp()(img.data, { raw: { width: img.width, height: img.height, channels: img.channels } });
  const out =
    format === 'webp'
      ? s.webp({ lossless: true })
      : format === 'avif'
        ? s.avif({ lossless: true })
        : format === 'tiff'
          ? s.tiff({ compression: 'lzw' })
          : s.gif();
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, await out.toBuffer());
  return file;
}

/** Mean absolute difference of two same-sized images, 0..255. */
function meanDiff(a: RawImage, b: RawImage): number {
  assert.deepEqual([a.width, a.height, a.channels], [b.width, b.height, b.channels]);
  let s = 0;
  for (let i = 0; i < a.data.length; i++) s += Math.abs(a.data[i] - b.data[i]);
  return s / a.data.length;
}

const FORMATS = ['webp', 'avif', 'tiff', 'gif'] as const;
/** How far each format's decode may be from the pixels written (lossless ones: nearly nothing). */
const TOLERANCE: Record<(typeof FORMATS)[number], number> = { webp: 0.01, avif: 2, tiff: 0.01, gif: 12 };

before(async () => {
  dir = tmpDir('gan-formats-');
  writeImage(path.join(dir, 'in', 'photo.png'), src);
  for (const f of FORMATS) await writeAs(path.join(dir, 'in', `photo.${f}`), src, f);
});

test('formats: WebP, AVIF, TIFF and GIF decode to the pixels written, sync and async alike', async () => {
  for (const f of FORMATS) {
    const file = path.join(dir, 'in', `photo.${f}`);
    const img = readImage(file);
    assert.ok(meanDiff(img, src) <= TOLERANCE[f], `${f}: mean difference ${meanDiff(img, src)}`);
    assert.deepEqual((await readImageAsync(file)).data, img.data, `${f}: async decode is the same`);
  }
});

test('formats: gan upscale of each writes a PNG exactly 4x the size, close to the PNG input result', () => {
  const ref = path.join(dir, 'up-png.png');
  const r = gan(['upscale', path.join(dir, 'in', 'photo.png'), ref, '--threads', '1']);
  assert.equal(r.code, 0, r.stderr);
  const want = readImage(ref);
  assert.deepEqual([want.width, want.height], [4 * src.width, 4 * src.height]);
  for (const f of FORMATS) {
    const out = path.join(dir, `up-${f}.png`);
    const u = gan(['upscale', path.join(dir, 'in', `photo.${f}`), out, '--threads', '1']);
    assert.equal(u.code, 0, `${f}: ${u.stderr}`);
    const got = readImage(out);
    assert.ok(meanDiff(got, want) <= TOLERANCE[f] + 1, `${f}: ${meanDiff(got, want)} from the PNG input's result`);
  }
  // WebP out when the name asks for it.
  const w = path.join(dir, 'up.webp');
  assert.equal(gan(['upscale', path.join(dir, 'in', 'photo.avif'), w, '--threads', '1']).code, 0);
  assert.deepEqual([readImage(w).width, readImage(w).height], [4 * src.width, 4 * src.height]);
});

test('formats: gan translate takes a WebP', () => {
  const pair = (i: number): RawImage => {
    const b = texture(32, 32, 3, i + 1),
      data = new Uint8Array(64 * 32 * 3);
    for (let y = 0; y < 32; y++)
      for (let x = 0; x < 32; x++) {
        const s = (y * 32 + x) * 3,
          g = Math.round((b.data[s] + b.data[s + 1] + b.data[s + 2]) / 3);
        data.set([g, g, g], (y * 64 + x) * 3);
        data.set(b.data.subarray(s, s + 3), (y * 64 + 32 + x) * 3);
      }
    return { width: 64, height: 32, channels: 3, data };
  };
  for (let i = 0; i < 2; i++) writeImage(path.join(dir, 'pairs', `p${i}.png`), pair(i));
  const cfg = path.join(dir, 'p2p.json');
  fs.writeFileSync(
    cfg,
    JSON.stringify({
      name: 'p2p',
      model: 'pix2pix',
      dataset: { kind: 'paired', path: 'pairs' },
      imageSize: 32,
      batchSize: 2,
      steps: 1,
      seed: 1,
      logEvery: 1,
      sampleEvery: 1,
      checkpointEvery: 1,
      keepCheckpoints: 1,
      params: { ngf: 4, ndf: 4 },
    }),
  );
  const run = path.join(dir, 'run-p2p');
  const t = gan(['train', cfg, '--run-dir', run, '--backend', 'cpu']);
  assert.equal(t.code, 0, t.stderr);
  const out = path.join(dir, 'translated.png');
  const r = gan(['translate', path.join(dir, 'in', 'photo.webp'), out, '--checkpoint', run, '--threads', '1']);
  assert.equal(r.code, 0, r.stderr);
  const o = readImage(out);
  assert.deepEqual([o.width, o.height, o.channels], [src.width, src.height, 3]);
});

test('formats: dcgan trains 2 steps on a folder of WebP, AVIF, TIFF and GIF images', async () => {
  for (let i = 0; i < 4; i++)
    await writeAs(path.join(dir, 'mixed', `m${i}.${FORMATS[i]}`), texture(40, 36, 3, i + 3), FORMATS[i]);
  const cfg = path.join(dir, 'dcgan.json');
  fs.writeFileSync(
    cfg,
    JSON.stringify({
      name: 'fm',
      model: 'dcgan',
      dataset: { kind: 'folder', path: 'mixed' },
      imageSize: 32,
      batchSize: 2,
      steps: 2,
      seed: 1,
      logEvery: 1,
      sampleEvery: 2,
      checkpointEvery: 2,
      keepCheckpoints: 1,
      params: { latentDim: 8, ngf: 4, ndf: 4 },
    }),
  );
  const run = path.join(dir, 'run-dcgan');
  const r = gan(['train', cfg, '--run-dir', run, '--backend', 'cpu']);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(
    readMetrics(run).map((m) => m.step),
    [1, 2],
  );
  const events = fs.readFileSync(path.join(run, 'events.log'), 'utf8');
  assert.match(events, /folder:mixed 4 images/);
  assert.doesNotMatch(events, /skipped unreadable/);
});

test('formats: an EXIF-rotated JPEG decodes upright, a 16-bit PNG to 8 bits, a Display P3 JPEG to sRGB', async () => {
  // Orientation 6 (turn 90 degrees clockwise): red, top left as stored, ends top right.
  const img = decodeImage(exifJpeg(quadrants(32, 16), 6));
  assert.deepEqual([img.width, img.height], [16, 32]);
  const at = (x: number, y: number) =>
    Array.from(img.data.subarray((y * img.width + x) * 3, (y * img.width + x) * 3 + 3));
  assert.ok(at(15, 0)[0] > 200 && at(15, 0)[1] < 60, `top right is red: ${at(15, 0)}`);
  assert.ok(at(0, 0)[2] > 200 && at(0, 0)[0] < 60, `top left is blue: ${at(0, 0)}`);

  const sharp = loadSharp();
  const deep = Uint16Array.from({ length: 8 * 4 * 3 }, (_, i) => ((i * 41) % 256) * 257 + 100);
  const png16 = await sharp(deep, { raw: { width: 8, height: 4, channels: 3 } })
    .toColourspace('rgb16')
    .png()
    .toBuffer();
  assert.equal((await sharp(png16).metadata()).depth, 'ushort', 'the test file is 16-bit');
  const d = decodeImage(png16);
  assert.equal(d.channels, 3);
  for (let i = 0; i < d.data.length; i++) assert.ok(Math.abs(d.data[i] - ((i * 41) % 256)) <= 1, `sample ${i}`);

  // sRGB (200, 100, 50) stored in Display P3 (about 187, 106, 63 in the file) comes back as it was.
  const orange = new Uint8Array(16 * 16 * 3).map((_, i) => [200, 100, 50][i % 3]);
  const p3 = await sharp(orange, { raw: { width: 16, height: 16, channels: 3 } })
    .withIccProfile('p3')
    .jpeg({ quality: 100 })
    .toBuffer();
  const stored = await sharp(p3, { ignoreIcc: true }).raw().toBuffer();
  assert.ok(stored[0] < 192 && stored[2] > 58, `the file holds P3 values (${Array.from(stored.subarray(0, 3))})`);
  const back = Array.from(decodeImage(p3).data.subarray(0, 3));
  assert.ok(
    back.every((v, k) => Math.abs(v - [200, 100, 50][k]) <= 3),
    `decoded ${back}`,
  );
});

test('formats: the sync PNG writer (sample grids) makes files libvips reads back exactly', () => {
  for (const c of [1, 2, 3, 4] as const) {
    const data = Uint8Array.from({ length: 37 * 23 * c }, (_, i) => (i * 53 + (i >> 7)) & 255);
    const back = decodeImage(encodePngSync(37, 23, c, data));
    assert.deepEqual([back.width, back.height, back.channels], [37, 23, c]);
    assert.deepEqual(back.data, data, `${c} channels`);
  }
});

/** A little-endian TIFF header whose only IFD declares w x h grey 8-bit, no pixel data. */
function hugeTiff(w: number, h: number): Buffer {
  const entries: Array<[number, number, number]> = [
    [256, 4, w], // ImageWidth, LONG
    [257, 4, h], // ImageLength
    [258, 3, 8], // BitsPerSample
    [259, 3, 1], // Compression: none
    [262, 3, 1], // Photometric: black is zero
    [273, 4, 200], // StripOffsets
    [277, 3, 1], // SamplesPerPixel
    [278, 4, h], // RowsPerStrip
    [279, 4, w * h], // StripByteCounts
  ];
  const b = Buffer.alloc(8 + 2 + entries.length * 12 + 4 + 64);
  b.write('II', 0, 'ascii');
  b.writeUInt16LE(42, 2);
  b.writeUInt32LE(8, 4);
  b.writeUInt16LE(entries.length, 8);
  entries.forEach(([tag, type, value], i) => {
    const o = 10 + i * 12;
    b.writeUInt16LE(tag, o);
    b.writeUInt16LE(type, o + 2);
    b.writeUInt32LE(1, o + 4);
    if (type === 3) b.writeUInt16LE(value, o + 8);
    else b.writeUInt32LE(value >>> 0, o + 8);
  });
  return b;
}

test('formats: a TIFF declaring 100k x 100k and a truncated WebP are refused with one line, nothing written', () => {
  const huge = hugeTiff(100_000, 100_000);
  assert.throws(
    () => decodeImage(huge),
    (e: Error) =>
      e instanceof ImageDecodeError && e.message === 'image too large (100000x100000, limit 100 megapixels)',
  );
  const webp = fs.readFileSync(path.join(dir, 'in', 'photo.webp'));
  assert.throws(
    () => decodeImage(webp.subarray(0, webp.length >> 1)),
    (e: Error) => e instanceof ImageDecodeError && /^corrupt WebP/.test(e.message),
  );
  const cases: Array<[string, Buffer, RegExp]> = [
    ['huge.tiff', huge, /^gan: .*huge\.tiff: image too large \(100000x100000, limit 100 megapixels\)$/],
    ['cut.webp', webp.subarray(0, webp.length >> 1), /^gan: .*cut\.webp: corrupt WebP/],
  ];
  for (const [name, bytes, re] of cases) {
    const file = path.join(dir, 'bad', name);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, bytes);
    const out = path.join(dir, 'bad', `${name}.png`);
    const r = gan(['upscale', file, out]);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr.trim(), re);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    assert.ok(!fs.existsSync(out));
  }
});
