// The latent-space explorer's engine (gan, dcgan, cgan): images for chosen seeds, spherical
// paths between two seeds' z, truncation toward z = 0, and a row per class for conditional
// families. Seed s gives the z of `gan sample --seed s`'s first image (same Rng stream), so a
// cell of the explorer can be reproduced from the command line.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import type { LatentSamplesJob } from '../../shared/inferProtocol';
import { gridPng, imagePng, type ImageBatch } from '../engine/imageGrid';
import { loadModel } from '../engine/modelIO';
import { Rng } from '../engine/rng';
import { getFamily, type ModelFamily, type Networks } from '../models';
import { familyInfo, kindsWhere } from '../models/infos';
import { oneHot } from '../models/common/latentFamily';
import { requireCheckpoint, type CheckpointState } from '../train/checkpoint';
import { InputError } from '../train/errors';
import { generateBatch } from '../train/samples';
import { drawingNetwork } from '../train/weightAverage';

/** The Rng stream `gan sample` draws its noise from (cli/sample.ts). */
export const SAMPLE_CLI_STREAM = 3;
/** Images per generator call: bounded memory whatever the grid. */
const CHUNK = 64;

export interface LatentGenerator {
  dir: string;
  state: CheckpointState;
  family: ModelFamily;
  nets: Networks;
  dispose(): void;
}

/** A checkpoint (or a run: its newest good one) whose family draws from noise, or an InputError. */
export function resolveLatent(dirArg: string): { dir: string; state: CheckpointState } {
  const arg = path.resolve(dirArg);
  if (!fs.existsSync(arg)) throw new InputError(`checkpoint folder not found: ${arg}`);
  const { dir, state } = requireCheckpoint(arg, 'not a checkpoint folder', 'state.json and generator/model.json');
  if (!familyInfo(state.model)?.latent) {
    throw new InputError(
      `${dir} is a "${state.model}" checkpoint; the latent-space explorer needs ${kindsWhere((f) => f.latent).join(', ')}`,
    );
  }
  return { dir, state };
}

/** Loads the drawing generator (its weight average when the run kept one), as `gan sample` does. */
export async function loadLatentGenerator(ck: { dir: string; state: CheckpointState }): Promise<LatentGenerator> {
  const family = getFamily(ck.state.model);
  const net = drawingNetwork('generator', ck.state.networks);
  const G = await loadModel(path.join(ck.dir, net));
  return { ...ck, family, nets: { [net]: G }, dispose: () => G.dispose() };
}

/** The z of seed `seed`: the first latentDim normals of `gan sample --seed seed`. */
export function seedZ(seed: number, latentDim: number): Float32Array {
  return new Rng(seed, SAMPLE_CLI_STREAM).normals(latentDim);
}

/** Spherical interpolation from p (t = 0) to q (t = 1); the ends are p and q exactly. */
export function slerp(p: Float32Array, q: Float32Array, t: number): Float32Array {
  if (t <= 0) return Float32Array.from(p);
  if (t >= 1) return Float32Array.from(q);
  let dot = 0,
    np = 0,
    nq = 0;
  for (let i = 0; i < p.length; i++) {
    dot += p[i] * q[i];
    np += p[i] * p[i];
    nq += q[i] * q[i];
  }
  const cos = np && nq ? Math.max(-1, Math.min(1, dot / Math.sqrt(np * nq))) : 1;
  const omega = Math.acos(cos),
    sin = Math.sin(omega);
  // Nearly parallel (or a zero vector): the arc is a line.
  const [a, b] = sin < 1e-6 ? [1 - t, t] : [Math.sin((1 - t) * omega) / sin, Math.sin(t * omega) / sin];
  return p.map((v, i) => a * v + b * q[i]);
}

/** `steps` points from p to q, both ends included. */
export function slerpPath(p: Float32Array, q: Float32Array, steps: number): Float32Array[] {
  return Array.from({ length: steps }, (_, k) => slerp(p, q, k / (steps - 1)));
}

/** The job's z's, one per column, truncated: scaled toward 0 by `truncation`. */
export function latentColumns(
  job: Pick<LatentSamplesJob, 'seeds' | 'truncation' | 'interpolate'>,
  latentDim: number,
): Float32Array[] {
  const i = job.interpolate;
  const zs = i
    ? slerpPath(seedZ(i.from, latentDim), seedZ(i.to, latentDim), i.steps)
    : job.seeds.map((s) => seedZ(s, latentDim));
  return job.truncation === 1 ? zs : zs.map((z) => z.map((v) => v * job.truncation));
}

/** The classes drawn, one row each; undefined for unconditional families. */
function rowLabels(gen: LatentGenerator, labels: number[] | undefined): (number | undefined)[] {
  if (!gen.family.info.conditional) return [undefined];
  const n = gen.state.spec.numClasses;
  const rows = labels ?? [0];
  const bad = rows.find((k) => k >= n);
  if (bad !== undefined)
    throw new InputError(`class ${bad} is not in this checkpoint (it has ${n} classes, 0 to ${n - 1})`);
  return rows;
}

/** Images for every (row label, column z), row by row, in chunks; `cancelled` is checked between chunks. */
export async function drawLatent(
  gen: LatentGenerator,
  zs: Float32Array[],
  labels: number[] | undefined,
  cancelled: () => boolean = () => false,
): Promise<ImageBatch> {
  const d = gen.state.spec.params.latentDim;
  const cells = rowLabels(gen, labels).flatMap((label) => zs.map((z) => ({ z, label })));
  const parts: ImageBatch[] = [];
  for (let at = 0; at < cells.length; at += CHUNK) {
    if (cancelled()) throw Object.assign(new Error('cancelled'), { name: 'AbortError' });
    const chunk = cells.slice(at, at + CHUNK);
    const flat = new Float32Array(chunk.length * d);
    chunk.forEach((c, i) => flat.set(c.z, i * d));
    const z = tf.tensor2d(flat, [chunk.length, d]);
    const oh = gen.family.info.conditional
      ? oneHot(
          chunk.map((c) => c.label ?? 0),
          gen.state.spec.numClasses,
        )
      : undefined;
    try {
      parts.push(
        await generateBatch(gen.family, gen.nets, { kind: 'latent', z, ...(oh ? { labels: oh } : {}) }, gen.state.spec),
      );
    } finally {
      tf.dispose([z, ...(oh ? [oh] : [])]);
    }
  }
  return concatBatches(parts);
}

function concatBatches(parts: ImageBatch[]): ImageBatch {
  if (parts.length === 1) return parts[0];
  const data = new Float32Array(parts.reduce((s, p) => s + p.data.length, 0));
  let o = 0;
  for (const p of parts) {
    data.set(p.data, o);
    o += p.data.length;
  }
  const { h, w, c } = parts[0];
  return { data, n: parts.reduce((s, p) => s + p.n, 0), h, w, c };
}

/** The job's images as PNGs, and the grid PNG (cols per row: the job's, else one row per class). */
export async function latentPngs(
  gen: LatentGenerator,
  job: LatentSamplesJob,
  cancelled?: () => boolean,
): Promise<{ batch: ImageBatch; images: Buffer[]; grid?: Buffer }> {
  const zs = latentColumns(job, gen.state.spec.params.latentDim);
  const batch = await drawLatent(gen, zs, job.labels, cancelled);
  const images = Array.from({ length: batch.n }, (_, i) => imagePng(batch, i));
  const grid = job.output !== undefined ? gridPng(batch, job.cols ?? zs.length) : undefined;
  return { batch, images, grid };
}
