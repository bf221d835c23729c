// Image headers read by the host before queueing: format and size for PNG, JPEG, WebP, AVIF,
// TIFF and GIF, a reason for everything else.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PNG } from 'pngjs';
import * as jpeg from 'jpeg-js';
import { isImagePath, isInferablePath, readImageHeader } from '../../../src/shared/imageFiles';

function png(w: number, h: number): Uint8Array {
  return PNG.sync.write(Object.assign(new PNG({ width: w, height: h }), { data: Buffer.alloc(w * h * 4, 128) }));
}

test('PNG and JPEG sizes', () => {
  assert.deepEqual(readImageHeader(png(37, 21)), { format: 'png', width: 37, height: 21 });
  const j = jpeg.encode({ width: 40, height: 30, data: Buffer.alloc(40 * 30 * 4, 200) }, 80).data;
  assert.deepEqual(readImageHeader(j), { format: 'jpeg', width: 40, height: 30 });
  // A JPEG cut before its frame header: format known, size not.
  assert.deepEqual(readImageHeader(j.subarray(0, 4)), { format: 'jpeg' });
});

test('WebP sizes: lossy (VP8), lossless (VP8L) and extended (VP8X)', () => {
  const riff = (chunk: string, body: number[]) => {
    // Body bytes start at offset 20 (after the chunk name and its 4-byte size).
    const b = new Uint8Array(12 + 8 + body.length);
    b.set(Buffer.from('RIFF'), 0);
    b.set(Buffer.from('WEBP'), 8);
    b.set(Buffer.from(chunk), 12);
    b.set(body, 20);
    return b;
  };
  // VP8: 3-byte frame tag, start code 9d 01 2a, 14-bit width/height little endian.
  assert.deepEqual(readImageHeader(riff('VP8 ', [0, 0, 0, 0x9d, 0x01, 0x2a, 200, 0, 100, 0])), {
    format: 'webp',
    width: 200,
    height: 100,
  });
  // VP8L: signature 0x2f, then (w-1) in 14 bits and (h-1) in the next 14.
  const bits = (300 - 1) | ((150 - 1) << 14);
  assert.deepEqual(
    readImageHeader(riff('VP8L', [0x2f, bits & 255, (bits >> 8) & 255, (bits >> 16) & 255, (bits >>> 24) & 255])),
    { format: 'webp', width: 300, height: 150 },
  );
  // VP8X: flags + 3 reserved, then (w-1) and (h-1) in 24 bits each.
  assert.deepEqual(readImageHeader(riff('VP8X', [0, 0, 0, 0, 0x1f, 0x0f, 0, 0x0f, 0x0a, 0])), {
    format: 'webp',
    width: 0x0f20,
    height: 0x0a10,
  });
});

test('GIF, TIFF and AVIF sizes from their headers', () => {
  assert.deepEqual(readImageHeader(Buffer.from([...Buffer.from('GIF89a'), 40, 1, 30, 0, 0, 0])), {
    format: 'gif',
    width: 296,
    height: 30,
  });
  // Little-endian TIFF, IFD at 8 with ImageWidth (LONG) 5000 and ImageLength (SHORT) 3000.
  const t = Buffer.alloc(8 + 2 + 24 + 4);
  t.write('II*\0', 0, 'latin1');
  t.writeUInt32LE(8, 4);
  t.writeUInt16LE(2, 8);
  t.writeUInt16LE(256, 10);
  t.writeUInt16LE(4, 12);
  t.writeUInt32LE(1, 14);
  t.writeUInt32LE(5000, 18);
  t.writeUInt16LE(257, 22);
  t.writeUInt16LE(3, 24);
  t.writeUInt32LE(1, 26);
  t.writeUInt16LE(3000, 30);
  assert.deepEqual(readImageHeader(t), { format: 'tiff', width: 5000, height: 3000 });
  // AVIF: the largest ispe box (the primary image; a thumbnail's is smaller).
  const ispe = (w: number, h: number) => {
    const b = Buffer.alloc(20);
    b.writeUInt32BE(20, 0);
    b.write('ispe', 4, 'latin1');
    b.writeUInt32BE(w, 12);
    b.writeUInt32BE(h, 16);
    return b;
  };
  const avif = Buffer.concat([
    Buffer.from('\0\0\0\x1cftypavif', 'latin1'),
    Buffer.alloc(16),
    ispe(160, 120),
    ispe(4032, 3024),
  ]);
  assert.deepEqual(readImageHeader(avif), { format: 'avif', width: 4032, height: 3024 });
});

test('everything else is refused with a reason', () => {
  assert.equal(readImageHeader(new Uint8Array()), 'empty file');
  assert.match(readImageHeader(Buffer.from('BM......')) as string, /BMP images are not supported/);
  assert.match(
    readImageHeader(Buffer.from('hello world, not an image')) as string,
    /not a PNG, JPEG, WebP, AVIF, TIFF or GIF image/,
  );
  const broken = png(8, 8);
  broken[12] = 0; // IHDR name destroyed
  assert.match(readImageHeader(broken) as string, /corrupt PNG/);
  assert.match(readImageHeader(Buffer.from([0xff, 0xd8, 0xff, 0xda, 0, 2])) as string, /corrupt JPEG/);
});

test('isImagePath: png, jpg, jpeg, webp in any case; nothing else', () => {
  for (const p of ['a.png', '/x/a.PNG', 'a.jpg', 'a.JPEG', 'b.webp', 'C:\\x\\y.Jpg']) assert.ok(isImagePath(p), p);
  for (const p of ['a.gif', 'a.png.txt', 'png', '.png', 'a.pngx', 'a.svg', '/x.png/y']) assert.ok(!isImagePath(p), p);
  for (const p of ['a.JPG', 'b.webp', 'c.avif', 'd.tif', 'e.TIFF', 'f.gif']) assert.ok(isInferablePath(p), p);
  assert.ok(!isInferablePath('a.bmp') && !isInferablePath('a.heic'), 'what the engine does not read');
});
