// Host <-> "Explore Latent Space" page messages (page `explore`): a grid of a gan/dcgan/cgan
// checkpoint's samples by seed, the spherical path between two of them, truncation, saving.
// The page names seeds, classes and the index of a shown image, never a path: what it can make
// the host write is bounded by the host's own names. Browser-safe: no Node imports here.
import { isInt, isNum, isObj, isStr, oneOf, optional } from './guards';
import { LATENT_LIMITS, MAX_SEED } from './latentLimits';

/** What is drawn: the seed grid (a row per class for cGAN) or the interpolation row. */
export const EXPLORE_VIEWS = ['grid', 'path'] as const;
export type ExploreView = (typeof EXPLORE_VIEWS)[number];

export interface ExploreInfo {
  /** "mnist-cgan · latest (step 400)". */
  title: string;
  /** The family's label ("cGAN"). */
  family: string;
  step: number;
  /** Class names in label order (numbers when the checkpoint has none); empty: unconditional. */
  classes: string[];
}

export interface ExploreGrid {
  type: 'grid';
  seeds: number[];
  /** The classes drawn, one row each ([] for unconditional: one row). */
  labels: number[];
  truncation: number;
  width: number;
  height: number;
  /** PNGs, base64, row by row. */
  images: string[];
}

export interface ExplorePath {
  type: 'path';
  from: number;
  to: number;
  steps: number;
  label?: number;
  truncation: number;
  width: number;
  height: number;
  images: string[];
}

export type ExploreHostMessage =
  | { type: 'init'; info: ExploreInfo }
  | { type: 'busy'; view: ExploreView }
  | ExploreGrid
  | ExplorePath
  | { type: 'error'; view: ExploreView; message: string }
  | { type: 'saved'; name: string };

export type ExploreWebviewMessage =
  | { type: 'ready' }
  | { type: 'grid'; seeds: number[]; truncation: number }
  | { type: 'interpolate'; from: number; to: number; steps: number; label?: number; truncation: number }
  | { type: 'saveImage'; view: ExploreView; index: number }
  | { type: 'saveGrid'; view: ExploreView };

/** What the page keeps across hide and reload. */
export interface ExploreState {
  seeds: string;
  truncation: number;
  steps: number;
}

export const DEFAULT_STEPS = 8;
const isView = oneOf(EXPLORE_VIEWS);
const isSeed = (v: unknown): v is number => isInt(v, 0) && v <= MAX_SEED;
const isTruncation = (v: unknown): v is number => isNum(v) && v >= 0 && v <= 1;

/** Seeds per grid: at most LATENT_LIMITS.seeds, fewer when every seed is drawn for many classes. */
export function maxSeeds(classCount: number): number {
  return Math.max(1, Math.min(LATENT_LIMITS.seeds, Math.floor(LATENT_LIMITS.images / Math.max(1, classCount))));
}

/** "0-15", "3, 7, 100-103": the seeds in order, duplicates dropped; or why not. */
export function parseSeedRange(text: string, max: number): number[] | string {
  const out: number[] = [];
  for (const part of text.split(/[\s,]+/).filter(Boolean)) {
    const m = /^(\d{1,10})(?:-(\d{1,10}))?$/.exec(part);
    if (!m) return `"${part.slice(0, 20)}" is not a seed or a range like 0-15`;
    const a = Number(m[1]),
      b = m[2] === undefined ? a : Number(m[2]);
    if (a > MAX_SEED || b > MAX_SEED) return `seeds go from 0 to ${MAX_SEED}`;
    if (b < a) return `"${part}": the range goes down`;
    if (b - a + 1 > max) return `at most ${max} seeds at once`;
    for (let s = a; s <= b; s++) if (!out.includes(s)) out.push(s);
    if (out.length > max) return `at most ${max} seeds at once`;
  }
  return out.length ? out : 'type a seed or a range like 0-15';
}

/** `count` seeds from `start` written as a range ("40-55"). */
export function seedRangeText(start: number, count: number): string {
  const end = Math.min(MAX_SEED, start + count - 1);
  return end > start ? `${start}-${end}` : String(start);
}

export interface ExploreLimits {
  /** Classes of the checkpoint (0: unconditional). */
  classCount: number;
  /** Images shown per view now: an index the page sends must be below it. */
  shown: Record<ExploreView, number>;
}

