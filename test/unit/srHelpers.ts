// Fixtures for the SR tests, made in code: images with known content, JPEGs with an EXIF
// orientation tag, tiny HR folders, the smallest generator.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type * as tf from '@tensorflow/tfjs';
import { encodeImage, type RawImage } from '../../src/trainer/engine/image/codec';
import { buildSrGenerator } from '../../src/trainer/models/srgan/generator';

/** w x h RGB: red | green on top, blue | white below. */
export function quadrants(w: number, h: number): RawImage {
  const data = new Uint8Array(w * h * 3);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const right = x >= w / 2,
        bottom = y >= h / 2;
      const c = !bottom ? (right ? [0, 255, 0] : [255, 0, 0]) : right ? [255, 255, 255] : [0, 0, 255];
      data.set(c, (y * w + x) * 3);
    }
  return { width: w, height: h, channels: 3, data };
}

/** JPEG bytes with an APP1 Exif segment (big-endian TIFF, one IFD0 entry: Orientation). */
export function exifJpeg(img: RawImage, orientation: number): Buffer {
  const j = encodeImage(img, 'jpeg', 100);
  const tiff = Buffer.from([
    0x4d,
    0x4d,
    0x00,
    0x2a,
    0,
    0,
    0,
    8,
    0,
    1,
    0x01,
    0x12,
    0,
    3,
    0,
    0,
    0,
    1,
    0,
    orientation,
    0,
    0,
    0,
    0,
    0,
    0,
    0,
    0,
  ]);
  const body = Buffer.concat([Buffer.from('Exif\0\0', 'binary'), tiff]);
  const seg = Buffer.alloc(4);
  seg[0] = 0xff;
  seg[1] = 0xe1;
  seg.writeUInt16BE(body.length + 2, 2);
  return Buffer.concat([j.subarray(0, 2), seg, body, j.subarray(2)]);
}

/** A smooth, textured test photo-alike: gradients, rings and stripes (deterministic). */
export function texture(w: number, h: number, channels: 1 | 2 | 3 | 4 = 3, seed = 1): RawImage {
  const data = new Uint8Array(w * h * channels);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const v = [
        128 + 90 * Math.sin(x * 0.21 * seed + y * 0.07),
        128 + 90 * Math.cos(Math.hypot(x - w / 3, y - h / 2) * 0.35),
        ((x >> 3) + (y >> 3)) & 1 ? 210 : 40,
      ];
      const o = (y * w + x) * channels;
      if (channels <= 2) data[o] = Math.round((v[0] + v[1] + v[2]) / 3);
      else {
        data[o] = Math.round(v[0]);
        data[o + 1] = Math.round(v[1]);
        data[o + 2] = v[2];
      }
      if (channels === 2 || channels === 4) data[o + channels - 1] = Math.round((255 * x) / (w - 1));
    }
  return { width: w, height: h, channels, data };
}

export function writeImage(file: string, img: RawImage): string {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, encodeImage(img, file.endsWith('.png') ? 'png' : 'jpeg', 95));
  return file;
}

/** The smallest LR-space resnet SR generator (x2, 4 features, no batch norm), for tests that
 * save, load or edit one. */
export const tinySrGenerator = (blocks = 1): tf.LayersModel =>
  buildSrGenerator({ scale: 2, channels: 3, features: 4, blocks, block: 'resnet', batchNorm: false, upsampler: 'lr' });
