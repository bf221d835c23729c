// Small runtime checks for data that crosses a process or webview boundary. Messages are
// untrusted: they are checked field by field, never cast. No Node imports: webviews use this too.

export type Obj = Record<string, unknown>;

export function isObj(x: unknown): x is Obj {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}
export function isStr(x: unknown, maxLen = 4096): x is string {
  return typeof x === 'string' && x.length <= maxLen;
}
export function isNum(x: unknown): x is number {
  return typeof x === 'number' && Number.isFinite(x);
}
export function isInt(x: unknown, min = 0): x is number {
  return typeof x === 'number' && Number.isSafeInteger(x) && x >= min;
}
export function isBool(x: unknown): x is boolean {
  return typeof x === 'boolean';
}
export function optional<T>(x: unknown, check: (v: unknown) => v is T): x is T | undefined {
  return x === undefined || check(x);
}
export function oneOf<T extends string>(values: readonly T[]) {
  return (x: unknown): x is T => typeof x === 'string' && (values as readonly string[]).includes(x);
}

/**
 * A numeric metric that may have been NaN/Infinity before JSON turned it into null:
 * a diverged GAN reports NaN losses and the UI should show that, not drop the point.
 */
export function toMetric(x: unknown): number | undefined {
  if (typeof x === 'number') return x;
  if (x === null) return NaN;
  return undefined;
}

/** Losses by name; names are short identifiers, values numbers (null = NaN). */
export function toLosses(x: unknown): Record<string, number> | undefined {
  if (!isObj(x)) return undefined;
  const out: Record<string, number> = {};
  const keys = Object.keys(x);
  if (keys.length > 32) return undefined;
  for (const k of keys) {
    if (!/^[A-Za-z_][\w.-]{0,63}$/.test(k)) return undefined;
    const v = toMetric(x[k]);
    if (v === undefined) return undefined;
    out[k] = v;
  }
  return out;
}
