// How long an upscale will take, before it starts: seconds per input megapixel for the scale
// and model, first from a conservative default measured on a 2-core machine, then from this
// machine's own recent jobs (kept in the extension's global state). Each shipped and imported
// model has its own rate (an RRDBNet is far slower than a compact model); the user's SRGAN
// checkpoints share one. Pure: unit-tested.
import { shippedModelName } from '../../shared/importedModels';

/** Measured here (2 shared cores, native backend): about 150 s per input MP at x4. */
export const DEFAULT_SEC_PER_MP: Record<number, number> = { 2: 60, 4: 150 };

/** Warn before starting when a job is expected to take longer than this, or the input is this big. */
export const WARN_SECONDS = 120;
export const WARN_MEGAPIXELS = 4;

export type Rates = Record<string, number>;

/**
 * `model`: a shipped model's name (old names too), an imported model's name, or a
 * checkpoint/run folder (any path).
 */
export function rateKey(scale: number, model: string): string {
  const shipped = shippedModelName(model);
  if (shipped) return `x${scale}:${shipped}`;
  if (/[\\/]/.test(model)) return `x${scale}:checkpoint`;
  return `x${scale}:imported:${model}`;
}

/** Rates saved under the old names (x4:default) under the new ones; newer entries win. */
export function migrateRates(rates: Rates): Rates {
  const out: Rates = {};
  for (const [k, v] of Object.entries(rates)) {
    const m = /^x(\d+):(default|default-sharp)$/.exec(k);
    if (!m) out[k] = v;
    else out[rateKey(Number(m[1]), m[2])] ??= v;
  }
  return out;
}

/**
 * Before an imported model has run here: 2 FLOPs per weight per input pixel (the ESRGAN-family
 * networks run mostly at the input's resolution) at 12 GFLOP/s, measured with random-weight
 * full-size models on 128×128 inputs (2026-11-30, 2-core VM, load ~10, native backend):
 * RRDBNet x4plus-size 2650 s/MP, compact x4v3-size 226 s/MP. The first measured job replaces it.
 */
const ASSUMED_FLOPS = 12e9;

export function priorSecPerMP(scale: number, params?: number): number {
  const base = DEFAULT_SEC_PER_MP[scale] ?? DEFAULT_SEC_PER_MP[4];
  return params ? Math.max(base, (2 * params * 1e6) / ASSUMED_FLOPS) : base;
}

/** `params`: an imported model's weight count (for the prior). */
export function secondsFor(
  rates: Rates,
  scale: number,
  model: string,
  width: number,
  height: number,
  params?: number,
): number {
  const r = rates[rateKey(scale, model)] ?? priorSecPerMP(scale, params);
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
