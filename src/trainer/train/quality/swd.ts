// Sliced Wasserstein distance between two sets of images (Karras et al. 2018, "Progressive
// Growing of GANs", section 5 and appendix D): 7x7 neighbourhoods ("descriptors") are sampled
// from every level of each image's Laplacian pyramid, normalised per colour channel, projected
// onto random unit directions, and the 1-D Wasserstein distance of the sorted projections is
// averaged over the directions. Lower is better; 0 means the same distribution of patches.
// Reported per level (x1000, as in the paper) and averaged.
//
// Differences from the paper, on purpose: both sets are normalised with the *real* set's mean
// and std (the paper normalises each set by its own, which hides a generator whose brightness
// or contrast is off), and the directions and descriptor positions are drawn once from a seed,
// so a run's scores differ only because its model changed. Each set gives as many descriptors
// per level (a bound on the cost) as the other, so their sorted projections pair up rank by rank. Plain floats, no tensors: the same
// number on every backend, and nothing to leak.
import type { ImageBatch } from '../../engine/imageGrid';
import { Rng } from '../../engine/rng';
import { laplacianPyramid } from './pyramid';

export const NEIGHBOURHOOD = 7;

export interface SwdOptions {
  /** Descriptors sampled per level from each set: the cost bound (default 1024). */
  descriptors?: number;
  /** Directions per repetition (default 128) and repetitions (default 1: more directions barely move the score, more descriptors do). */
  directions?: number;
  repeats?: number;
  seed?: number;
}

const DEFAULTS = { descriptors: 1024, directions: 128, repeats: 1, seed: 1 };

/**
 * Random streams of the directions and of the descriptor positions. Both sets draw their
 * positions from the same stream: identical sets score exactly 0, and the two sets' patches
 * come from the same places (less noise in the score).
 */
export const DIRECTION_STREAM = 40,
  POSITION_STREAM = 41;

/** `count` 7x7xc neighbourhoods at random (image, y, x), as count rows of 49c floats. */
export function sampleDescriptors(level: ImageBatch, count: number, rng: Rng): Float32Array {
  const { n, h, w, c } = level,
    k = NEIGHBOURHOOD,
    dim = k * k * c;
  const ny = Math.max(1, h - k + 1),
    nx = Math.max(1, w - k + 1);
  const out = new Float32Array(count * dim);
  for (let d = 0; d < count; d++) {
    const i = rng.int(n),
      y0 = rng.int(ny),
      x0 = rng.int(nx);
    let o = d * dim;
    for (let y = y0; y < y0 + k; y++) {
      for (let x = x0; x < x0 + k; x++) {
        // A level smaller than the neighbourhood repeats its edge pixels.
        const base = ((i * h + Math.min(y, h - 1)) * w + Math.min(x, w - 1)) * c;
        for (let ch = 0; ch < c; ch++) out[o++] = level.data[base + ch];
      }
    }
  }
  return out;
}

export interface ChannelStats {
  mean: Float64Array;
  std: Float64Array;
}

/** Mean and std of each colour channel over every value of every descriptor. */
export function channelStats(desc: Float32Array, c: number): ChannelStats {
  const mean = new Float64Array(c),
    sq = new Float64Array(c);
  for (let j = 0; j < desc.length; j++) {
    mean[j % c] += desc[j];
    sq[j % c] += desc[j] * desc[j];
  }
  const per = desc.length / c,
    std = new Float64Array(c);
  for (let ch = 0; ch < c; ch++) {
    mean[ch] /= per;
    // A flat channel (std 0) is divided by 1 rather than by zero.
    std[ch] = Math.sqrt(Math.max(0, sq[ch] / per - mean[ch] * mean[ch])) || 1;
  }
  return { mean, std };
}

export function normalise(desc: Float32Array, c: number, s: ChannelStats): void {
  for (let j = 0; j < desc.length; j++) desc[j] = (desc[j] - s.mean[j % c]) / s.std[j % c];
}

/** `count` random unit vectors of length dim, one after the other. */
export function unitDirections(dim: number, count: number, rng: Rng): Float32Array {
  const dirs = rng.normals(dim * count);
  for (let j = 0; j < count; j++) {
    let norm = 0;
    for (let k = j * dim; k < (j + 1) * dim; k++) norm += dirs[k] * dirs[k];
    norm = Math.sqrt(norm) || 1;
    for (let k = j * dim; k < (j + 1) * dim; k++) dirs[k] /= norm;
  }
  return dirs;
}

