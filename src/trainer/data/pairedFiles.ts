// Which files make the A and B images of an image-to-image data set, before any is decoded.
// Layouts (DESIGN.md "The experiment config"):
//   paired, side-by-side   each file is A|B (A the left half), the pix2pix data sets' layout
//   paired, folders        <path>/A and <path>/B, matched by file name without extension
//   paired, make           one folder of photos: B is the photo, A is made from it on the fly
//   unpaired               two folders (trainA/, trainB/), no correspondence
// Listing only: names that have no partner are reported here, unreadable files later (decoding
// is lazy), so a training run starts at once even on thousands of files.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { DatasetConfig, Direction, PairMaker } from '../../shared/config';
import { DataError } from './mnist';
import { listImages } from './srFolder';

/** One image of a set: a file, or the left/right half of an A|B file, or a made one. */
export interface ImageRef {
  file: string;
  half?: 'left' | 'right';
  make?: PairMaker;
}

export interface Unmatched {
  file: string;
  reason: string;
}

export type Layout = 'side-by-side' | 'folders' | 'make' | 'unpaired';

export interface ImageSets {
  layout: Layout;
  /** a[i] belongs with b[i] (paired layouts); false: b is drawn independently (unpaired). */
  aligned: boolean;
  a: ImageRef[];
  b: ImageRef[];
  /** Files left out because they have no partner (folders layout). */
  unmatched: Unmatched[];
  /** Where the sets came from, for messages: "A|B images in <dir>". */
  describe: string;
}

export const refName = (r: ImageRef): string =>
  `${r.file}${r.half ? ` (${r.half} half)` : ''}${r.make ? ` (${r.make})` : ''}`;

/** Name key for matching A/ and B/: the path below the folder without its extension. */
function key(root: string, file: string): string {
  const rel = path.relative(root, file);
  return rel.slice(0, rel.length - path.extname(rel).length);
}

function swap(sets: ImageSets, direction: Direction): ImageSets {
  return direction === 'AtoB' ? sets : { ...sets, a: sets.b, b: sets.a };
}

function foldersLayout(dir: string): ImageSets {
  const dirA = path.join(dir, 'A'),
    dirB = path.join(dir, 'B');
  const listA = listImages(dirA),
    listB = listImages(dirB);
  const byKey = new Map<string, string>();
  const unmatched: Unmatched[] = [];
  for (const f of listB) {
    const k = key(dirB, f);
    if (byKey.has(k))
      unmatched.push({
        file: f,
        reason: `another file in B/ has the same name (${path.basename(byKey.get(k) as string)})`,
      });
    else byKey.set(k, f);
  }
  const a: ImageRef[] = [],
    b: ImageRef[] = [];
  const used = new Set<string>();
  for (const f of listA) {
    const k = key(dirA, f);
    const partner = byKey.get(k);
    if (!partner) unmatched.push({ file: f, reason: 'no image of the same name in B/' });
    else if (used.has(k)) unmatched.push({ file: f, reason: 'another file in A/ has the same name' });
    else {
      used.add(k);
      a.push({ file: f });
      b.push({ file: partner });
    }
  }
  for (const [k, f] of byKey) if (!used.has(k)) unmatched.push({ file: f, reason: 'no image of the same name in A/' });
  return { layout: 'folders', aligned: true, a, b, unmatched, describe: `A/ and B/ folders in ${dir}` };
}

/** The image sets of a paired or unpaired dataset config (paths already absolute). */
export function listImageSets(ds: DatasetConfig, which: 'train' | 'val' = 'train'): ImageSets | undefined {
  if (ds.kind === 'paired') {
    const dir = which === 'train' ? ds.path : ds.valPath;
    if (!dir) return undefined;
    if (ds.make) {
      const photos = listImages(dir);
      const sets: ImageSets = {
        layout: 'make',
        aligned: true,
        unmatched: [],
        describe: `photos in ${dir} (A made: ${ds.make})`,
        a: photos.map((file) => ({ file, make: ds.make })),
        b: photos.map((file) => ({ file })),
      };
      return swap(sets, ds.direction);
    }
    const folders =
      ds.layout === 'folders' || (ds.layout === 'auto' && isDir(path.join(dir, 'A')) && isDir(path.join(dir, 'B')));
    if (folders) return swap(foldersLayout(dir), ds.direction);
    const files = listImages(dir);
    return swap(
      {
        layout: 'side-by-side',
        aligned: true,
        unmatched: [],
        describe: `A|B images in ${dir}`,
        a: files.map((file) => ({ file, half: 'left' })),
        b: files.map((file) => ({ file, half: 'right' })),
      },
      ds.direction,
    );
  }
  if (ds.kind === 'unpaired') {
    const dirA = which === 'train' ? ds.pathA : ds.valPathA;
    const dirB = which === 'train' ? ds.pathB : ds.valPathB;
    if (!dirA || !dirB) {
      if (which === 'val' && (dirA || dirB))
        throw new DataError(
          `held-out data needs both "dataset.valPathA" and "dataset.valPathB" (only ${dirA ? 'valPathA' : 'valPathB'} is set)`,
        );
      return undefined;
    }
    return {
      layout: 'unpaired',
      aligned: false,
      unmatched: [],
      describe: `${dirA} (A) and ${dirB} (B)`,
      a: listImages(dirA).map((file) => ({ file })),
      b: listImages(dirB).map((file) => ({ file })),
    };
  }
  throw new DataError(`dataset kind "${ds.kind}" has no A and B images (use "paired" or "unpaired")`);
}

function isDir(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}
