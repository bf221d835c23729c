// Which files the inference commands accept, and what an image's header says (format and
// size) without decoding it: the host checks a file before queueing it and estimates the time
// from the pixel count. No Node imports: the compare webview uses the same names.

/** Extensions "Compare with…" is offered for (the webview decodes them natively). */
export const IMAGE_EXTENSIONS = ['.png', '.jpg', '.jpeg', '.webp'] as const;

/**
 * Extensions "Upscale with SRGAN" and "Translate Image" are offered for: what the engine
 * decodes (through sharp: src/trainer/engine/image/codec.ts READABLE_EXTENSIONS).
 */
export const INFER_EXTENSIONS = ['.png', '.jpg', '.jpeg', '.webp', '.avif', '.tif', '.tiff', '.gif'] as const;

/**
 * The menus' `when` regexes for those extensions (package.json uses exactly this text; a unit
 * test checks that). `resourceExtname` is the extension with its dot.
 */
export const IMAGE_EXT_WHEN_REGEX = '/^\\.(png|jpe?g|webp)$/i';
export const INFER_EXT_WHEN_REGEX = '/^\\.(png|jpe?g|webp|avif|tiff?|gif)$/i';

export type ImageKind = 'png' | 'jpeg' | 'webp' | 'avif' | 'tiff' | 'gif';

export function extnameOf(p: string): string {
  const base = p.slice(Math.max(p.lastIndexOf('/'), p.lastIndexOf('\\')) + 1);
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(dot).toLowerCase() : '';
}

export function isImagePath(p: string): boolean {
  return (IMAGE_EXTENSIONS as readonly string[]).includes(extnameOf(p));
}

export function isInferablePath(p: string): boolean {
  return (INFER_EXTENSIONS as readonly string[]).includes(extnameOf(p));
}

export interface ImageHeader {
  format: ImageKind;
  /** Undefined when the header does not say within the bytes read (e.g. JPEG with a huge EXIF block). */
  width?: number;
  height?: number;
}

/** Bytes to read from the start of a file for `readImageHeader` (JPEG's size may follow EXIF). */
export const HEADER_BYTES = 256 * 1024;

const ascii = (b: Uint8Array, at: number, n: number) => String.fromCharCode(...b.subarray(at, at + n));
const be16 = (b: Uint8Array, at: number) => (b[at] << 8) | b[at + 1];
const be32 = (b: Uint8Array, at: number) => ((b[at] << 24) >>> 0) + (b[at + 1] << 16) + (b[at + 2] << 8) + b[at + 3];
const le16 = (b: Uint8Array, at: number) => b[at] | (b[at + 1] << 8);
const le24 = (b: Uint8Array, at: number) => b[at] | (b[at + 1] << 8) | (b[at + 2] << 16);

/**
 * Format and size from the first bytes of a file; a string is the reason it is not an image we
 * take ("not a PNG, JPEG, WebP, AVIF, TIFF or GIF image", "BMP images are not supported", ...).
 * The size is left out where the bytes read do not hold it (the engine checks it again).
 */
export function readImageHeader(b: Uint8Array): ImageHeader | string {
  if (b.length === 0) return 'empty file';
  if (b.length >= 8 && b[0] === 0x89 && ascii(b, 1, 3) === 'PNG') {
    if (b.length < 24 || ascii(b, 12, 4) !== 'IHDR') return 'corrupt PNG (no IHDR header)';
    const width = be32(b, 16),
      height = be32(b, 20);
    return width && height ? { format: 'png', width, height } : 'corrupt PNG (zero size)';
  }
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return jpegHeader(b);
  if (b.length >= 12 && ascii(b, 0, 4) === 'RIFF' && ascii(b, 8, 4) === 'WEBP') return webpHeader(b);
  if (b.length >= 12 && ascii(b, 4, 4) === 'ftyp' && ['avif', 'avis'].includes(ascii(b, 8, 4))) return avifHeader(b);
  if (b.length >= 10 && ascii(b, 0, 4) === 'GIF8') return sized('gif', le16(b, 6), le16(b, 8));
  if (b.length >= 8 && (ascii(b, 0, 4) === 'II*\0' || ascii(b, 0, 4) === 'MM\0*')) return tiffHeader(b);
  if (b.length >= 2 && b[0] === 0x42 && b[1] === 0x4d) return `BMP images are not supported (${READ})`;
  return `not a ${READ} image`;
}

const READ = 'PNG, JPEG, WebP, AVIF, TIFF or GIF';

