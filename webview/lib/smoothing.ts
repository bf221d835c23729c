// Loss-curve transforms for the dashboard charts. Pure: unit-tested.

/**
 * Exponential moving average with start-up debiasing (so the first points are not pulled
 * towards zero). `weight` in [0, 1): 0 = raw. Non-finite values (a diverged step) stay
 * visible as gaps (null) and do not poison the average after them.
 */
export function smooth(values: readonly (number | null)[], weight: number): (number | null)[] {
  const w = Math.min(Math.max(weight, 0), 0.999);
  if (w === 0) return values.map((v) => (v === null || !Number.isFinite(v) ? null : v));
  let last = 0;
  let n = 0;
  return values.map((v) => {
    if (v === null || !Number.isFinite(v)) return null;
    last = last * w + (1 - w) * v;
    n++;
    return last / (1 - Math.pow(w, n));
  });
}

/** Log scale needs positive values; a loss that goes to or below zero needs asinh instead. */
export function scaleDistr(series: readonly (readonly (number | null)[])[], log: boolean): 1 | 3 | 4 {
  if (!log) return 1;
  for (const s of series) for (const v of s) if (v !== null && v <= 0) return 4;
  return 3;
}

/** Loss names in first-seen order across all points (models report different losses). */
export function lossNames(points: readonly { losses: Record<string, number> }[]): string[] {
  const seen = new Set<string>();
  for (const p of points) for (const k of Object.keys(p.losses)) seen.add(k);
  return [...seen];
}

/** Column-oriented series for a chart: xs = steps, one array per name (null where missing). */
export function toColumns<P extends { step: number }>(
  points: readonly P[],
  names: readonly string[],
  get: (p: P, name: string) => number | undefined,
) {
  const xs = points.map((p) => p.step);
  const ys = names.map((n) =>
    points.map((p) => {
      const v = get(p, n);
      return v === undefined || !Number.isFinite(v) ? null : v;
    }),
  );
  return { xs, ys };
}
