// One progress notification for one command invocation (one image or a multi-selection):
// "waiting" while earlier requests run, then percent of tiles done across the batch, with a
// Cancel button that cancels the batch (waiting jobs are dropped, the running one stops
// between tiles and writes nothing). Failures are reported per file, naming file and reason.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { InferJob, InferResult } from '../../shared/inferProtocol';
import type { InferService } from './inferService';
import type { Outcome } from './jobQueue';

export interface BatchItem {
  job: InferJob;
}

export interface BatchOutcome {
  item: BatchItem;
  outcome: Outcome<InferResult>;
}

/** The reason part of an engine message "<file>: <reason>" about the job's own input. */
export function reasonFor(job: InferJob, error: string): string {
  const first = error.split('\n')[0];
  for (const p of [job.input, path.resolve(job.input)])
    if (first.startsWith(`${p}: `)) return first.slice(p.length + 2);
  return first;
}

export async function runBatch(
  service: InferService,
  items: BatchItem[],
  title: string,
  log: (line: string) => void,
): Promise<BatchOutcome[]> {
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title, cancellable: true },
    async (progress, token) => {
      const n = items.length;
      let reported = 0;
      const frac = new Array<number>(n).fill(0);
      const report = (message: string) => {
        const pct = (100 * frac.reduce((a, b) => a + b, 0)) / n;
        progress.report({ message, increment: pct > reported ? pct - reported : undefined });
        reported = Math.max(reported, pct);
      };
      const handles = items.map((item, i) => {
        const name = path.basename(item.job.input);
        const prefix = n > 1 ? `${i + 1}/${n} ${name}: ` : '';
        return service.submit(item.job, {
          onPosition: (ahead) => {
            if (ahead > 0 && i === 0) report(`waiting for ${ahead} earlier request${ahead > 1 ? 's' : ''}…`);
          },
          onStart: () => report(`${prefix}loading the model…`),
          onProgress: (done, total) => {
            frac[i] = done / total;
            report(`${prefix}${Math.floor((100 * done) / total)}% (tile ${done} of ${total})`);
          },
        });
      });
      const cancel = token.onCancellationRequested(() => handles.forEach((h) => h.cancel()));
      try {
        const outcomes = await Promise.all(handles.map((h) => h.result));
        return outcomes.map((outcome, i) => {
          const job = items[i].job;
          if (outcome.status === 'failed') log(`${job.kind} ${job.input} failed: ${outcome.error}`);
          else if (outcome.status === 'done')
            log(`${job.kind} ${job.input} -> ${outcome.result.output} (${outcome.result.seconds.toFixed(1)} s)`);
          else log(`${job.kind} ${job.input} cancelled`);
          return { item: items[i], outcome };
        });
      } finally {
        cancel.dispose();
      }
    },
  );
}

/** Error notifications for the failures of a batch (one per file: name and reason). */
export function reportFailures(verb: string, outcomes: BatchOutcome[], showLog: () => void): void {
  for (const { item, outcome } of outcomes) {
    if (outcome.status !== 'failed') continue;
    const name = path.basename(item.job.input);
    const reason = outcome.kind === 'input' ? reasonFor(item.job, outcome.error) : outcome.error.split('\n')[0];
    void vscode.window
      .showErrorMessage(`Cannot ${verb} "${name}": ${reason}. Nothing was written.`, 'Show Log')
      .then((c) => {
        if (c) showLog();
      });
  }
}
