// The few things the codec asks of sharp (libvips), as plain-data requests, so that the same
// function serves the async path (called here) and the sync path (called in a worker thread,
// see syncSharp.ts). `runSharpOp` must stay self-contained: the worker gets its source text.
import { createRequire } from 'node:module';
import type sharpModule from 'sharp';

export type Sharp = typeof sharpModule;

export interface HeaderInfo {
  format?: string;
  width: number;
  height: number;
  /** Size once turned upright by its EXIF orientation (5-8 swap width and height). */
  uprightWidth: number;
  uprightHeight: number;
  space?: string;
  channels?: number;
  hasAlpha: boolean;
  palette: boolean;
}

export interface RawPixels {
  data: Uint8Array;
  width: number;
  height: number;
  channels: number;
}

export type SharpOp =
  | { op: 'header'; input: Uint8Array }
  /** Upright (EXIF), sRGB (ICC), 8-bit, first frame; refused above `maxPixels`. */
  | { op: 'decode'; input: Uint8Array; maxPixels: number }
  /** Resampled to width x height (aspect not kept), Lanczos 3. */
  | { op: 'resize'; pixels: RawPixels; width: number; height: number }
  | {
      op: 'encode';
      pixels: RawPixels;
      format: 'png' | 'jpeg' | 'webp';
      quality: number;
    };

export type SharpResult = HeaderInfo | RawPixels | Uint8Array;

/** Runs one request. Self-contained (no imports, no helpers): syncSharp.ts ships its source to a worker. */
export async function runSharpOp(sharp: Sharp, req: SharpOp): Promise<SharpResult> {
  if (req.op === 'header') {
    const m = await sharp(req.input, { limitInputPixels: false }).metadata();
    const swap = (m.orientation ?? 1) >= 5;
    return {
      format: m.format,
      width: m.width ?? 0,
      height: m.height ?? 0,
      uprightWidth: (swap ? m.height : m.width) ?? 0,
      uprightHeight: (swap ? m.width : m.height) ?? 0,
      space: m.space,
      channels: m.channels,
      hasAlpha: m.hasAlpha === true,
      palette: m.isPalette === true,
    };
  }
  if (req.op === 'decode') {
    const { data, info } = await sharp(req.input, { limitInputPixels: req.maxPixels, failOn: 'warning' })
      .rotate()
      .toColourspace('srgb')
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true });
    return { data: new Uint8Array(data.buffer, data.byteOffset, data.length), ...dims(info) };
  }
  const p = req.pixels;
  const c = p.channels as 1 | 2 | 3 | 4;
  let img = sharp(p.data, { raw: { width: p.width, height: p.height, channels: c } });
  if (req.op === 'resize') {
    const { data, info } = await img
      .resize(req.width, req.height, { fit: 'fill', kernel: 'lanczos3' })
      .raw()
      .toBuffer({ resolveWithObject: true });
    return { data: new Uint8Array(data.buffer, data.byteOffset, data.length), ...dims(info) };
  }
  // JPEG has no alpha; grey stays grey (one channel in the file), colour stays colour.
  if (req.format === 'jpeg' && (c === 2 || c === 4)) img = img.removeAlpha();
  if (c <= 2) img = img.toColourspace('b-w');
  const out =
    req.format === 'png'
      ? img.png({ compressionLevel: 6 })
      : req.format === 'jpeg'
        ? img.jpeg({
            quality: req.quality,
            chromaSubsampling: '4:4:4',
            // Optimised Huffman tables take a second pass over the whole image's coefficients
            // held in memory (2.9 GB peak for a 192-megapixel x4 result): small images only.
            optimiseCoding: p.width * p.height <= 16e6,
          })
        : img.webp({ quality: req.quality });
  const buf = await out.toBuffer();
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.length);

  function dims(i: { width: number; height: number; channels: number }) {
    return { width: i.width, height: i.height, channels: i.channels };
  }
}

let loaded: Sharp | undefined;

/**
 * sharp, loaded at run time from node_modules next to the bundle: it is never bundled (its
 * native libvips lives in the per-platform @img/sharp-* packages). A require that esbuild
 * cannot follow keeps it out of every bundle, the tests' included.
 */
export function sharpPath(): string {
  return nodeRequire().resolve('sharp');
}

export function loadSharp(): Sharp {
  if (!loaded) {
    loaded = nodeRequire()('sharp') as Sharp;
    // Nothing is read twice: libvips' operation cache would only hold memory.
    loaded.cache(false);
  }
  return loaded;
}

function nodeRequire(): NodeJS.Require {
  return createRequire(typeof __filename === 'string' ? __filename : `${process.cwd()}/`);
}
