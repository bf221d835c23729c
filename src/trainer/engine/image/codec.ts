// Images in and out through sharp (libvips, prebuilt per platform in its npm packages): PNG
// (8 or 16 bit), JPEG, WebP, AVIF, TIFF and GIF (first frame) are read, turned upright by their
// EXIF orientation and converted to sRGB by their ICC profile; PNG, JPEG and WebP are written.
// The format is sniffed from the bytes, never trusted from the file name, and the size is
// checked from the header before anything is decoded.
//
// The decode and encode logic is written once as a generator of sharp requests; `readImage`
// and friends drive it synchronously (sharp in a worker, syncSharp.ts) for the loaders that
// decode inside synchronous code, the `...Async` ones on this thread for the commands.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadSharp, type HeaderInfo, type RawPixels, type SharpOp, type SharpResult } from './sharpOps';
import { resizeBytes } from './resize';
import { runSharpOpAsync, runSharpOpSync, SharpOpError } from './syncSharp';
import { ImageDecodeError, type ImageFormat, type RawImage } from './types';

export * from './types';

/** Largest image we decode (pixels): a 100-megapixel photo still fits comfortably in memory. */
export const MAX_PIXELS = 100e6;

/** What the codec reads, as messages name it. */
export const READABLE_FORMATS = 'PNG, JPEG, WebP, AVIF, TIFF or GIF';

/** File extensions of the formats it reads (folders of training images are listed by these). */
export const READABLE_EXTENSIONS = ['.png', '.jpg', '.jpeg', '.webp', '.avif', '.tif', '.tiff', '.gif'];

export type SniffedFormat = 'png' | 'jpeg' | 'webp' | 'avif' | 'heic' | 'tiff' | 'gif' | 'bmp';

/** Formats sharp's prebuilt libvips decodes (BMP and HEIC are not among them). */
const DECODABLE: ReadonlySet<SniffedFormat> = new Set(['png', 'jpeg', 'webp', 'avif', 'tiff', 'gif']);

const NAMES: Record<SniffedFormat, string> = {
  png: 'PNG',
  jpeg: 'JPEG',
  webp: 'WebP',
  avif: 'AVIF',
  heic: 'HEIC',
  tiff: 'TIFF',
  gif: 'GIF',
  bmp: 'BMP',
};

export function sniffFormat(buf: Uint8Array): SniffedFormat | undefined {
  const b = (i: number) => buf[i];
  const ascii = (at: number, n: number) => String.fromCharCode(...buf.subarray(at, at + n));
  if (buf.length >= 8 && b(0) === 0x89 && b(1) === 0x50 && b(2) === 0x4e && b(3) === 0x47) return 'png';
  if (buf.length >= 3 && b(0) === 0xff && b(1) === 0xd8 && b(2) === 0xff) return 'jpeg';
  if (buf.length >= 12 && ascii(0, 4) === 'RIFF' && ascii(8, 4) === 'WEBP') return 'webp';
  if (buf.length >= 12 && ascii(4, 4) === 'ftyp') {
    const brand = ascii(8, 4);
    if (brand === 'avif' || brand === 'avis') return 'avif';
    if (['heic', 'heix', 'heim', 'heis', 'hevc', 'hevx', 'mif1', 'msf1'].includes(brand)) return 'heic';
  }
  if (buf.length >= 4 && ascii(0, 4) === 'GIF8') return 'gif';
  if (buf.length >= 2 && b(0) === 0x42 && b(1) === 0x4d) return 'bmp';
  if (
    buf.length >= 4 &&
    ((b(0) === 0x49 && b(1) === 0x49 && b(2) === 0x2a && b(3) === 0) ||
      (b(0) === 0x4d && b(1) === 0x4d && b(2) === 0 && b(3) === 0x2a))
  )
    return 'tiff';
  return undefined;
}

type Steps<T> = Generator<SharpOp, T, SharpResult>;

