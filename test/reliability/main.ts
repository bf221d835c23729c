// The reliability suite's entry point: runs the sections (all, or those named on the command
// line), then prints one summary line per kind of fault with what was tried and what held.
import { killSuite } from './kills';
import { writeSuite } from './writes';
import { nanSuite } from './nan';
import { warningSuite } from './warnings';
import { configFuzz, messageFuzz } from './fuzz';
import { badFileSuite } from './badFiles';
import type { Tally } from './common';

const SEED = Number(process.env.RELIABILITY_SEED ?? 9);
const only = process.argv.slice(2);
const want = (s: string) => only.length === 0 || only.includes(s);

const summary: string[] = [];
const failures: string[] = [];
const count = (t: Tally) => `${t.held}/${t.tried}`;
const collect = (name: string, ...ts: Tally[]) => {
  for (const t of ts) {
    if (!t.ok) failures.push(...(t.tried ? t.failures : [`${name}: nothing was tried`]).map((f) => `${name}: ${f}`));
  }
};

async function main(): Promise<void> {
  const t0 = Date.now();
  if (want('kills')) {
    const k = await killSuite(SEED, 24);
    collect('kills', k.kills, k.resumes, k.damaged, k.final);
    summary.push(
      `reliability: kills ${count(k.kills)} survived (${k.duringWrites} during checkpoint writes), resumed runs continued with identical step numbering ${count(k.resumes)}, ` +
        `damaged checkpoints detected and skipped ${count(k.damaged)}, final runs complete with every step once ${count(k.final)}`,
    );
  }
  if (want('writes')) {
    const w = writeSuite();
    collect('writes', w.refused, w.whole, w.memory);
    summary.push(
      `reliability: injected write failures ${count(w.refused)} refused with one line, nothing half-written ${count(w.whole)}; memory estimate refuses/admits ${count(w.memory)}`,
    );
  }
  if (want('nan')) {
    const n = nanSuite();
    collect('nan', n);
    summary.push(
      `reliability: NaN injections ${count(n)} stopped with the step named and the last good checkpoint kept and loadable`,
    );
  }
  if (want('warnings')) {
    const w = await warningSuite();
    collect('warnings', w);
    summary.push(
      `reliability: training warnings (dLoss ≈ 0, mode collapse, none on a healthy run) ${count(w)} as WARN lines and IPC log events`,
    );
  }
  if (want('fuzz')) {
    const c = configFuzz(SEED, 1000);
    const msg = messageFuzz(SEED, 1500);
    collect('fuzz', c.t, msg.webview, msg.ipc);
    summary.push(
      `reliability: config fuzz ${count(c.t)} handled (${c.rejected} rejected with one-line problems, ${c.accepted} accepted), ` +
        `webview message fuzz ${count(msg.webview)} handled, IPC message fuzz ${count(msg.ipc)} handled, none reaching outside the run folder`,
    );
  }
  if (want('files')) {
    const b = badFileSuite();
    collect('files', b.refused, b.training);
    summary.push(
      `reliability: bad files ${count(b.refused)} refused by gan upscale/translate with one line, nothing written; training on a folder holding them ${count(b.training)} skipped and named each`,
    );
  }
  for (const f of failures) console.log(`FAILED ${f}`);
  console.log(summary.join('\n'));
  console.log(
    `reliability: ${failures.length ? `${failures.length} check(s) FAILED` : 'all held'} in ${((Date.now() - t0) / 1000).toFixed(0)} s (seed ${SEED})`,
  );
  process.exitCode = failures.length ? 1 : 0;
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
