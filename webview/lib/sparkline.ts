// The Live Preview's loss sparkline as SVG polyline point lists. Pure: unit-tested.

export interface SparkBox {
  width: number;
  height: number;
  pad?: number;
}

/**
 * Maps several series over the same x positions into one shared y range and returns, per
 * series, polyline segments ("x,y x,y ..."); non-finite values split a line into segments.
 */
export function sparklineSegments(series: readonly (readonly number[])[], box: SparkBox): string[][] {
  const pad = box.pad ?? 2;
  let lo = Infinity;
  let hi = -Infinity;
  let n = 0;
  for (const s of series) {
    n = Math.max(n, s.length);
    for (const v of s)
      if (Number.isFinite(v)) {
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
  }
  if (!Number.isFinite(lo)) return series.map(() => []);
  if (hi === lo) {
    hi += 0.5;
    lo -= 0.5;
  }
  const w = box.width - 2 * pad;
  const h = box.height - 2 * pad;
  const x = (i: number) => pad + (n > 1 ? (i * w) / (n - 1) : w / 2);
  const y = (v: number) => pad + h - ((v - lo) / (hi - lo)) * h;
  return series.map((s) => {
    const segs: string[] = [];
    let cur: string[] = [];
    s.forEach((v, i) => {
      if (Number.isFinite(v)) cur.push(`${x(i).toFixed(1)},${y(v).toFixed(1)}`);
      else if (cur.length) {
        segs.push(cur.join(' '));
        cur = [];
      }
    });
    if (cur.length) segs.push(cur.join(' '));
    return segs;
  });
}
