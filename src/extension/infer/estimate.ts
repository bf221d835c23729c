// How long an upscale will take, before it starts: seconds per input megapixel for the scale,
// first from a conservative default measured on a 2-core machine, then from this machine's own
// recent jobs (kept in the extension's global state). Pure: unit-tested.

/** Measured here (2 shared cores, native backend): about 150 s per input MP at x4. */
export const DEFAULT_SEC_PER_MP: Record<number, number> = { 2: 60, 4: 150 };

/** Warn before starting when a job is expected to take longer than this, or the input is this big. */
export const WARN_SECONDS = 120;
export const WARN_MEGAPIXELS = 4;

export type Rates = Record<string, number>;

export function rateKey(scale: number, model: string): string {
  return `x${scale}:${model.startsWith('default') ? model : 'checkpoint'}`;
}

export function secondsFor(rates: Rates, scale: number, model: string, width: number, height: number): number {
  const r = rates[rateKey(scale, model)] ?? DEFAULT_SEC_PER_MP[scale] ?? DEFAULT_SEC_PER_MP[4];
  return (r * width * height) / 1e6;
}

/** Folds one measured job into the rates (moving average; tiny images say little about the rate). */
export function learnRate(
  rates: Rates,
  scale: number,
  model: string,
  width: number,
  height: number,
  seconds: number,
): Rates {
  const mp = (width * height) / 1e6;
  if (mp < 0.05 || !(seconds > 0)) return rates;
  const key = rateKey(scale, model);
  const measured = seconds / mp;
  const old = rates[key];
  return { ...rates, [key]: old === undefined ? measured : 0.5 * old + 0.5 * measured };
}

export function isHuge(seconds: number, width: number, height: number): boolean {
  return seconds > WARN_SECONDS || (width * height) / 1e6 > WARN_MEGAPIXELS;
}