/** The reason sharp gave, on one line and without its "Input buffer has corrupt header:" prefix. */
function reasonOf(e: unknown): string {
  const first = ((e as Error).message ?? String(e)).split('\n')[0];
  return first.replace(/^Input (buffer|file) (has corrupt header|contains unsupported image format):?\s*/i, '').trim();
}

/** One sharp request inside the steps; its failure becomes an ImageDecodeError for `fmt`. */
function* ask<T extends SharpResult>(req: SharpOp, fmt: string): Steps<T> {
  try {
    return (yield req) as T;
  } catch (e) {
    if (!(e instanceof SharpOpError)) throw e;
    const why = reasonOf(e);
    throw new ImageDecodeError(why ? `corrupt ${fmt} (${why})` : `corrupt ${fmt}`);
  }
}

function* decodeSteps(buf: Uint8Array): Steps<RawImage> {
  const fmt = sniffFormat(buf);
  if (!fmt) throw new ImageDecodeError(buf.length === 0 ? 'empty file' : `not a ${READABLE_FORMATS} image`);
  const name = NAMES[fmt];
  if (!DECODABLE.has(fmt)) throw new ImageDecodeError(`unsupported image format ${name} (use ${READABLE_FORMATS})`);
  // The header first: a file declaring 100k x 100k is refused before libvips allocates anything.
  const head: HeaderInfo = yield* ask({ op: 'header', input: buf }, name);
  if (!head.width || !head.height) throw new ImageDecodeError(`corrupt ${name} (no image size)`);
  checkSize(head.uprightWidth, head.uprightHeight);
  const px: RawPixels = yield* ask({ op: 'decode', input: buf, maxPixels: MAX_PIXELS }, name);
  return keepChannels(px, fmt, head);
}

function checkSize(width: number, height: number): void {
  if (width * height > MAX_PIXELS)
    throw new ImageDecodeError(`image too large (${width}x${height}, limit ${MAX_PIXELS / 1e6} megapixels)`);
}

/**
 * libvips hands out sRGB (3 channels, 4 with alpha). The file's own channels are kept: grey
 * stays grey (a JPEG whose pixels are all grey too), and a palette's alpha only when some
 * pixel is transparent (GIF always declares one).
 */
function keepChannels(px: RawPixels, fmt: SniffedFormat, head: HeaderInfo): RawImage {
  const img: RawImage = {
    width: px.width,
    height: px.height,
    channels: px.channels as RawImage['channels'],
    data: px.data,
  };
  const c = img.channels;
  let alpha = c === 2 || c === 4;
  if (alpha && (head.palette || fmt === 'gif') && isOpaque(img)) alpha = false;
  const grey = c <= 2 || head.space === 'b-w' || head.space === 'grey16' || (fmt === 'jpeg' && isGrey(img));
  const keep = grey ? (alpha ? 2 : 1) : alpha ? 4 : 3;
  return keep === c ? img : dropChannels(img, keep);
}

function isOpaque(img: RawImage): boolean {
  const c = img.channels;
  for (let i = c - 1; i < img.data.length; i += c) if (img.data[i] !== 255) return false;
  return true;
}

/** True when every pixel has R == G == B. */
function isGrey(img: RawImage): boolean {
  const { data, channels: c } = img;
  if (c < 3) return true;
  for (let i = 0; i < data.length; i += c) if (data[i] !== data[i + 1] || data[i] !== data[i + 2]) return false;
  return true;
}

/** Keeps grey (the first channel) or colour, with or without the last (alpha) channel. */
function dropChannels(img: RawImage, keep: 1 | 2 | 3 | 4): RawImage {
  const n = img.width * img.height,
    c = img.channels;
  const out = new Uint8Array(n * keep);
  const colour = keep >= 3 ? 3 : 1;
  const alpha = keep === 2 || keep === 4;
  for (let i = 0; i < n; i++) {
    const s = i * c,
      d = i * keep;
    for (let k = 0; k < colour; k++) out[d + k] = img.data[s + (c <= 2 ? 0 : k)];
    if (alpha) out[d + colour] = c === 2 || c === 4 ? img.data[s + c - 1] : 255;
  }
  return { width: img.width, height: img.height, channels: keep, data: out };
}

