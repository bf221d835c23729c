// Images in [-1, 1] -> PNG bytes: single images and sample grids.
import { encodePngSync } from './image/pngStream';

export interface ImageBatch {
  /** n * h * w * c floats in [-1, 1], NHWC. */
  data: Float32Array;
  n: number;
  h: number;
  w: number;
  c: number;
}

const toByte = (v: number) => Math.max(0, Math.min(255, Math.round((v + 1) * 127.5)));

/** Encodes RGBA pixels as PNG. */
export function encodePng(width: number, height: number, rgba: Uint8Array): Buffer {
  return encodePngSync(width, height, 4, rgba);
}

function putImage(batch: ImageBatch, i: number, rgba: Uint8Array, stride: number, x0: number, y0: number): void {
  const { h, w, c, data } = batch;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const src = ((i * h + y) * w + x) * c;
      const dst = ((y0 + y) * stride + x0 + x) * 4;
      const r = toByte(data[src]);
      rgba[dst] = r;
      rgba[dst + 1] = c >= 3 ? toByte(data[src + 1]) : r;
      rgba[dst + 2] = c >= 3 ? toByte(data[src + 2]) : r;
      rgba[dst + 3] = 255;
    }
  }
}

/** A grid with `cols` columns and a `pad`-pixel dark border between images. */
export function gridPng(batch: ImageBatch, cols: number, pad = 2): Buffer {
  cols = Math.max(1, Math.min(cols, batch.n));
  const rows = Math.ceil(batch.n / cols);
  const width = cols * (batch.w + pad) + pad;
  const height = rows * (batch.h + pad) + pad;
  const rgba = new Uint8Array(width * height * 4);
  for (let i = 3; i < rgba.length; i += 4) rgba[i] = 255; // opaque black background
  for (let i = 0; i < batch.n; i++) {
    putImage(batch, i, rgba, width, pad + (i % cols) * (batch.w + pad), pad + Math.floor(i / cols) * (batch.h + pad));
  }
  return encodePng(width, height, rgba);
}

/** Image i of the batch alone. */
export function imagePng(batch: ImageBatch, i: number): Buffer {
  const rgba = new Uint8Array(batch.w * batch.h * 4);
  putImage(batch, i, rgba, batch.w, 0, 0);
  return encodePng(batch.w, batch.h, rgba);
}
