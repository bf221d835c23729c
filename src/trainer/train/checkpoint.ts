// Atomic checkpoints (DESIGN.md "The run directory"):
//   checkpoints/step-<8 digits>/<network>/{model.json, weights.bin, optimizer.json, optimizer.bin}
//   checkpoints/step-<8 digits>/state.json   written last: its presence marks a complete checkpoint
//   checkpoints/latest/                      the newest one (hard links to the step folder's files)
// Each is assembled under a temporary name, fsynced and renamed into place, so a kill at any
// moment leaves either the previous or the new checkpoint, never half of one.
// state.json also records a sha256 of every other file: a checkpoint damaged later (a bad
// disk, a copy cut short) is recognised on load and the previous good one used instead.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type * as tf from '@tensorflow/tfjs';
import type { ModelKind } from '../../shared/config';
import { parseStepName, RUN_FILES, runPaths, stepName } from '../../shared/runDir';
import type { BatchStreamState } from '../data/batches';
import { fsyncDir, writeFileSynced } from '../engine/files';
import { loadModel, loadOptimizer, saveModel, saveOptimizer } from '../engine/modelIO';
import { isRngSnapshot, type RngSnapshot } from '../engine/rng';
import { InputError } from './errors';
import type { ModelSpec, Networks, Optimizers } from '../models/family';

export const STATE_FILE = 'state.json';

export interface CheckpointState {
  version: 1;
  step: number;
  epoch: number;
  model: ModelKind;
  spec: ModelSpec;
  networks: string[];
  /** The run's generator (Math.random for tfjs, noise for each step). */
  rng: RngSnapshot;
  /** Where the shuffled batch stream stands. */
  data: BatchStreamState;
  /** Seed of the fixed sample inputs: the same grid before and after a resume. */
  sampleSeed: number;
  backend: string;
  time: string;
  /** sha256 (hex) of every file of the checkpoint but state.json, by relative path ("/"-separated). */
  files?: Record<string, string>;
}

/** Test-only (GAN_TEST_SLOW_CHECKPOINT_MS): pauses between the writes of a checkpoint so a test's kill lands inside one. */
async function testPause(): Promise<void> {
  const ms = Number(process.env.GAN_TEST_SLOW_CHECKPOINT_MS);
  if (ms > 0) await new Promise((r) => setTimeout(r, ms));
}

function sha256(file: string): string {
  return createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

/** Relative paths of every file under dir, "/"-separated, sorted. */
function filesUnder(dir: string, prefix = ''): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) =>
      e.isDirectory() ? filesUnder(path.join(dir, e.name), `${prefix}${e.name}/`) : [`${prefix}${e.name}`],
    )
    .sort();
}

function removeDir(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
}

/** Hard-links (or copies, where links fail) every file of src into dst. */
function linkTree(src: string, dst: string): void {
  fs.mkdirSync(dst, { recursive: true });
  for (const e of fs.readdirSync(src, { withFileTypes: true })) {
    const s = path.join(src, e.name),
      d = path.join(dst, e.name);
    if (e.isDirectory()) linkTree(s, d);
    else {
      try {
        fs.linkSync(s, d);
      } catch {
        fs.copyFileSync(s, d);
      }
    }
  }
  fsyncDir(dst);
}

/** Puts `tmp` at `dest`, replacing any folder there without a moment where neither is complete on disk. */
function swapInto(tmp: string, dest: string): void {
  const parent = path.dirname(dest);
  if (fs.existsSync(dest)) {
    const old = path.join(parent, `.old-${path.basename(dest)}-${process.pid}`);
    removeDir(old);
    fs.renameSync(dest, old);
    fs.renameSync(tmp, dest);
    fsyncDir(parent);
    removeDir(old);
  } else {
    fs.renameSync(tmp, dest);
  }
  fsyncDir(parent);
}

