// Host <-> "Dataset Check" webview, and the report it shows (the JSON of `gan check --json`,
// src/trainer/data/check.ts). Everything is validated where it arrives: the report comes from
// a child process, page messages from a webview. No Node imports: the page uses this too.
import { isBool, isInt, isNum, isObj, isStr, optional } from './guards';

export interface FileNote {
  file: string;
  reason: string;
}

export interface CheckSet {
  /** "train" or "held-out". */
  role: string;
  describe: string;
  /** Files found (A and B sides; the same file twice for A|B and made pairs). */
  filesA: number;
  filesB: number;
  /** Pairs (paired) or images per side (unpaired) that training can use. */
  usable: number;
  usableB?: number;
  aligned: boolean;
  /** One set of images (a folder data set): filesA files, usable images, no B side. */
  single?: boolean;
  /** "WxH": count, most common first. */
  sizes: { size: string; count: number }[];
  unreadable: FileNote[];
  unmatched: FileNote[];
  smallerThanImageSize: number;
}

export interface CheckReport {
  name: string;
  model: string;
  dataset: string;
  imageSize: number;
  batchSize: number;
  sets: CheckSet[];
  /** Other data sets (MNIST, SR folders): a one-line summary. */
  summary?: string;
  /** Labelled folders: each class (subfolder) with its usable images, in label order. */
  classes?: { name: string; count: number }[];
  problems: string[];
  warnings: string[];
  ok: boolean;
}

export type CheckHostMessage =
  | { type: 'checking'; config: string }
  | { type: 'report'; config: string; report: CheckReport; seconds: number }
  | { type: 'error'; config: string; message: string };

export type CheckPageMessage = { type: 'ready' } | { type: 'recheck' } | { type: 'openConfig' } | { type: 'train' };

/** Lists longer than this are cut (a page of 10,000 unreadable files helps nobody). */
export const MAX_LISTED = 200;

const strList = (x: unknown): x is string[] =>
  Array.isArray(x) && x.length <= MAX_LISTED * 10 && x.every((s) => isStr(s));

function notes(x: unknown): FileNote[] | undefined {
  if (!Array.isArray(x)) return undefined;
  const out: FileNote[] = [];
  for (const n of x.slice(0, MAX_LISTED)) {
    if (!isObj(n) || !isStr(n.file) || !isStr(n.reason)) return undefined;
    out.push({ file: n.file, reason: n.reason });
  }
  return out;
}

function parseSet(s: unknown): CheckSet | undefined {
  if (!isObj(s) || !isStr(s.role, 64) || !isStr(s.describe) || !isInt(s.filesA) || !isInt(s.filesB) || !isInt(s.usable))
    return undefined;
  if (
    !optional(s.usableB, (v): v is number => isInt(v)) ||
    !isBool(s.aligned) ||
    !optional(s.single, isBool) ||
    !isInt(s.smallerThanImageSize)
  )
    return undefined;
  if (!Array.isArray(s.sizes) || !s.sizes.every((z) => isObj(z) && isStr(z.size, 32) && isInt(z.count)))
    return undefined;
  const unreadable = notes(s.unreadable),
    unmatched = notes(s.unmatched);
  if (!unreadable || !unmatched) return undefined;
  return {
    role: s.role,
    describe: s.describe,
    filesA: s.filesA,
    filesB: s.filesB,
    usable: s.usable,
    usableB: s.usableB,
    aligned: s.aligned,
    ...(s.single ? { single: true } : {}),
    sizes: (s.sizes as { size: string; count: number }[])
      .slice(0, MAX_LISTED)
      .map((z) => ({ size: z.size, count: z.count })),
    unreadable,
    unmatched,
    smallerThanImageSize: s.smallerThanImageSize,
  };
}

export function parseCheckReport(r: unknown): CheckReport | undefined {
  if (
    !isObj(r) ||
    !isStr(r.name, 256) ||
    !isStr(r.model, 32) ||
    !isStr(r.dataset, 32) ||
    !isInt(r.imageSize, 1) ||
    !isInt(r.batchSize, 1)
  )
    return undefined;
  if (
    !Array.isArray(r.sets) ||
    !optional(r.summary, (v): v is string => isStr(v)) ||
    !strList(r.problems) ||
    !strList(r.warnings) ||
    !isBool(r.ok)
  )
    return undefined;
  const sets = r.sets.map(parseSet);
  if (sets.some((s) => !s)) return undefined;
  const classes = r.classes;
  if (
    classes !== undefined &&
    (!Array.isArray(classes) || !classes.every((c) => isObj(c) && isStr(c.name, 256) && isInt(c.count)))
  )
    return undefined;
  return {
    name: r.name,
    model: r.model,
    dataset: r.dataset,
    imageSize: r.imageSize,
    batchSize: r.batchSize,
    sets: sets as CheckSet[],
    summary: r.summary,
    problems: r.problems,
    warnings: r.warnings,
    ok: r.ok,
    ...(classes
      ? {
          classes: (classes as { name: string; count: number }[])
            .slice(0, MAX_LISTED)
            .map((c) => ({ name: c.name, count: c.count })),
        }
      : {}),
  };
}

export function parseCheckHostMessage(m: unknown): CheckHostMessage | undefined {
  if (!isObj(m) || !isStr(m.config)) return undefined;
  if (m.type === 'checking') return { type: 'checking', config: m.config };
  if (m.type === 'error' && isStr(m.message)) return { type: 'error', config: m.config, message: m.message };
  if (m.type === 'report' && isNum(m.seconds)) {
    const report = parseCheckReport(m.report);
    return report && { type: 'report', config: m.config, report, seconds: m.seconds };
  }
  return undefined;
}

export function parseCheckPageMessage(m: unknown): CheckPageMessage | undefined {
  if (!isObj(m) || Object.keys(m).length !== 1) return undefined;
  return m.type === 'ready' || m.type === 'recheck' || m.type === 'openConfig' || m.type === 'train'
    ? { type: m.type }
    : undefined;
}
