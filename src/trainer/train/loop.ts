// The training loop: step after step until the target step or a stop. Between steps it reads
// the caller's control flags (pause, stop, sample-now). After each step it checks the run's
// health (a NaN or infinite loss or weight stops it; a discriminator loss stuck near zero is
// warned about), writes a metrics line every logEvery steps, and samples and checkpoints on
// schedule.
import type { StepResult } from '../models';
import type { TrainControl } from './api';
import { progressLine } from './eventLog';
import { divergedError } from './finish';
import { DLossWatch, firstNonFiniteWeight, injectedNan, poisonFirstWeight } from './health';
import type { TrainingSession } from './session';
import { trainOneStep, type TrainedStep } from './step';

/** Mean wall time of the steps since the last metrics line. */
class StepTimes {
  private sum = 0;
  private count = 0;

  add(ms: number): void {
    this.sum += ms;
    this.count++;
  }

  /** The mean in ms (one decimal), starting a new interval. */
  takeMean(): number {
    const mean = Math.round((this.sum / this.count) * 10) / 10;
    this.sum = 0;
    this.count = 0;
    return mean;
  }
}

/** Trains until s.total or until control.stop is seen between steps. */
export async function trainSteps(s: TrainingSession, control: TrainControl): Promise<void> {
  const times = new StepTimes();
  const dWatch = new DLossWatch();
  while (s.step < s.total) {
    await waitBetweenSteps(s, control);
    if (control.stop) break;
    const trained = await trainOneStep(s);
    times.add(trained.ms);
    const sampleDue = s.step % s.cfg.sampleEvery === 0 || s.step === s.total || control.sampleNow;
    control.sampleNow = false;
    await checkAndRecord(s, { ...trained, result: withInjectedNan(s, trained.result) }, times, dWatch, sampleDue);
    if (s.step % s.cfg.checkpointEvery === 0 || s.step === s.total) await s.checkpoint(s.step);
  }
}

/** Lets signals and IPC messages flip the control flags; while paused, waits (a sample-now is still drawn). */
async function waitBetweenSteps(s: TrainingSession, control: TrainControl): Promise<void> {
  await new Promise<void>((r) => setImmediate(r));
  while (control.paused && !control.stop) {
    if (control.sampleNow) {
      control.sampleNow = false;
      await s.writeSample(s.step);
    }
    await new Promise<void>((r) => setTimeout(r, 100));
  }
}

/** Test-only (GAN_TEST_INJECT_NAN): a NaN in this step's first loss, or in the first weight. */
function withInjectedNan(s: TrainingSession, result: StepResult): StepResult {
  const inject = injectedNan(s.step);
  if (inject === 'weight') poisonFirstWeight(s.nets);
  return inject === 'loss' ? { ...result, losses: { ...result.losses, [Object.keys(result.losses)[0]]: NaN } } : result;
}

/** The first NaN or infinite loss or weight, said as "<what> is/holds ...", or undefined. */
async function nonFiniteValue(s: TrainingSession, losses: Record<string, number>): Promise<string | undefined> {
  const bad = Object.entries(losses).find(([, v]) => !Number.isFinite(v));
  if (bad) return `${bad[0]} is ${bad[1]}`;
  // Weights are checked every step too: a NaN there would be saved in the next checkpoint.
  const badWeight = await firstNonFiniteWeight(s.nets);
  return badWeight ? `weight ${badWeight} holds NaN or Infinity` : undefined;
}

/**
 * The step's health checks and, when due, its sample grid, metrics and progress line; a NaN/Inf
 * stops the run. The grid is drawn before the metrics line so its quality scores go into it.
 */
async function checkAndRecord(
  s: TrainingSession,
  { result, lr }: TrainedStep,
  times: StepTimes,
  dWatch: DLossWatch,
  sampleDue: boolean,
): Promise<void> {
  const { step, total, cfg } = s;
  const problem = await nonFiniteValue(s, result.losses);
  const zeroD = dWatch.update(step, result.losses.dLoss);
  if (zeroD) s.log.warn(zeroD);
  const scheduled = step % cfg.sampleEvery === 0 || step === total;
  const drawn = !problem && sampleDue ? await s.drawSample(step, scheduled) : undefined;
  // Held-out scores (image-to-image families) go into the sample steps' metrics lines.
  const scored = !problem && s.heldOut && scheduled ? await s.heldOut.evaluate(s.nets) : undefined;
  if (problem || scored || drawn?.scores || step % cfg.logEvery === 0 || step === total || step === 1) {
    const rec = s.record(
      step,
      { ...result.losses, ...scored },
      times.takeMean(),
      lr,
      result.dReal,
      result.dFake,
      drawn?.scores,
    );
    s.log.info(progressLine(step, total, rec.losses, result.dReal, result.dFake, rec.msPerStep));
    if (drawn?.scores) s.log.info(scoresLine(step, drawn.scores));
  }
  if (drawn) s.finishSample(step, drawn);
  if (problem) throw divergedError(s, problem);
}

/** "scores at step 200: swd 207.78  swd28 ..." after the progress line of a scored sample step. */
const scoresLine = (step: number, scores: Record<string, number>) =>
  `scores at step ${step}: ${Object.entries(scores)
    .map(([k, v]) => `${k} ${v.toFixed(2)}`)
    .join('  ')}`;
