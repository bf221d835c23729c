// Number and duration formatting shared by the host (status bar, notifications) and the webviews.

export function formatDuration(sec: number | undefined): string {
  if (sec === undefined || !Number.isFinite(sec)) return '–';
  const s = Math.round(sec);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${String(s % 60).padStart(2, '0')}s`;
  const h = Math.floor(m / 60);
  return `${h}h ${String(m % 60).padStart(2, '0')}m`;
}

export function formatRate(rate: number | undefined): string {
  if (rate === undefined || !Number.isFinite(rate)) return '– steps/s';
  if (rate >= 10) return `${rate.toFixed(0)} steps/s`;
  if (rate >= 0.1) return `${rate.toFixed(2)} steps/s`;
  // Very slow runs read better as seconds per step.
  return `${(1 / rate).toFixed(1)} s/step`;
}

/** Compact number for losses and probabilities: 4 significant digits, NaN shown as such. */
export function formatNumber(v: number | undefined, digits = 4): string {
  if (v === undefined) return '–';
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? '∞' : '-∞';
  const a = Math.abs(v);
  if (a !== 0 && (a < 1e-3 || a >= 1e5)) return v.toExponential(digits - 2);
  return Number(v.toPrecision(digits)).toString();
}
