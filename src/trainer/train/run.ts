// The training run behind both the CLI and the extension's trainer process, in four parts:
//   setup.ts   check the input and start the backend (nothing written), then open the run
//              folder: build or load the networks, the log, the step-0 grid
//   loop.ts    train step after step (step.ts), checking health, recording, sampling and
//              checkpointing as it goes, between steps reading pause/stop/sample-now
//   finish.ts  finished or stopped, or one line for a failure that says what was kept
//   session.ts the run's state, and its metrics lines, grids and checkpoints
import type { TrainControl, TrainEvents, TrainOptions, TrainResult } from './api';
import { endRun, failureError } from './finish';
import { trainSteps } from './loop';
import { openRun, setUpSession } from './setup';

export async function runTraining(
  opts: TrainOptions,
  events: TrainEvents = {},
  control: TrainControl = { stop: false, paused: false, sampleNow: false },
): Promise<TrainResult> {
  // Bad input throws here, before a single file is written (and before Math.random is replaced).
  const session = await setUpSession(opts, events);
  try {
    await openRun(session);
    await trainSteps(session, control);
    return await endRun(session, control);
  } catch (e) {
    throw await failureError(e, session);
  } finally {
    session.close();
  }
}
