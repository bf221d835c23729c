// Atomic checkpoints (DESIGN.md "The run directory"):
//   checkpoints/step-<8 digits>/<network>/{model.json, weights.bin, optimizer.json, optimizer.bin}
//   checkpoints/step-<8 digits>/state.json   written last: its presence marks a complete checkpoint
//   checkpoints/latest/                      the newest one (hard links to the step folder's files)
// Each is assembled under a temporary name, fsynced and renamed into place, so a kill at any
// moment leaves either the previous or the new checkpoint, never half of one.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type * as tf from '@tensorflow/tfjs';
import type { ModelKind } from '../../shared/config';
import { parseStepName, RUN_FILES, runPaths, stepName } from '../../shared/runDir';
import type { BatchStreamState } from '../data/batches';
import { fsyncDir, writeFileSynced } from '../engine/files';
import { loadModel, loadOptimizer, saveModel, saveOptimizer } from '../engine/modelIO';
import { isRngSnapshot, type RngSnapshot } from '../engine/rng';
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
}

function removeDir(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
}

/** Hard-links (or copies, where links fail) every file of src into dst. */
function linkTree(src: string, dst: string): void {
  fs.mkdirSync(dst, { recursive: true });
  for (const e of fs.readdirSync(src, { withFileTypes: true })) {
    const s = path.join(src, e.name), d = path.join(dst, e.name);
    if (e.isDirectory()) linkTree(s, d);
    else {
      try { fs.linkSync(s, d); } catch { fs.copyFileSync(s, d); }
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

export async function saveCheckpoint(runDir: string, nets: Networks, optimizers: Optimizers, state: CheckpointState, keep: number): Promise<string> {
  const p = runPaths(runDir);
  fs.mkdirSync(p.checkpoints, { recursive: true });
  const name = stepName(state.step);
  const tmp = path.join(p.checkpoints, `.tmp-${name}-${process.pid}`);
  removeDir(tmp);
  fs.mkdirSync(tmp);
  for (const [netName, model] of Object.entries(nets)) {
    const dir = path.join(tmp, netName);
    await saveModel(model, dir);
    const opt = optimizers[netName];
    if (opt) await saveOptimizer(opt, dir);
    fsyncDir(dir);
  }
  writeFileSynced(path.join(tmp, STATE_FILE), JSON.stringify(state, null, 2));
  fsyncDir(tmp);
  const final = p.checkpoint(state.step);
  swapInto(tmp, final);

  const tmpLatest = path.join(p.checkpoints, `.tmp-${RUN_FILES.latest}-${process.pid}`);
  removeDir(tmpLatest);
  linkTree(final, tmpLatest);
  swapInto(tmpLatest, p.latest);
  pruneCheckpoints(runDir, keep);
  return final;
}

/** Step folders, newest first. */
export function listStepCheckpoints(runDir: string): Array<{ step: number; dir: string }> {
  const dir = runPaths(runDir).checkpoints;
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir)
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
    const ok = s && s.version === 1 && Number.isInteger(s.step) && isRngSnapshot(s.rng) && Array.isArray(s.networks)
      && s.networks.every((n) => fs.existsSync(path.join(dir, n, 'model.json')));
    return ok ? s : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The checkpoint a resume starts from: `latest`, or (if a kill hit the moment `latest` was
 * being swapped) the newest complete step folder or the previous `latest`.
 */
export function findResumeCheckpoint(runDir: string): { dir: string; state: CheckpointState } | undefined {
  const p = runPaths(runDir);
  const olds = fs.existsSync(p.checkpoints)
    ? fs.readdirSync(p.checkpoints).filter((n) => n.startsWith(`.old-${RUN_FILES.latest}-`)).map((n) => path.join(p.checkpoints, n)) : [];
  const candidates = [p.latest, ...listStepCheckpoints(runDir).map((c) => c.dir), ...olds];
  let best: { dir: string; state: CheckpointState } | undefined;
  for (const dir of candidates) {
    const state = readCheckpointState(dir);
    if (state && (!best || state.step > best.state.step)) best = { dir, state };
  }
  return best;
}

/** Loads every network and restores its optimizer state. */
export async function loadCheckpointNetworks(dir: string, state: CheckpointState, makeOptimizer: () => tf.Optimizer): Promise<{ nets: Networks; optimizers: Optimizers }> {
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
