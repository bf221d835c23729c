// Image plumbing of the SR engine: codecs (grey, alpha, EXIF orientation, corrupt input),
// bicubic resampling, and the PSNR/SSIM functions against values worked out by hand.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as jpeg from 'jpeg-js';
import {
  decodeImage,
  encodeImage,
  ImageDecodeError,
  sniffFormat,
  type RawImage,
} from '../../src/trainer/engine/image/codec';
import { contributions, cubic, resizeBytes, resizeFloat } from '../../src/trainer/engine/image/resize';
import { compareY, lumaY, psnr, ssim } from '../../src/trainer/infer/metrics';
import { exifJpeg, quadrants } from './srHelpers';

test('sr image: PNG keeps grey, grey+alpha, RGB and RGBA as they are', () => {
  for (const channels of [1, 2, 3, 4] as const) {
    const img: RawImage = {
      width: 5,
      height: 3,
      channels,
      data: Uint8Array.from({ length: 15 * channels }, (_, i) => (i * 37) % 256),
    };
    const back = decodeImage(encodeImage(img, 'png'));
    assert.equal(back.channels, channels);
    assert.deepEqual([back.width, back.height], [5, 3]);
    assert.deepEqual(Array.from(back.data), Array.from(img.data));
  }
});

test('sr image: a grey JPEG decodes as one channel', () => {
  const img: RawImage = { width: 16, height: 16, channels: 1, data: Uint8Array.from({ length: 256 }, (_, i) => i) };
  const back = decodeImage(encodeImage(img, 'jpeg'));
  assert.equal(back.channels, 1);
});

test('sr image: EXIF orientation is read and applied (all 8 values)', () => {
  // 32x16: red | green on top, blue | white below; corners tell where each part went.
  const src = quadrants(32, 16);
  const expectTopLeft: Record<number, string> = { 1: 'r', 2: 'g', 3: 'w', 4: 'b', 5: 'r', 6: 'b', 7: 'w', 8: 'g' };
  for (let o = 1; o <= 8; o++) {
    const file = exifJpeg(src, o);
    const img = decodeImage(file);
    assert.deepEqual([img.width, img.height], o >= 5 ? [16, 32] : [32, 16], `orientation ${o}`);
    const p = img.data.subarray(0, 3);
    const name = p[0] > 200 && p[1] > 200 ? 'w' : p[0] > 200 ? 'r' : p[1] > 200 ? 'g' : 'b';
    assert.equal(name, expectTopLeft[o], `orientation ${o}: top-left is ${name}`);
  }
});

test('sr image: corrupt and unsupported data are refused with a reason', () => {
  const good = encodeImage({ width: 40, height: 40, channels: 3, data: new Uint8Array(4800).fill(90) }, 'jpeg');
  const cases: Array<[Uint8Array, RegExp]> = [
    [new Uint8Array(0), /empty file/],
    [Buffer.from('hello, not an image'), /not a PNG, JPEG, WebP, AVIF, TIFF or GIF image/],
    [Buffer.from('GIF89a....'), /corrupt GIF/],
    [Buffer.from('BM........'), /unsupported image format BMP/],
    [good.subarray(0, good.length >> 1), /corrupt JPEG/],
    [encodeImage({ width: 4, height: 4, channels: 3, data: new Uint8Array(48) }, 'png').subarray(0, 40), /corrupt PNG/],
  ];
  for (const [buf, re] of cases) {
    assert.throws(
      () => decodeImage(buf),
      (e: Error) => e instanceof ImageDecodeError && re.test(e.message),
      re.source,
    );
  }
  assert.equal(sniffFormat(Buffer.from('RIFF0000WEBP')), 'webp');
});

test('sr image: bicubic kernel and weights', () => {
  assert.equal(cubic(0), 1);
  assert.equal(cubic(1), 0);
  assert.equal(cubic(2), 0);
  assert.equal(cubic(0.5), 0.5625);
  for (const [n, m] of [
    [16, 4],
    [16, 8],
    [5, 20],
    [7, 3],
  ]) {
    const c = contributions(n, m, m / n);
    for (let x = 0; x < m; x++) {
      let s = 0;
      for (let j = 0; j < c.taps; j++) s += c.weight[x * c.taps + j];
      assert.ok(Math.abs(s - 1) < 1e-5);
    }
  }
  // Constant stays constant; a linear ramp stays linear away from the edges when enlarging.
  assert.ok(resizeBytes(new Uint8Array(64 * 3).fill(77), 8, 8, 3, 2, 2).every((v) => v === 77));
  const ramp = Float32Array.from({ length: 16 }, (_, i) => 10 * i);
  const up = resizeFloat(ramp, 16, 1, 1, 32, 1);
  for (let x = 4; x < 28; x++) assert.ok(Math.abs(up[x] - 10 * ((x + 0.5) / 2 - 0.5)) < 1e-3);
  // 2x shrink of a ramp: the mean of each pair (the kernel is symmetric).
  const down = resizeFloat(ramp, 16, 1, 1, 8, 1);
  for (let x = 2; x < 6; x++) assert.ok(Math.abs(down[x] - 10 * (2 * x + 0.5)) < 1e-3);
});

test('sr metrics: PSNR and SSIM against hand-computed values', () => {
  const a = new Float32Array(100).fill(100);
  const b = new Float32Array(100).fill(110);
  // MSE 100 -> 10 log10(255^2 / 100) = 28.1308 dB
  assert.ok(Math.abs(psnr(a, b) - 28.130803608679106) < 1e-9);
  assert.equal(psnr(a, a), Infinity);
  const a2 = new Float32Array(20 * 20).fill(100),
    b2 = new Float32Array(20 * 20).fill(110);
  // Flat images: only the luminance term, (2*100*110 + C1) / (100^2 + 110^2 + C1), C1 = (0.01*255)^2.
  const C1 = (0.01 * 255) ** 2;
  assert.ok(Math.abs(ssim(a2, b2, 20, 20) - (2 * 100 * 110 + C1) / (100 ** 2 + 110 ** 2 + C1)) < 1e-6);
  const noise = Float32Array.from({ length: 400 }, (_, i) => (i * 7919) % 256);
  assert.ok(Math.abs(ssim(noise, noise, 20, 20) - 1) < 1e-6);
  // Y of BT.601: black 16, white 235.
  const y = lumaY(Uint8Array.from([0, 0, 0, 255, 255, 255]), 2, 1, 3);
  assert.ok(Math.abs(y[0] - 16) < 1e-4 && Math.abs(y[1] - 235) < 1e-4);
  // The border is cropped before comparing: differences only in it do not count.
  const ref = new Uint8Array(20 * 20 * 3).fill(50),
    est = ref.slice();
  est.fill(200, 0, 20 * 3); // first row differs
  assert.equal(compareY(ref, est, 20, 20, 3, 2).psnr, Infinity);
});

test('sr image: jpeg-js round trip sanity (test helper)', () => {
  const q = quadrants(8, 8);
  const j = jpeg.decode(exifJpeg(q, 1), { useTArray: true });
  assert.equal(j.width, 8);
});
