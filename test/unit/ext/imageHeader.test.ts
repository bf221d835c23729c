// Image headers read by the host before queueing: format and size for PNG, JPEG and WebP,
// a reason for everything else.
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

test('everything else is refused with a reason', () => {
  assert.equal(readImageHeader(new Uint8Array()), 'empty file');
  assert.match(readImageHeader(Buffer.from('GIF89a......')) as string, /GIF images are not supported/);
  assert.match(readImageHeader(Buffer.from('hello world, not an image')) as string, /not a PNG, JPEG or WebP image/);
  const broken = png(8, 8);
  broken[12] = 0; // IHDR name destroyed
  assert.match(readImageHeader(broken) as string, /corrupt PNG/);
  assert.match(readImageHeader(Buffer.from([0xff, 0xd8, 0xff, 0xda, 0, 2])) as string, /corrupt JPEG/);
});

test('isImagePath: png, jpg, jpeg, webp in any case; nothing else', () => {
  for (const p of ['a.png', '/x/a.PNG', 'a.jpg', 'a.JPEG', 'b.webp', 'C:\\x\\y.Jpg']) assert.ok(isImagePath(p), p);
  for (const p of ['a.gif', 'a.png.txt', 'png', '.png', 'a.pngx', 'a.svg', '/x.png/y']) assert.ok(!isImagePath(p), p);
  assert.ok(isInferablePath('a.JPG') && !isInferablePath('b.webp'), 'the engine reads PNG and JPEG only');
});
