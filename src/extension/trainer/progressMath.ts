// Speed and ETA for the status bar and the progress notification. Wall-clock based (logging,
// sampling and checkpoint time included) so the ETA is what the user will actually wait.
import { formatDuration, formatRate } from '../../shared/format';

export { formatDuration, formatRate };

export class RateEstimator {
  private samples: { step: number; t: number }[] = [];

  /** @param windowMs how much recent history the rate averages over */
  constructor(private readonly windowMs = 30_000) {}

  add(step: number, t: number): void {
    const last = this.samples[this.samples.length - 1];
    if (last && step <= last.step) {
      // A restart from a checkpoint can rewind the step: start over.
      if (step < last.step) this.samples = [];
      else return;
    }
    this.samples.push({ step, t });
    // Keep at least two points so a slow run (one log line a minute) still has a rate.
    while (this.samples.length > 2 && t - this.samples[0].t > this.windowMs) this.samples.shift();
  }

  /** Forget history (after a pause: the paused time is not training time). */
  reset(): void {
    this.samples = [];
  }

  /** Steps per second, or undefined with fewer than two points. */
  rate(): number | undefined {
    if (this.samples.length < 2) return undefined;
    const a = this.samples[0];
    const b = this.samples[this.samples.length - 1];
    const dt = (b.t - a.t) / 1000;
    return dt > 0 ? (b.step - a.step) / dt : undefined;
  }
}

/** Falls back to the trainer's own ms/step when the wall-clock rate is not known yet. */
export function stepsPerSecond(wallRate: number | undefined, msPerStep: number | undefined): number | undefined {
  if (wallRate !== undefined && Number.isFinite(wallRate) && wallRate > 0) return wallRate;
  if (msPerStep !== undefined && Number.isFinite(msPerStep) && msPerStep > 0) return 1000 / msPerStep;
  return undefined;
}

export function etaSeconds(step: number, totalSteps: number, rate: number | undefined): number | undefined {
  if (!rate || rate <= 0 || totalSteps <= 0) return undefined;
  return Math.max(0, (totalSteps - step) / rate);
}

/** "step 120/5000 · 2.41 steps/s · ETA 33m 50s · native" */
export function progressText(p: {
  step: number;
  totalSteps: number;
  rate?: number;
  eta?: number;
  backend?: string;
  paused?: boolean;
}): string {
  const parts = [`step ${p.step}/${p.totalSteps || '?'}`];
  if (p.paused) parts.push('paused');
  else parts.push(formatRate(p.rate), `ETA ${formatDuration(p.eta)}`);
  if (p.backend) parts.push(p.backend);
  return parts.join(' · ');
}
