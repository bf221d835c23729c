// Shared by the reliability sections: the CLI as a user runs it, a seeded generator, tiny
// configs, and an independent check of a run folder (so the suite does not trust the
// trainer's own verification code to judge the trainer).
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { CLI, runGan, type CliResult } from '../lib/cli';

export { CLI, type CliResult };

/** One counted kind of check: `held` of `tried`, with a line per failure. */
export class Tally {
  tried = 0;
  held = 0;
  readonly failures: string[] = [];
  check(ok: boolean, what: string): boolean {
    this.tried++;
    if (ok) this.held++;
    else this.failures.push(what);
    return ok;
  }
  get ok(): boolean {
    return this.tried > 0 && this.held === this.tried;
  }
}

export function tmpDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** mulberry32: the suite's random choices are repeatable from RELIABILITY_SEED. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function gan(args: string[], env: Record<string, string> = {}, timeout = 120_000): CliResult {
  return runGan(args, { env, timeout });
}

/** Starts `gan ...` in the background; lines of stdout arrive through onLine. */
export function ganAsync(args: string[], env: Record<string, string>, onLine: (line: string) => void) {
  const child = spawn(process.execPath, [CLI, ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '',
    err = '',
    buf = '';
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  child.stdout.on('data', (d: string) => {
    out += d;
    buf += d;
    let i;
    while ((i = buf.indexOf('\n')) >= 0) {
      onLine(buf.slice(0, i));
      buf = buf.slice(i + 1);
    }
  });
  child.stderr.on('data', (d: string) => {
    err += d;
  });
  const done = new Promise<CliResult>((resolve) =>
    child.on('close', (code) => resolve({ code, stdout: out, stderr: err })),
  );
  return { child, done };
}

/** The tiny MLP GAN on 256 MNIST digits (28x28, batch 8) with overrides; returns the config path. */
export function tinyConfig(dir: string, overrides: Record<string, unknown> = {}, file = 'gan.config.json'): string {
  const cfg = {
    name: 'tiny',
    model: 'gan',
    dataset: { kind: 'mnist', limit: 256 },
    imageSize: 28,
    batchSize: 8,
    steps: 10,
    seed: 1,
    logEvery: 1,
    sampleEvery: 1000,
    checkpointEvery: 1,
    keepCheckpoints: 3,
    params: { latentDim: 8, ngf: 4, ndf: 4 },
    ...overrides,
  };
  const p = path.join(dir, file);
  fs.writeFileSync(p, JSON.stringify(cfg, null, 2));
  return p;
}

const sha = (f: string) => createHash('sha256').update(fs.readFileSync(f)).digest('hex');

/** Undefined when the checkpoint folder is complete and every file matches state.json's checksums. */
export function checkpointProblem(dir: string): string | undefined {
  let state: { step?: unknown; files?: Record<string, string>; networks?: string[] };
  try {
    state = JSON.parse(fs.readFileSync(path.join(dir, 'state.json'), 'utf8'));
  } catch {
    return `${dir}: no readable state.json`;
  }
  if (!Number.isInteger(state.step)) return `${dir}: state.json has no step`;
  if (!state.files || !Object.keys(state.files).length) return `${dir}: state.json lists no checksums`;
  for (const n of state.networks ?? [])
    if (!state.files[`${n}/model.json`] || !state.files[`${n}/weights.bin`])
      return `${dir}: ${n} is not in the checksums`;
  for (const [rel, sum] of Object.entries(state.files)) {
    const f = path.join(dir, rel);
    if (!fs.existsSync(f)) return `${dir}: ${rel} missing`;
    if (sha(f) !== sum) return `${dir}: ${rel} does not match its checksum`;
  }
  return undefined;
}

/** The newest checkpoint step a resume must continue from (by this suite's own reading), or -1. */
export function newestGoodStep(runDir: string): number {
  const ck = path.join(runDir, 'checkpoints');
  if (!fs.existsSync(ck)) return -1;
  let best = -1;
  for (const n of fs.readdirSync(ck)) {
    const d = path.join(ck, n);
    // .tmp-* folders are unfinished writes: the trainer never loads them, so neither do we.
    if (n.startsWith('.tmp-') || !fs.statSync(d).isDirectory() || checkpointProblem(d)) continue;
    best = Math.max(best, JSON.parse(fs.readFileSync(path.join(d, 'state.json'), 'utf8')).step as number);
  }
  return best;
}

/** Every file under dir (relative paths). */
export function walk(dir: string, prefix = ''): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const rel = path.join(prefix, e.name);
    return e.isDirectory() ? [`${rel}/`, ...walk(path.join(dir, e.name), rel)] : [rel];
  });
}

/** Half-written leftovers: temporary files/folders of the atomic writers. */
export function leftovers(runDir: string): string[] {
  return walk(runDir).filter((f) => /(^|\/)\.(tmp|old)-|\.tmp$/.test(f));
}

/** metrics.jsonl's steps; throws on a line that is not JSON (a half-written line). */
export function metricSteps(runDir: string): number[] {
  const f = path.join(runDir, 'metrics.jsonl');
  if (!fs.existsSync(f)) return [];
  return fs
    .readFileSync(f, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => (JSON.parse(l) as { step: number }).step);
}

export const increasingUnique = (xs: number[]) => xs.every((x, i) => i === 0 || x > xs[i - 1]);

/** Non-empty stderr lines. */
export const errLines = (r: CliResult) => r.stderr.split('\n').filter((l) => l.trim());
