// PNG and JPEG in and out through maintained pure-JS codecs (pngjs, jpeg-js): no native
// image library, so the same code runs in the CLI, the trainer child and the tests.
// The format is sniffed from the bytes, never trusted from the file name.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { applyOrientation, jpegOrientation } from './exif';
import { ImageDecodeError, type ImageFormat, type RawImage } from './types';

export * from './types';

/** Largest image we decode (pixels): a 100-megapixel photo still fits comfortably in memory. */
export const MAX_PIXELS = 100e6;

export function sniffFormat(buf: Uint8Array): ImageFormat | 'webp' | 'gif' | 'bmp' | 'tiff' | undefined {
  const b = (i: number) => buf[i];
  if (buf.length >= 8 && b(0) === 0x89 && b(1) === 0x50 && b(2) === 0x4e && b(3) === 0x47) return 'png';
  if (buf.length >= 3 && b(0) === 0xff && b(1) === 0xd8 && b(2) === 0xff) return 'jpeg';
  if (
    buf.length >= 12 &&
    String.fromCharCode(...buf.subarray(0, 4)) === 'RIFF' &&
    String.fromCharCode(...buf.subarray(8, 12)) === 'WEBP'
  )
    return 'webp';
  if (buf.length >= 4 && String.fromCharCode(...buf.subarray(0, 4)) === 'GIF8') return 'gif';
  if (buf.length >= 2 && b(0) === 0x42 && b(1) === 0x4d) return 'bmp';
  if (
    buf.length >= 4 &&
    ((b(0) === 0x49 && b(1) === 0x49 && b(2) === 0x2a) || (b(0) === 0x4d && b(1) === 0x4d && b(3) === 0x2a))
  )
    return 'tiff';
  return undefined;
}

/** True when every pixel has R == G == B (a grey JPEG decodes to RGB; we keep it grey). */
function isGrey(data: Uint8Array, c: number): boolean {
  for (let i = 0; i < data.length; i += c) if (data[i] !== data[i + 1] || data[i] !== data[i + 2]) return false;
  return true;
}

function dropChannels(img: RawImage, keep: 1 | 2 | 3): RawImage {
  const n = img.width * img.height,
    c = img.channels;
  const out = new Uint8Array(n * keep);
  for (let i = 0; i < n; i++) {
    if (keep === 3) {
      out[i * 3] = img.data[i * c];
      out[i * 3 + 1] = img.data[i * c + 1];
      out[i * 3 + 2] = img.data[i * c + 2];
    } else if (keep === 1) out[i] = img.data[i * c];
    else {
      out[i * 2] = img.data[i * c];
      out[i * 2 + 1] = img.data[i * c + 3];
    }
  }
  return { width: img.width, height: img.height, channels: keep, data: out };
}

function decodePng(buf: Uint8Array): RawImage {
  // The header's size is checked before pngjs allocates width x height x 4 bytes for it
  // (a 30000x30000 header would otherwise ask for 3.6 GB).
  const v = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  if (buf.length >= 24 && v.getUint32(12) === 0x49484452 /* "IHDR" */) {
    checkSize({ width: v.getUint32(16), height: v.getUint32(20), channels: 4, data: new Uint8Array(0) });
  }
  let png: ReturnType<typeof PNG.sync.read>;
  try {
    png = PNG.sync.read(Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength));
  } catch (e) {
    throw new ImageDecodeError(`corrupt PNG (${(e as Error).message})`);
  }
  const rgba: RawImage = {
    width: png.width,
    height: png.height,
    channels: 4,
    data: new Uint8Array(png.data.buffer, png.data.byteOffset, png.data.byteLength),
  };
  // pngjs always hands out RGBA; colorType says what the file holds (bit 2: colour, bit 4: alpha, palette: 3).
  const ct = png.colorType as number;
  const colour = (ct & 2) !== 0;
  const alpha = (ct & 4) !== 0 || (ct === 3 && hasTransparency(rgba));
  return dropChannels4(rgba, colour, alpha);
}

function hasTransparency(img: RawImage): boolean {
  for (let i = 3; i < img.data.length; i += 4) if (img.data[i] !== 255) return true;
  return false;
}

