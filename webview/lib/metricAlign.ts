// Several runs' metrics on one x axis for the Run Comparison page: which metrics every run
// reports, each run's x values (step, or training time from ms/step), and the runs' columns
// aligned on the union of their x values (null where a run has no point). Pure: unit-tested.
import type { MetricPoint } from '../../src/shared/webviewProtocol';

export type XAxis = 'step' | 'time';

/** Top-level point fields that are not metrics. */
const NOT_METRICS = new Set(['step', 'losses', 'time', 'epoch']);

/**
 * Every number a point reports, by metric name: losses under their own names (dLoss, gLoss),
 * then dReal, dFake, msPerStep and whatever else the trainer logs. A nested object of numbers
 * (`scores: { swd, fd }`) gives its own names, dotted (`scores.swd`) only where one is taken.
 */
export function pointMetrics(p: MetricPoint): Record<string, number> {
  const out: Record<string, number> = { ...p.losses };
  for (const [k, v] of Object.entries(p as unknown as Record<string, unknown>)) {
    if (NOT_METRICS.has(k)) continue;
    if (typeof v === 'number') out[k] = v;
    else if (v && typeof v === 'object' && !Array.isArray(v)) {
      for (const [k2, v2] of Object.entries(v))
        if (typeof v2 === 'number') out[k2 in out || k2 in p ? `${k}.${k2}` : k2] = v2;
    }
  }
  return out;
}

/** Metric names of one run in first-seen order. */
export function metricNames(points: readonly MetricPoint[]): string[] {
  const seen = new Set<string>();
  for (const p of points) for (const k of Object.keys(pointMetrics(p))) seen.add(k);
  return [...seen];
}

/**
 * `shared`: the metrics every run reports (runs of different families share only some),
 * in the first run's order; `partial`: the others, with the runs (indices) that report them.
 */
export function sharedMetrics(runs: readonly (readonly MetricPoint[])[]): {
  shared: string[];
  partial: { name: string; runs: number[] }[];
} {
  const names = runs.map((pts) => new Set(metricNames(pts)));
  const all = [...new Set(names.flatMap((s) => [...s]))];
  const shared = all.filter((n) => names.every((s) => s.has(n)));
  const partial = all
    .filter((n) => !shared.includes(n))
    .map((name) => ({ name, runs: names.flatMap((s, i) => (s.has(name) ? [i] : [])) }));
  return { shared, partial };
}

/**
 * Seconds of training at each point: the sum of ms/step over the steps since the previous
 * point. Pauses, stops and the time between a stop and a resume do not count, so runs that
 * were interrupted still compare by how long they trained.
 */
export function trainingSeconds(points: readonly MetricPoint[]): number[] {
  let t = 0;
  let prevStep = 0;
  let lastMs = 0;
  return points.map((p, i) => {
    const ms = p.msPerStep !== undefined && Number.isFinite(p.msPerStep) ? p.msPerStep : lastMs;
    lastMs = ms;
    const steps = i === 0 ? Math.max(1, p.step) : Math.max(0, p.step - prevStep);
    prevStep = p.step;
    t += (steps * ms) / 1000;
    return t;
  });
}

export function xValues(points: readonly MetricPoint[], axis: XAxis): number[] {
  return axis === 'step' ? points.map((p) => p.step) : trainingSeconds(points);
}

/**
 * Columns of several runs on the sorted union of their x values. `runs[i].xs` ascending;
 * a repeated x (a run resumed from an earlier checkpoint) keeps the later value.
 */
export function alignColumns(runs: readonly { xs: readonly number[]; ys: readonly (readonly (number | null)[])[] }[]): {
  xs: number[];
  ys: (number | null)[][][];
} {
  const xs = [...new Set(runs.flatMap((r) => r.xs))].sort((a, b) => a - b);
  const at = new Map(xs.map((x, i) => [x, i]));
  const ys = runs.map((r) =>
    r.ys.map((col) => {
      const out: (number | null)[] = new Array(xs.length).fill(null);
      r.xs.forEach((x, j) => {
        out[at.get(x) as number] = col[j] ?? null;
      });
      return out;
    }),
  );
  return { xs, ys };
}
