// Entry of the inference child: the trainer bundle started by the host with GAN_STUDIO_INFER=1
// (see child.ts). Wires the IPC channel to the message loop and the engine's jobs.
import type { InferEvent } from '../../shared/inferProtocol';
import { isInputError } from '../train/errors';
import { processPort } from '../processPort';
import { serveInference, type InferPort } from './inferServer';
import { runImportSr, runLatentSamples, runTranslate, runUpscale } from './inferJobs';

export function startInferenceChild(): void {
  const port: InferPort = processPort<InferEvent>();
  const log = (line: string, level: 'info' | 'warn' | 'error' = 'warn') => void port.send({ type: 'log', line, level });
  process.stdout.on('error', () => undefined);
  process.stderr.on('error', () => undefined);
  // A job's failure is answered by its response; anything escaping is a bug: say so and leave.
  const fatal = (err: unknown) => {
    log(`inference child crashed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`, 'error');
    setTimeout(() => process.exit(1), 100);
  };
  process.on('uncaughtException', fatal);
  process.on('unhandledRejection', fatal);
  serveInference(port, {
    run: (job, ctx) =>
      job.kind === 'upscale'
        ? runUpscale(job, ctx, log)
        : job.kind === 'translate'
          ? runTranslate(job, ctx, log)
          : job.kind === 'importSr'
            ? runImportSr(job, ctx, log)
            : runLatentSamples(job, ctx, log),
    isInputError: (e) => isInputError(e) || (e instanceof Error && e.name === 'FileProblem'),
    exit: (code) => process.exit(code),
  });
}
