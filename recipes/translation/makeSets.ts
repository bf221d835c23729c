// Builds the small colourisation data sets the pix2pix and CycleGAN acceptance runs train on,
// from real photographs (see prepare-data.sh for where they come from and their licences):
//   <out>/paired/train, <out>/paired/val          A|B images: grayscale | colour, size x 2size
//   <out>/unpaired/trainA, trainB, testA, testB   grayscale crops and colour crops of other places
// Crops are taken at three scales of each photo (the short side at 4, 6 and 9 times the crop
// size) so a crop shows a recognisable part of a scene; nearly flat crops are skipped.
// Held-out crops come from pixels never trained on: training crops lie in the left three
// quarters of every photo, held-out crops in the right quarter. (Holding out whole photos was
// tried first: with 23 photos the few held out differ too much in colourfulness from the rest
// - grey-input L1 0.34 against 0.23 - for the score to say much about learning.)
//   node out/recipes/makeSets.js --photos DIR [--photos DIR ...] --out DIR [--size 64] [--train 1200] [--val 100]
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { encodeImage, readImage } from '../../src/trainer/engine/image/codec';
import { resizeBytes } from '../../src/trainer/engine/image/resize';
import { Rng } from '../../src/trainer/engine/rng';
import { listImages, toRgb } from '../../src/trainer/data/srFolder';
import { makeInput } from '../../src/trainer/data/synthPairs';

const { values: o } = parseArgs({
  options: {
    photos: { type: 'string', multiple: true },
    out: { type: 'string' },
    size: { type: 'string', default: '64' },
    train: { type: 'string', default: '1200' },
    val: { type: 'string', default: '100' },
  },
});
if (!o.photos?.length || !o.out) throw new Error('need --photos (one or more) and --out');
const S = Number(o.size);

interface Scaled {
  w: number;
  h: number;
  rgb: Uint8Array;
}

function scales(file: string): Scaled[] {
  const img = readImage(file);
  const rgb = toRgb(img);
  return [4, 6, 9].map((k) => {
    const f = (k * S) / Math.min(img.width, img.height);
    const w = Math.round(img.width * f),
      h = Math.round(img.height * f);
    return { w, h, rgb: resizeBytes(rgb, img.width, img.height, 3, w, h) };
  });
}

function crop(src: Scaled, x0: number, y0: number): Uint8Array {
  const out = new Uint8Array(S * S * 3);
  for (let y = 0; y < S; y++)
    out.set(src.rgb.subarray(((y0 + y) * src.w + x0) * 3, ((y0 + y) * src.w + x0 + S) * 3), y * S * 3);
  return out;
}

/** Standard deviation of the luma: skips sky-only and wall-only crops. */
function spread(c: Uint8Array): number {
  let s = 0,
    s2 = 0;
  for (let i = 0; i < c.length; i += 3) {
    const v = 0.299 * c[i] + 0.587 * c[i + 1] + 0.114 * c[i + 2];
    s += v;
    s2 += v * v;
  }
  const n = c.length / 3;
  return Math.sqrt(Math.max(0, s2 / n - (s / n) ** 2));
}

/** Crops whose x range lies in [x0, x1) of the photo (fractions of its width). */
function crops(photos: Scaled[][], x0: number, x1: number, count: number, rng: Rng): Uint8Array[] {
  const out: Uint8Array[] = [];
  while (out.length < count) {
    const sc = photos[rng.int(photos.length)][rng.int(3)];
    const lo = Math.ceil(x0 * sc.w),
      hi = Math.floor(x1 * sc.w) - S;
    const c = crop(sc, lo + rng.int(hi - lo + 1), rng.int(sc.h - S + 1));
    if (spread(c) >= 12) out.push(c);
  }
  return out;
}

function write(file: string, w: number, data: Uint8Array): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, encodeImage({ width: w, height: S, channels: 3, data }, 'png'));
}

function sideBySide(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(2 * S * S * 3);
  for (let y = 0; y < S; y++) {
    out.set(a.subarray(y * S * 3, (y + 1) * S * 3), y * 2 * S * 3);
    out.set(b.subarray(y * S * 3, (y + 1) * S * 3), (y * 2 + 1) * S * 3);
  }
  return out;
}

const grey = (c: Uint8Array) => makeInput('grayscale', c, S, S);
const name = (i: number) => `${String(i + 1).padStart(5, '0')}.png`;
const rng = new Rng(2024, 11);
const out = path.resolve(o.out);
const files = o.photos.flatMap((d) => listImages(d));
const photos = files.map(scales);
for (const [split, x0, x1, n] of [
  ['train', 0, 0.75, Number(o.train)],
  ['val', 0.75, 1, Number(o.val)],
] as const) {
  // Twice the crops: the first half makes the pairs and the A side, the second the B side of the unpaired set.
  const cs = crops(photos, x0, x1, 2 * n, rng);
  cs.slice(0, n).forEach((c, i) => write(path.join(out, 'paired', split, name(i)), 2 * S, sideBySide(grey(c), c)));
  const u = split === 'train' ? 'train' : 'test';
  cs.slice(0, n).forEach((c, i) => write(path.join(out, 'unpaired', `${u}A`, name(i)), S, grey(c)));
  cs.slice(n).forEach((c, i) => write(path.join(out, 'unpaired', `${u}B`, name(i)), S, c));
  process.stderr.write(
    `${split}: ${n} pairs, ${n} + ${n} unpaired crops of ${S}x${S} from x in [${x0}, ${x1}) of ${files.length} photos\n`,
  );
}