function dropChannels4(rgba: RawImage, colour: boolean, alpha: boolean): RawImage {
  if (colour && alpha) return rgba;
  if (colour) return dropChannels(rgba, 3);
  return dropChannels(rgba, alpha ? 2 : 1);
}

function decodeJpeg(buf: Uint8Array): RawImage {
  let raw: { width: number; height: number; data: Uint8Array };
  try {
    // Strict decoding: a truncated or damaged file is refused instead of coming back half grey.
    raw = jpeg.decode(buf, {
      useTArray: true,
      formatAsRGBA: false,
      tolerantDecoding: false,
      maxResolutionInMP: MAX_PIXELS / 1e6,
      maxMemoryUsageInMB: 2048,
    });
  } catch (e) {
    throw new ImageDecodeError(`corrupt JPEG (${(e as Error).message})`);
  }
  if (!raw.width || !raw.height || raw.data.length < raw.width * raw.height * 3)
    throw new ImageDecodeError('corrupt JPEG (no image data)');
  let img: RawImage = { width: raw.width, height: raw.height, channels: 3, data: raw.data };
  if (isGrey(img.data, 3)) img = dropChannels(img, 1);
  return applyOrientation(img, jpegOrientation(buf));
}

/** Decodes PNG or JPEG bytes (JPEG turned upright by its EXIF orientation). */
export function decodeImage(buf: Uint8Array): RawImage {
  const fmt = sniffFormat(buf);
  if (fmt === 'png') return checkSize(decodePng(buf));
  if (fmt === 'jpeg') return checkSize(decodeJpeg(buf));
  if (fmt) throw new ImageDecodeError(`unsupported image format ${fmt.toUpperCase()} (PNG and JPEG are supported)`);
  throw new ImageDecodeError(buf.length === 0 ? 'empty file' : 'not a PNG or JPEG image');
}

function checkSize(img: RawImage): RawImage {
  if (img.width * img.height > MAX_PIXELS)
    throw new ImageDecodeError(`image too large (${img.width}x${img.height}, limit ${MAX_PIXELS / 1e6} megapixels)`);
  return img;
}

/** Reads and decodes a file; every failure is an ImageDecodeError with a one-line reason. */
export function readImage(file: string): RawImage {
  let buf: Buffer;
  try {
    buf = fs.readFileSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new ImageDecodeError(
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EISDIR'
          ? 'is a folder'
          : `cannot read (${code ?? (e as Error).message})`,
    );
  }
  return decodeImage(buf);
}

/** The output format a file name asks for. */
export function formatFromName(file: string): ImageFormat | undefined {
  const ext = path.extname(file).toLowerCase();
  return ext === '.png' ? 'png' : ext === '.jpg' || ext === '.jpeg' ? 'jpeg' : undefined;
}

/** Encodes PNG (any channel count, kept) or JPEG (alpha dropped: JPEG has none; grey kept grey by value). */
export function encodeImage(img: RawImage, format: ImageFormat, quality = 92): Buffer {
  const n = img.width * img.height,
    c = img.channels;
  const rgba = Buffer.alloc(n * 4);
  for (let i = 0; i < n; i++) {
    const s = i * c,
      d = i * 4;
    if (c <= 2) {
      rgba[d] = rgba[d + 1] = rgba[d + 2] = img.data[s];
      rgba[d + 3] = c === 2 ? img.data[s + 1] : 255;
    } else {
      rgba[d] = img.data[s];
      rgba[d + 1] = img.data[s + 1];
      rgba[d + 2] = img.data[s + 2];
      rgba[d + 3] = c === 4 ? img.data[s + 3] : 255;
    }
  }
  if (format === 'jpeg') return jpeg.encode({ width: img.width, height: img.height, data: rgba }, quality).data;
  // colorType 0 grey, 4 grey+alpha, 2 RGB, 6 RGBA: the file keeps the input's channels.
  const colorType = c === 1 ? 0 : c === 2 ? 4 : c === 3 ? 2 : 6;
  return PNG.sync.write(Object.assign(new PNG({ width: img.width, height: img.height }), { data: rgba }), {
    colorType,
    inputColorType: 6,
    inputHasAlpha: true,
  });
}