export async function saveCheckpoint(
  runDir: string,
  nets: Networks,
  optimizers: Optimizers,
  state: CheckpointState,
  keep: number,
): Promise<string> {
  const p = runPaths(runDir);
  fs.mkdirSync(p.checkpoints, { recursive: true });
  const name = stepName(state.step);
  const tmp = path.join(p.checkpoints, `.tmp-${name}-${process.pid}`);
  const tmpLatest = path.join(p.checkpoints, `.tmp-${RUN_FILES.latest}-${process.pid}`);
  const final = p.checkpoint(state.step);
  try {
    removeDir(tmp);
    fs.mkdirSync(tmp);
    for (const [netName, model] of Object.entries(nets)) {
      const dir = path.join(tmp, netName);
      await saveModel(model, dir);
      const opt = optimizers[netName];
      if (opt) await saveOptimizer(opt, dir);
      fsyncDir(dir);
      await testPause();
    }
    const files = Object.fromEntries(filesUnder(tmp).map((f) => [f, sha256(path.join(tmp, f))]));
    writeFileSynced(path.join(tmp, STATE_FILE), JSON.stringify({ ...state, files }, null, 2));
    fsyncDir(tmp);
    await testPause();
    swapInto(tmp, final);

    removeDir(tmpLatest);
    linkTree(final, tmpLatest);
    await testPause();
    swapInto(tmpLatest, p.latest);
  } catch (e) {
    // A failed write (disk full, read-only folder) leaves no half checkpoint behind.
    removeDir(tmp);
    removeDir(tmpLatest);
    const err = e as NodeJS.ErrnoException;
    throw new CheckpointWriteError(
      `cannot save the checkpoint of step ${state.step} in ${p.checkpoints}: ${describeFsError(err)}`,
    );
  }
  pruneCheckpoints(runDir, keep);
  return final;
}

/** Writing a checkpoint failed (disk full, no permission); the previous checkpoints are intact. */
export class CheckpointWriteError extends Error {
  override name = 'CheckpointWriteError';
}

/** "no space left on the disk (ENOSPC)" rather than a bare errno line. */
export function describeFsError(e: NodeJS.ErrnoException): string {
  const why: Record<string, string> = {
    ENOSPC: 'no space left on the disk',
    EDQUOT: 'disk quota exceeded',
    EROFS: 'the file system is read-only',
    EACCES: 'permission denied',
    EPERM: 'operation not permitted',
    EIO: 'input/output error',
  };
  return e.code && why[e.code] ? `${why[e.code]} (${e.code})` : (e.message ?? String(e)).split('\n')[0];
}

/** Step folders, newest first. */
export function listStepCheckpoints(runDir: string): Array<{ step: number; dir: string }> {
  const dir = runPaths(runDir).checkpoints;
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .map((n) => ({ step: parseStepName(n), dir: path.join(dir, n) }))
    .filter((c): c is { step: number; dir: string } => c.step !== undefined)
    .sort((a, b) => b.step - a.step);
}

function pruneCheckpoints(runDir: string, keep: number): void {
  for (const c of listStepCheckpoints(runDir).slice(keep)) removeDir(c.dir);
}