/** Host side: a message from the page (untrusted). */
export function parseExploreWebviewMessage(m: unknown, lim: ExploreLimits): ExploreWebviewMessage | undefined {
  if (!isObj(m)) return undefined;
  switch (m.type) {
    case 'ready':
      return { type: 'ready' };
    case 'grid': {
      const max = maxSeeds(lim.classCount);
      if (
        !Array.isArray(m.seeds) ||
        !m.seeds.length ||
        m.seeds.length > max ||
        !m.seeds.every(isSeed) ||
        !isTruncation(m.truncation)
      )
        return undefined;
      return { type: 'grid', seeds: [...m.seeds], truncation: m.truncation };
    }
    case 'interpolate': {
      if (
        !isSeed(m.from) ||
        !isSeed(m.to) ||
        !isInt(m.steps, 2) ||
        m.steps > LATENT_LIMITS.steps ||
        !isTruncation(m.truncation)
      )
        return undefined;
      if (!optional(m.label, (v): v is number => isInt(v, 0) && v < lim.classCount)) return undefined;
      return {
        type: 'interpolate',
        from: m.from,
        to: m.to,
        steps: m.steps,
        truncation: m.truncation,
        ...(m.label !== undefined ? { label: m.label } : {}),
      };
    }
    case 'saveImage':
      return isView(m.view) && isInt(m.index, 0) && m.index < lim.shown[m.view]
        ? { type: 'saveImage', view: m.view, index: m.index }
        : undefined;
    case 'saveGrid':
      return isView(m.view) && lim.shown[m.view] > 0 ? { type: 'saveGrid', view: m.view } : undefined;
    default:
      return undefined;
  }
}

const isImages = (v: unknown): v is string[] =>
  Array.isArray(v) && v.length <= LATENT_LIMITS.images && v.every((s) => isStr(s, 8 * 1024 * 1024));
const intList = (v: unknown, max: number): v is number[] => Array.isArray(v) && v.length <= max && v.every(isSeed);

function parseInfo(i: unknown): ExploreInfo | undefined {
  if (!isObj(i) || !isStr(i.title, 512) || !isStr(i.family, 64) || !isInt(i.step, 0)) return undefined;
  if (!Array.isArray(i.classes) || i.classes.length > LATENT_LIMITS.labels || !i.classes.every((c) => isStr(c, 256)))
    return undefined;
  return { title: i.title, family: i.family, step: i.step, classes: [...i.classes] as string[] };
}

/** Page side: a message from the host (checked too: the page must never break on one). */
export function parseExploreHostMessage(m: unknown): ExploreHostMessage | undefined {
  if (!isObj(m)) return undefined;
  const size = isInt(m.width, 1) && isInt(m.height, 1) && isTruncation(m.truncation) && isImages(m.images);
  switch (m.type) {
    case 'init': {
      const info = parseInfo(m.info);
      return info && { type: 'init', info };
    }
    case 'busy':
      return isView(m.view) ? { type: 'busy', view: m.view } : undefined;
    case 'grid':
      if (!size || !intList(m.seeds, LATENT_LIMITS.seeds) || !intList(m.labels, LATENT_LIMITS.labels)) return undefined;
      if ((m.images as string[]).length !== m.seeds.length * Math.max(1, m.labels.length)) return undefined;
      return {
        type: 'grid',
        seeds: m.seeds,
        labels: m.labels,
        truncation: m.truncation as number,
        width: m.width as number,
        height: m.height as number,
        images: m.images as string[],
      };
    case 'path':
      if (!size || !isSeed(m.from) || !isSeed(m.to) || !isInt(m.steps, 2) || (m.images as string[]).length !== m.steps)
        return undefined;
      if (!optional(m.label, (v): v is number => isInt(v, 0))) return undefined;
      return {
        type: 'path',
        from: m.from,
        to: m.to,
        steps: m.steps,
        truncation: m.truncation as number,
        width: m.width as number,
        height: m.height as number,
        images: m.images as string[],
        ...(m.label !== undefined ? { label: m.label } : {}),
      };
    case 'error':
      return isView(m.view) && isStr(m.message, 8192) ? { type: 'error', view: m.view, message: m.message } : undefined;
    case 'saved':
      return isStr(m.name, 1024) ? { type: 'saved', name: m.name } : undefined;
    default:
      return undefined;
  }
}