/** The descriptors projected onto each direction, each list sorted ascending. */
export function sortedProjections(desc: Float32Array, dim: number, dirs: Float32Array): Float32Array[] {
  const count = desc.length / dim,
    nDirs = dirs.length / dim;
  const proj = Array.from({ length: nDirs }, () => new Float32Array(count));
  for (let j = 0; j < nDirs; j++) {
    const p = proj[j],
      dOff = j * dim;
    for (let d = 0, off = 0; d < count; d++, off += dim) {
      let v = 0;
      for (let k = 0; k < dim; k++) v += desc[off + k] * dirs[dOff + k];
      p[d] = v;
    }
  }
  for (const p of proj) p.sort();
  return proj;
}

/** 1-D Wasserstein-1 distance of two equally long sorted samples: the mean gap between ranks. */
export function sortedDistance(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += Math.abs(a[i] - b[i]);
  return sum / a.length;
}

interface RefLevel {
  side: number;
  c: number;
  stats: ChannelStats;
  dirs: Float32Array;
  real: Float32Array[];
}

/**
 * The real set, prepared once: per pyramid level its channel statistics, its directions and its
 * sorted projections. score() then costs one pyramid, `descriptors` x 49c x directions
 * multiply-adds and `directions` sorts of `descriptors` numbers per level.
 */
export class SwdReference {
  private constructor(
    private readonly levels: RefLevel[],
    private readonly opts: Required<SwdOptions>,
    readonly size: { h: number; w: number; c: number },
  ) {}

  static fromImages(real: ImageBatch, options: SwdOptions = {}): SwdReference {
    const opts = { ...DEFAULTS, ...options };
    const dirRng = new Rng(opts.seed, DIRECTION_STREAM),
      realRng = new Rng(opts.seed, POSITION_STREAM);
    const levels = laplacianPyramid(real).map((level): RefLevel => {
      const dim = NEIGHBOURHOOD * NEIGHBOURHOOD * level.c;
      const desc = sampleDescriptors(level, opts.descriptors, realRng);
      const stats = channelStats(desc, level.c);
      normalise(desc, level.c, stats);
      const dirs = unitDirections(dim, opts.directions * opts.repeats, dirRng);
      return { side: Math.min(level.h, level.w), c: level.c, stats, dirs, real: sortedProjections(desc, dim, dirs) };
    });
    return new SwdReference(levels, opts, { h: real.h, w: real.w, c: real.c });
  }

  /** { swd: mean over levels, swd<side>: each level }, all x1000. `fake` must have the real set's size. */
  score(fake: ImageBatch): Record<string, number> {
    const { h, w, c } = this.size;
    if (fake.h !== h || fake.w !== w || fake.c !== c)
      throw new Error(`SWD: images are ${fake.h}x${fake.w}x${fake.c}, the real set ${h}x${w}x${c}`);
    // The same positions every call: between two calls only the images differ.
    const rng = new Rng(this.opts.seed, POSITION_STREAM);
    const out: Record<string, number> = {};
    let total = 0;
    laplacianPyramid(fake).forEach((level, l) => {
      const ref = this.levels[l],
        dim = NEIGHBOURHOOD * NEIGHBOURHOOD * ref.c;
      const desc = sampleDescriptors(level, this.opts.descriptors, rng);
      normalise(desc, ref.c, ref.stats);
      const proj = sortedProjections(desc, dim, ref.dirs);
      let sum = 0;
      proj.forEach((p, j) => {
        sum += sortedDistance(p, ref.real[j]);
      });
      const v = (sum / proj.length) * 1000;
      out[`swd${ref.side}`] = v;
      total += v;
    });
    return { swd: total / this.levels.length, ...out };
  }
}

/** SWD between two image sets (x1000, per level and averaged): `real` is the reference. */
export function slicedWasserstein(
  real: ImageBatch,
  fake: ImageBatch,
  options: SwdOptions = {},
): Record<string, number> {
  return SwdReference.fromImages(real, options).score(fake);
}
