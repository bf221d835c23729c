// How a run ends: finished, stopped (saved where it stands, so --resume continues from there),
// or failed. A failure the user can act on (a diverged run, a lost or full GPU, a disk that
// refuses writes) ends in one line that says what was kept, never a stack trace.
import * as fs from 'node:fs';
import { stepName } from '../../shared/runDir';
import { explainFailure, GpuError } from '../engine/gpu/webgpu';
import type { TrainControl, TrainResult } from './api';
import { CheckpointWriteError, describeFsError } from './checkpoint';
import { DivergedError, RunWriteError } from './errors';
import type { TrainingSession } from './session';

/** After the loop: a stopped run saves a grid and a checkpoint of this step; a finished one says so. */
export async function endRun(s: TrainingSession, control: TrainControl): Promise<TrainResult> {
  const { step, total, runDir } = s;
  if (step < total) return stopRun(s, control);
  s.log.info(
    step > total || (s.resume && s.resume.state.step >= total)
      ? `nothing to do: the run is at step ${step}, the target is ${total} steps`
      : `finished ${total} steps`,
  );
  return { runDir, step, status: 'finished' };
}

/** Stopped: save where we are so --resume continues from here, with a grid of this step. */
async function stopRun(s: TrainingSession, control: TrainControl): Promise<TrainResult> {
  const { step, total, runDir } = s;
  control.sampleNow = false;
  if (!fs.existsSync(s.paths.sample(step))) await s.writeSample(step);
  s.writeLossPlot();
  await s.checkpoint(step);
  s.log.info(`stopped at step ${step}/${total}`);
  return { runDir, step, status: 'stopped' };
}

/** What a stopped run keeps: its newest checkpoint, or `none`. */
function keptCheckpoint(savedStep: number, none: string): string {
  return savedStep >= 0 ? `the last good checkpoint is checkpoints/${stepName(savedStep)} (step ${savedStep})` : none;
}

/** A NaN or infinite `problem` at this step: logged with what was kept and the usual fixes, loss.png redrawn. */
export function divergedError(s: TrainingSession, problem: string): DivergedError {
  const kept = keptCheckpoint(s.savedStep, 'no checkpoint was saved yet');
  const fixes = `Usual fixes: a lower "optimizer.lr" (now ${s.cfg.optimizer.lr}), checking that the data loads as expected (gan check), a smaller "batchSize" or network`;
  const msg = `${problem} at step ${s.step}: training diverged and stopped; ${kept}. ${fixes}.`;
  s.log.error(msg);
  s.writeLossPlot();
  return new DivergedError(msg);
}

/** A GPU failure in a step: one line for the user and the log (the GPU's cause, what is kept, how to go on). Other errors pass through. */
export function gpuStopped(s: TrainingSession, e: unknown): unknown {
  if (!(e instanceof GpuError)) return e;
  const stopped = e.withOutcome(keptCheckpoint(s.savedStep, 'no checkpoint was saved yet'), s.savedStep >= 0);
  s.log.error(stopped.message);
  return stopped;
}

/**
 * The error a failed run throws. Disk full, read-only folder, ...: one line that says what is
 * kept, not a stack trace; a GPU failure outside a step (sampling, checkpointing) is said the
 * same way. Anything else (a bug, bad input) is thrown as it is.
 */
export async function failureError(e: unknown, s: TrainingSession): Promise<unknown> {
  const kept = keptCheckpoint(s.savedStep, 'no checkpoint was saved');
  const gpuError = await explainFailure(e);
  if (gpuError instanceof GpuError && !gpuError.stopped) return gpuError.withOutcome(kept, s.savedStep >= 0);
  if (e instanceof CheckpointWriteError) return new RunWriteError(`${e.message}; training stopped, ${kept}`);
  const err = e as NodeJS.ErrnoException;
  if (typeof err.code !== 'string' || !err.syscall) return e;
  return new RunWriteError(
    `cannot write to ${err.path ?? s.runDir}: ${describeFsError(err)}; training stopped, ${kept}`,
  );
}