function sized(format: ImageKind, width: number, height: number): ImageHeader | string {
  return width && height ? { format, width, height } : `corrupt ${format.toUpperCase()} (zero size)`;
}

/** AVIF: the largest 'ispe' (image spatial extent) box is the primary image's (others: thumbnails, alpha). */
function avifHeader(b: Uint8Array): ImageHeader {
  let width = 0,
    height = 0;
  for (let i = 4; i + 16 <= b.length; i++) {
    if (b[i] !== 0x69 || ascii(b, i, 4) !== 'ispe') continue;
    const w = be32(b, i + 8),
      h = be32(b, i + 12);
    if (w * h > width * height) [width, height] = [w, h];
  }
  return width && height ? { format: 'avif', width, height } : { format: 'avif' };
}

/** TIFF: ImageWidth (256) and ImageLength (257) of the first IFD, when it lies in the bytes read. */
function tiffHeader(b: Uint8Array): ImageHeader {
  const le = b[0] === 0x49;
  const u16 = (at: number) => (le ? le16(b, at) : be16(b, at));
  const u32 = (at: number) => (le ? (le16(b, at) | (le16(b, at + 2) << 16)) >>> 0 : be32(b, at));
  const ifd = u32(4);
  if (ifd + 2 > b.length) return { format: 'tiff' };
  let width = 0,
    height = 0;
  for (let k = 0, n = u16(ifd); k < n && ifd + 2 + 12 * (k + 1) <= b.length; k++) {
    const e = ifd + 2 + 12 * k,
      tag = u16(e),
      value = u16(e + 2) === 3 ? u16(e + 8) : u32(e + 8);
    if (tag === 256) width = value;
    if (tag === 257) height = value;
  }
  return width && height ? { format: 'tiff', width, height } : { format: 'tiff' };
}

function jpegHeader(b: Uint8Array): ImageHeader | string {
  // Walk the marker segments to the first SOFn (frame header: precision, height, width).
  let i = 2;
  while (i + 4 <= b.length) {
    if (b[i] !== 0xff) return 'corrupt JPEG (bad marker)';
    const m = b[i + 1];
    if (m === 0xff) {
      i++;
      continue;
    } // fill byte
    if (m === 0xd8 || (m >= 0xd0 && m <= 0xd7) || m === 0x01) {
      i += 2;
      continue;
    }
    if (m === 0xd9 || m === 0xda) return 'corrupt JPEG (no frame header)';
    const len = be16(b, i + 2);
    if (len < 2) return 'corrupt JPEG (bad segment length)';
    const isSof = m >= 0xc0 && m <= 0xcf && m !== 0xc4 && m !== 0xc8 && m !== 0xcc;
    if (isSof) {
      if (i + 9 > b.length) break;
      const height = be16(b, i + 5),
        width = be16(b, i + 7);
      return width && height ? { format: 'jpeg', width, height } : 'corrupt JPEG (zero size)';
    }
    i += 2 + len;
  }
  return { format: 'jpeg' };
}

function webpHeader(b: Uint8Array): ImageHeader | string {
  const chunk = b.length >= 16 ? ascii(b, 12, 4) : '';
  if (chunk === 'VP8 ' && b.length >= 30) {
    if (b[23] !== 0x9d || b[24] !== 0x01 || b[25] !== 0x2a) return 'corrupt WebP (bad VP8 frame)';
    return { format: 'webp', width: le16(b, 26) & 0x3fff, height: le16(b, 28) & 0x3fff };
  }
  if (chunk === 'VP8L' && b.length >= 25) {
    if (b[20] !== 0x2f) return 'corrupt WebP (bad VP8L signature)';
    const bits = b[21] | (b[22] << 8) | (b[23] << 16) | (b[24] << 24);
    return { format: 'webp', width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1 };
  }
  if (chunk === 'VP8X' && b.length >= 30) return { format: 'webp', width: le24(b, 24) + 1, height: le24(b, 27) + 1 };
  return 'corrupt WebP (unknown chunk)';
}

export function formatBytes(n: number): string {
  if (!Number.isFinite(n) || n < 0) return '–';
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  if (n < 1024 ** 3) return `${(n / 1024 / 1024).toFixed(1)} MB`;
  return `${(n / 1024 ** 3).toFixed(2)} GB`;
}

export function formatMegapixels(w: number, h: number): string {
  const mp = (w * h) / 1e6;
  return mp >= 10 ? `${mp.toFixed(0)} MP` : mp >= 0.1 ? `${mp.toFixed(1)} MP` : `${mp.toFixed(2)} MP`;
}
