// The inference child's message loop: validates requests, runs jobs one at a time (a second
// `run` waits for the first), relays progress, and turns a cancel into a stop between tiles.
// The engine is behind `deps`, so the protocol logic is unit-tested without tfjs.
import {
  parseInferRequest,
  type AnyInferJob,
  type InferEvent,
  type JobResult,
  type RunOptions,
} from '../../shared/inferProtocol';
import type { ProcessPort } from '../processPort';

export interface JobContext {
  options: RunOptions;
  progress(done: number, total: number): void;
  /** True once the host asked to cancel this job: stop at the next check, write nothing. */
  cancelled(): boolean;
}

export interface InferDeps {
  run(job: AnyInferJob, ctx: JobContext): Promise<JobResult>;
  /** The user's file, model or option is wrong (shown as is, no stack). */
  isInputError(e: unknown): boolean;
  exit(code: number): void;
}

export type InferPort = ProcessPort<InferEvent>;

export function serveInference(port: InferPort, deps: InferDeps): void {
  const cancelled = new Set<number>();
  let chain: Promise<void> = Promise.resolve();
  let running: number | undefined;
  const post = (e: InferEvent) => port.send(e).catch(() => undefined);

  const runOne = async (id: number, job: AnyInferJob, options: RunOptions) => {
    if (cancelled.delete(id)) {
      await post({ type: 'response', id, ok: false, cancelled: true, error: 'cancelled', kind: 'input' });
      return;
    }
    running = id;
    // Progress is throttled to whole-percent changes: a tile is the unit, but many tiny tiles
    // must not flood the channel.
    let lastPct = -1;
    try {
      const result = await deps.run(job, {
        options,
        progress: (done, total) => {
          const pct = Math.floor((100 * done) / Math.max(1, total));
          if (pct === lastPct && done !== total) return;
          lastPct = pct;
          void post({ type: 'progress', id, done, total: Math.max(1, total) });
        },
        cancelled: () => cancelled.has(id),
      });
      await post({ type: 'response', id, ok: true, result });
    } catch (e) {
      const wasCancelled = cancelled.has(id) || (e instanceof Error && e.name === 'AbortError');
      const message = e instanceof Error ? e.message : String(e);
      const input = wasCancelled || deps.isInputError(e);
      await post({
        type: 'response',
        id,
        ok: false,
        cancelled: wasCancelled,
        kind: input ? 'input' : 'internal',
        error: wasCancelled
          ? 'cancelled'
          : (input ? message : `${message}${e instanceof Error && e.stack ? `\n${e.stack}` : ''}`).slice(0, 8000),
      });
    } finally {
      cancelled.delete(id);
      running = undefined;
    }
  };

  port.onMessage((m) => {
    const req = parseInferRequest(m);
    if (!req) {
      void post({ type: 'log', line: 'inference child ignored a malformed request', level: 'warn' });
      return;
    }
    if (req.type === 'cancel') {
      cancelled.add(req.target);
      return;
    }
    chain = chain.then(() => runOne(req.id, req.job, req.options));
  });

  port.onDisconnect(() => {
    // The host is gone: stop the running job (it removes its partial file) and leave.
    if (running !== undefined) cancelled.add(running);
    void chain.finally(() => deps.exit(0));
  });
}
