// Where inference results go: beside the original, `<name>.x4.png` for an upscale, and never
// over an existing file: `<name>.x4-2.png`, `<name>.x4-3.png`, ... The host proposes a name;
// the child claims it atomically (a hard link fails if the name exists) and moves on to the
// next counter if another process got there first. Pure: both sides and the tests use it.
import * as path from 'node:path';

/** Results are always PNG: lossless, keeps alpha, and the engine writes it streamed. */
export const RESULT_EXT = '.png';

function stem(input: string): string {
  const base = path.basename(input);
  const ext = path.extname(base);
  return ext ? base.slice(0, -ext.length) : base;
}

/** `photo.jpg`, 4 -> `photo.x4.png` in the same folder. */
export function upscaleOutputName(input: string, scale: number): string {
  return path.join(path.dirname(input), `${stem(input)}.x${scale}${RESULT_EXT}`);
}

/** `photo.jpg`, 'AtoB' -> `photo.AtoB.png`; the tag is reduced to a safe file-name part. */
export function translateOutputName(input: string, tag: string): string {
  const safe =
    tag
      .replace(/[^\w.-]+/g, '-')
      .replace(/^[-.]+|[-.]+$/g, '')
      .slice(0, 40) || 'translated';
  return path.join(path.dirname(input), `${stem(input)}.${safe}${RESULT_EXT}`);
}

/** The n-th candidate for `desired` (n = 1 is the name itself): `photo.x4.png` -> `photo.x4-2.png`. */
export function withCounter(desired: string, n: number): string {
  if (n <= 1) return desired;
  const ext = path.extname(desired);
  return `${desired.slice(0, desired.length - ext.length)}-${n}${ext}`;
}

export const MAX_COUNTER = 9999;

/** The first candidate for which `taken` is false. Throws when all MAX_COUNTER are taken. */
export function firstFreeName(desired: string, taken: (p: string) => boolean): string {
  for (let n = 1; n <= MAX_COUNTER; n++) {
    const p = withCounter(desired, n);
    if (!taken(p)) return p;
  }
  throw new Error(`no free file name for ${desired} (tried ${MAX_COUNTER})`);
}

/** True when `p` is `desired` or one of its counter variants (validates what the child says it wrote). */
export function isCandidateName(desired: string, p: string): boolean {
  if (p === desired) return true;
  const ext = path.extname(desired);
  const head = desired.slice(0, desired.length - ext.length);
  if (!p.startsWith(`${head}-`) || !p.endsWith(ext)) return false;
  const n = p.slice(head.length + 1, p.length - ext.length);
  return /^[1-9]\d{0,3}$/.test(n) && Number(n) >= 2;
}