function* encodeSteps(img: RawImage, format: ImageFormat, quality: number): Steps<Buffer> {
  const n = img.width * img.height * img.channels;
  const pixels: RawPixels = {
    width: img.width,
    height: img.height,
    channels: img.channels,
    data: img.data.length === n ? img.data : img.data.subarray(0, n),
  };
  const out = (yield { op: 'encode', pixels, format, quality }) as Uint8Array;
  return Buffer.from(out.buffer, out.byteOffset, out.byteLength);
}

function runSync<T>(steps: Steps<T>): T {
  let r = steps.next();
  while (!r.done) {
    let answer: SharpResult;
    try {
      answer = runSharpOpSync(r.value);
    } catch (e) {
      r = steps.throw(e);
      continue;
    }
    r = steps.next(answer);
  }
  return r.value;
}

async function runAsync<T>(steps: Steps<T>): Promise<T> {
  const sharp = loadSharp();
  let r = steps.next();
  while (!r.done) {
    let answer: SharpResult;
    try {
      answer = await runSharpOpAsync(sharp, r.value);
    } catch (e) {
      r = steps.throw(e);
      continue;
    }
    r = steps.next(answer);
  }
  return r.value;
}

/** Decodes image bytes (upright, sRGB, 8-bit); every failure is an ImageDecodeError with a one-line reason. */
export function decodeImage(buf: Uint8Array): RawImage {
  return runSync(decodeSteps(buf));
}

export function decodeImageAsync(buf: Uint8Array): Promise<RawImage> {
  return runAsync(decodeSteps(buf));
}

function readBytes(file: string): Buffer {
  try {
    return fs.readFileSync(file);
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
}

/** Reads and decodes a file (blocking: for code that is synchronous anyway). */
export function readImage(file: string): RawImage {
  return decodeImage(readBytes(file));
}

/** Reads and decodes a file without blocking this thread. */
export async function readImageAsync(file: string): Promise<RawImage> {
  return decodeImageAsync(readBytes(file));
}

/** The output format a file name asks for. */
export function formatFromName(file: string): ImageFormat | undefined {
  const ext = path.extname(file).toLowerCase();
  return ext === '.png' ? 'png' : ext === '.jpg' || ext === '.jpeg' ? 'jpeg' : ext === '.webp' ? 'webp' : undefined;
}

/**
 * Encodes PNG (any channel count, kept), JPEG (alpha dropped: JPEG has none; grey kept grey)
 * or WebP. Blocking; see encodeImageAsync.
 */
export function encodeImage(img: RawImage, format: ImageFormat, quality = 92): Buffer {
  return runSync(encodeSteps(img, format, quality));
}

function* resizeSteps(img: RawImage, width: number, height: number): Steps<RawImage> {
  const pixels: RawPixels = { width: img.width, height: img.height, channels: img.channels, data: img.data };
  const out = (yield { op: 'resize', pixels, width, height }) as RawPixels;
  return { width: out.width, height: out.height, channels: img.channels, data: out.data };
}

/**
 * Resamples to width x height (Lanczos 3, antialiased when shrinking; aspect not kept). For
 * training data and pictures; the SR protocol's bicubic is resize.ts.
 */
export function resizeImage(img: RawImage, width: number, height: number): RawImage {
  if (img.width === width && img.height === height) return img;
  // libvips would hand grey back as sRGB: grey (rare here) takes the bicubic.
  if (img.channels <= 2)
    return {
      width,
      height,
      channels: img.channels,
      data: resizeBytes(img.data, img.width, img.height, img.channels, width, height),
    };
  return runSync(resizeSteps(img, width, height));
}

export function encodeImageAsync(img: RawImage, format: ImageFormat, quality = 92): Promise<Buffer> {
  return runAsync(encodeSteps(img, format, quality));
}