/** Reads and checks a checkpoint folder's state.json; undefined when incomplete or foreign. */
export function readCheckpointState(dir: string): CheckpointState | undefined {
  try {
    const s = JSON.parse(fs.readFileSync(path.join(dir, STATE_FILE), 'utf8')) as CheckpointState;
    const ok =
      s &&
      s.version === 1 &&
      Number.isInteger(s.step) &&
      isRngSnapshot(s.rng) &&
      Array.isArray(s.networks) &&
      s.networks.every((n) => fs.existsSync(path.join(dir, n, 'model.json')));
    return ok ? s : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Why a checkpoint's files do not match the checksums in its state.json (missing, changed,
 * truncated), or undefined when they do. Checkpoints from before checksums pass unchecked.
 */
export function verifyCheckpoint(dir: string, state: CheckpointState): string | undefined {
  if (!state.files) return undefined;
  for (const [rel, sum] of Object.entries(state.files)) {
    const file = path.join(dir, ...rel.split('/'));
    if (!fs.existsSync(file)) return `${rel} is missing`;
    if (sha256(file) !== sum) return `${rel} does not match its checksum`;
  }
  return undefined;
}

export interface FoundCheckpoint {
  dir: string;
  state: CheckpointState;
  /** One line per newer checkpoint that was damaged and passed over. */
  warnings: string[];
}

/**
 * The checkpoint a resume (or gan sample / translate on a run) starts from: the newest whose
 * files verify. Candidates are `latest`, the step folders and a previous `latest` (if a kill
 * hit the moment `latest` was being swapped). A damaged newer one is named in `warnings`.
 */
export function findResumeCheckpoint(runDir: string): FoundCheckpoint | undefined {
  const p = runPaths(runDir);
  const olds = fs.existsSync(p.checkpoints)
    ? fs
        .readdirSync(p.checkpoints)
        .filter((n) => n.startsWith(`.old-${RUN_FILES.latest}-`))
        .map((n) => path.join(p.checkpoints, n))
    : [];
  const candidates = [p.latest, ...listStepCheckpoints(runDir).map((c) => c.dir), ...olds];
  const warnings: string[] = [];
  const rel = (d: string) => path.relative(runDir, d).split(path.sep).join('/');
  const states = candidates
    .map((dir) => {
      const state = readCheckpointState(dir);
      // A step folder with an unreadable state.json was complete once (it is renamed into place whole).
      if (!state && dir !== p.latest && parseStepName(path.basename(dir)) !== undefined)
        warnings.push(`checkpoint ${rel(dir)} is damaged (state.json unreadable)`);
      return { dir, state };
    })
    .filter((c): c is { dir: string; state: CheckpointState } => !!c.state)
    .sort((a, b) => b.state.step - a.state.step);
  for (const c of states) {
    const why = verifyCheckpoint(c.dir, c.state);
    if (!why) return { ...c, warnings };
    warnings.push(`checkpoint ${rel(c.dir)} (step ${c.state.step}) is damaged: ${why}`);
  }
  return undefined;
}

/**
 * A checkpoint named on the command line: a checkpoint folder or a run (its newest good
 * checkpoint). A damaged checkpoint inside a run falls back to that run's newest good one;
 * `warnings` says so. Undefined when nothing usable is there.
 */
export function openCheckpoint(dirArg: string): FoundCheckpoint | undefined {
  const dir = path.resolve(dirArg);
  const state = readCheckpointState(dir);
  if (state) {
    const why = verifyCheckpoint(dir, state);
    if (!why) return { dir, state, warnings: [] };
    const runDir = path.dirname(path.dirname(dir));
    const damaged = `checkpoint ${dir} (step ${state.step}) is damaged: ${why}`;
    if (path.basename(path.dirname(dir)) !== RUN_FILES.checkpoints) return undefined;
    const found = findResumeCheckpoint(runDir);
    return (
      found && { ...found, warnings: [damaged, ...found.warnings.filter((w) => !w.includes(`(step ${state.step})`))] }
    );
  }
  return fs.existsSync(runPaths(dir).checkpoints) ? findResumeCheckpoint(dir) : undefined;
}

/**
 * openCheckpoint for a folder the user named (gan sample, upscale, translate): an InputError
 * "<what>: <dir> (expected <expected>)" when nothing usable is there, and each damaged
 * checkpoint passed over said on stderr with the one used instead.
 */
export function requireCheckpoint(dir: string, what: string, expected: string): FoundCheckpoint {
  const found = openCheckpoint(dir);
  if (!found) throw new InputError(`${what}: ${dir} (expected ${expected}${damagedCheckpointsNote(dir)})`);
  for (const w of found.warnings)
    process.stderr.write(`gan: warning: ${w}; using ${found.dir} (step ${found.state.step})\n`);
  return found;
}

/**
 * Removes what killed writers left behind: .tmp-* / .old-* checkpoint folders and the
 * .<name>.<pid>.tmp files of writeFileAtomic in the run and samples folders (other processes' only).
 */
export function removeStaleTemporaries(runDir: string): void {
  const p = runPaths(runDir);
  const clean = (dir: string, stale: (n: string) => boolean) => {
    if (!fs.existsSync(dir)) return;
    for (const n of fs.readdirSync(dir))
      if (stale(n) && !n.includes(`-${process.pid}`) && !n.includes(`.${process.pid}.`)) removeDir(path.join(dir, n));
  };
  clean(p.checkpoints, (n) => /^\.(tmp|old)-/.test(n));
  clean(runDir, (n) => /^\..*\.\d+\.tmp$/.test(n));
  clean(p.samples, (n) => /^\..*\.\d+\.tmp$/.test(n));
}

/** The damaged checkpoints of a run when none is usable: for a one-line error. */
export function damagedCheckpointsNote(runDir: string): string {
  const p = runPaths(runDir);
  const n = listStepCheckpoints(runDir).length + (fs.existsSync(p.latest) ? 1 : 0);
  return n ? ` (${n} checkpoint folder${n > 1 ? 's' : ''} found, all damaged or incomplete)` : '';
}

/** Loads every network and restores its optimizer state. */
export async function loadCheckpointNetworks(
  dir: string,
  state: CheckpointState,
  makeOptimizer: () => tf.Optimizer,
): Promise<{ nets: Networks; optimizers: Optimizers }> {
  const nets: Networks = {};
  const optimizers: Optimizers = {};
  for (const name of state.networks) {
    nets[name] = await loadModel(path.join(dir, name));
    if (fs.existsSync(path.join(dir, name, 'optimizer.json'))) {
      optimizers[name] = makeOptimizer();
      await loadOptimizer(optimizers[name], path.join(dir, name));
    }
  }
  return { nets, optimizers };
}
