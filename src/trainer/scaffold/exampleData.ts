// The small example data set a new image-family project (pix2pix, CycleGAN, SRGAN) starts
// with, in the layout its descriptor names (FamilyInfo.example), made either from the user's
// own pictures or from painted scenes:
//  - pairs:      data/pairs/NNN.png, each A|B side by side: A = the picture in greyscale,
//                B = the picture (a colourisation task);
//  - twoDomains: data/trainA/ and data/trainB/ (painted: day and dusk scenes; from a folder:
//                half the pictures in colour, the other half in greyscale);
//  - highRes:    data/hr/NNN.png, high-resolution pictures (at most 512 px a side).
// Files are made when written (see scaffold.ts), so listing a plan decodes nothing.
import * as path from 'node:path';
import type { ModelKind } from '../../shared/config';
import { FAMILY_INFOS, kindsWhere } from '../models/infos';
import { encodeImage, readImage, resizeImage } from '../engine/image/codec';
import type { RawImage } from '../engine/image/types';
import { listImages } from '../data/srFolder';
import { paintScene, type Palette } from './scenes';

export interface ExampleFile {
  rel: string;
  /** The file's bytes, or undefined when the source picture cannot be read (it is skipped). */
  make(): Buffer | undefined;
}

export interface ExampleData {
  files: ExampleFile[];
  /** One sentence for the README: where the pictures came from. */
  origin: string;
}

/** Families that train on images from the workspace (the others use MNIST). */
export const IMAGE_FAMILIES: readonly ModelKind[] = kindsWhere((f) => f.example !== undefined);

/** At most this many of the user's pictures go into an example set. */
export const MAX_FROM_FOLDER = 200;

const pad = (i: number) => String(i + 1).padStart(3, '0');

function toRgb(img: RawImage): RawImage {
  if (img.channels === 3) return img;
  const n = img.width * img.height,
    c = img.channels;
  const out = new Uint8Array(n * 3);
  for (let i = 0; i < n; i++) {
    const s = i * c;
    if (c <= 2) out[i * 3] = out[i * 3 + 1] = out[i * 3 + 2] = img.data[s];
    else {
      out[i * 3] = img.data[s];
      out[i * 3 + 1] = img.data[s + 1];
      out[i * 3 + 2] = img.data[s + 2];
    }
  }
  return { width: img.width, height: img.height, channels: 3, data: out };
}

/** The centre square, resized to size x size. */
function squareCrop(img: RawImage, size: number): RawImage {
  const side = Math.min(img.width, img.height);
  const x0 = Math.floor((img.width - side) / 2),
    y0 = Math.floor((img.height - side) / 2);
  const crop = new Uint8Array(side * side * 3);
  for (let y = 0; y < side; y++)
    crop.set(img.data.subarray(((y0 + y) * img.width + x0) * 3, ((y0 + y) * img.width + x0 + side) * 3), y * side * 3);
  return {
    width: size,
    height: size,
    channels: 3,
    data: resizeImage({ width: side, height: side, channels: 3, data: crop }, size, size).data,
  };
}

/** Shrinks so the long side is at most maxSide (never enlarges). */
function fitWithin(img: RawImage, maxSide: number): RawImage {
  const k = maxSide / Math.max(img.width, img.height);
  if (k >= 1) return img;
  const w = Math.max(1, Math.round(img.width * k)),
    h = Math.max(1, Math.round(img.height * k));
  return resizeImage(img, w, h);
}

/** ITU-R BT.601 luma, written to all three channels (a grey picture the RGB reader takes as is). */
function greyscale(img: RawImage): RawImage {
  const out = new Uint8Array(img.data.length);
  for (let i = 0; i < out.length; i += 3) {
    out[i] =
      out[i + 1] =
      out[i + 2] =
        Math.round(0.299 * img.data[i] + 0.587 * img.data[i + 1] + 0.114 * img.data[i + 2]);
  }
  return { ...img, data: out };
}

function sideBySide(a: RawImage, b: RawImage): RawImage {
  const w = a.width + b.width,
    h = a.height;
  const out = new Uint8Array(w * h * 3);
  for (let y = 0; y < h; y++) {
    out.set(a.data.subarray(y * a.width * 3, (y + 1) * a.width * 3), y * w * 3);
    out.set(b.data.subarray(y * b.width * 3, (y + 1) * b.width * 3), (y * w + a.width) * 3);
  }
  return { width: w, height: h, channels: 3, data: out };
}

const png = (img: RawImage) => encodeImage(img, 'png');

/** Reads one of the user's pictures as RGB, or undefined when it cannot be decoded. */
function readRgb(file: string): RawImage | undefined {
  try {
    return toRgb(readImage(file));
  } catch {
    return undefined;
  }
}

/**
 * The example files for `family`. `fromFolder`: the user's pictures (any readable format, searched
 * recursively); absent: painted scenes. `size`: the side pictures are made at.
 */
export function exampleData(family: ModelKind, opts: { fromFolder?: string; size?: number } = {}): ExampleData {
  const example = FAMILY_INFOS[family].example;
  if (!example) return { files: [], origin: '' };
  const size = opts.size ?? 128;
  const sources = opts.fromFolder ? listImages(opts.fromFolder).slice(0, MAX_FROM_FOLDER) : undefined;
  const count = sources?.length ?? example.painted;
  // Picture i: from the folder, or painted (odd seeds, so A and B of CycleGAN never share one).
  const picture = (i: number, palette: Palette, square: boolean, side: number): RawImage | undefined => {
    if (!sources) return paintScene(1000 + 2 * i + (palette === 'dusk' ? 1 : 0), side, side, palette);
    const img = readRgb(sources[i]);
    return img && (square ? squareCrop(img, side) : fitWithin(img, 512));
  };
  const origin = sources
    ? `made from ${count} picture${count === 1 ? '' : 's'} of ${opts.fromFolder}`
    : `painted landscapes (generated by GAN Studio, no licence restrictions)`;
  const files: ExampleFile[] = [];
  for (let i = 0; i < count; i++) {
    if (example.layout === 'pairs') {
      files.push({
        rel: path.join('data', 'pairs', `${pad(i)}.png`),
        make: () => {
          const b = picture(i, 'day', true, size);
          return b && png(sideBySide(greyscale(b), b));
        },
      });
    } else if (example.layout === 'twoDomains') {
      // Painted: every index gives one day (A) and one dusk (B) scene. From a folder: even
      // pictures go to A in colour, odd ones to B in greyscale (no picture is in both).
      if (!sources) {
        files.push({
          rel: path.join('data', 'trainA', `${pad(i)}.png`),
          make: () => png(picture(i, 'day', true, size) as RawImage),
        });
        files.push({
          rel: path.join('data', 'trainB', `${pad(i)}.png`),
          make: () => png(picture(i, 'dusk', true, size) as RawImage),
        });
      } else {
        const toA = i % 2 === 0;
        files.push({
          rel: path.join('data', toA ? 'trainA' : 'trainB', `${pad(i)}.png`),
          make: () => {
            const img = picture(i, 'day', true, size);
            return img && png(toA ? img : greyscale(img));
          },
        });
      }
    } else {
      files.push({
        rel: path.join('data', 'hr', `${pad(i)}.png`),
        make: () => {
          const img = picture(i, 'day', !sources, 256);
          return img && png(img);
        },
      });
    }
  }
  return { files, origin };
}
