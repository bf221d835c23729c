// A rough memory estimate made before training starts, so a run that cannot fit is refused
// with numbers instead of dying halfway (or taking the machine down) with out-of-memory.
//   parameters: 4 float32 copies each (weights, gradients, Adam's two moments)
//   activations: every layer's output per image x batch size x 3 (kept for the backward pass,
//     its gradient, and the discriminator seeing both real and generated batches)
// It is deliberately simple: within a factor of ~2 of the measured peak for the built-in models.
import * as os from 'node:os';
import type { Networks } from '../models/family';
import { InputError } from './errors';

const BYTES = 4;
const ACTIVATION_FACTOR = 3;

export interface MemoryEstimate {
  params: number;
  activationBytes: number;
  totalBytes: number;
}

function perImageOutputs(shape: unknown): number {
  // A layer's outputShape is [null, ...dims] or a list of such shapes.
  if (Array.isArray(shape) && shape.length && Array.isArray(shape[0]))
    return shape.reduce((s: number, x) => s + perImageOutputs(x), 0);
  if (!Array.isArray(shape)) return 0;
  return shape.slice(1).reduce((p: number, d) => p * (typeof d === 'number' && d > 0 ? d : 1), 1);
}

export function estimateTrainingMemory(nets: Networks, batchSize: number): MemoryEstimate {
  let params = 0,
    perImage = 0;
  for (const m of Object.values(nets)) {
    params += m.countParams();
    for (const l of m.layers) {
      try {
        perImage += perImageOutputs(l.outputShape);
      } catch {
        /* a layer used twice has no single shape */
      }
    }
  }
  const activationBytes = perImage * batchSize * BYTES * ACTIVATION_FACTOR;
  return { params, activationBytes, totalBytes: params * BYTES * 4 + activationBytes };
}

const gb = (b: number) => `${(b / 2 ** 30).toFixed(b < 2 ** 30 ? 2 : 1)} GB`;

/** Throws (with the estimate) when the run would not fit in `limitMB` (default: the machine's memory). */
export function checkMemory(nets: Networks, batchSize: number, limitMB?: number): MemoryEstimate {
  const est = estimateTrainingMemory(nets, batchSize);
  const limit = limitMB !== undefined ? limitMB * 2 ** 20 : os.totalmem();
  if (est.totalBytes > limit) {
    throw new InputError(
      `this run needs about ${gb(est.totalBytes)} (${(est.params / 1e6).toFixed(2)} M parameters, ${gb(est.activationBytes)} of activations at batch ${batchSize}) ` +
        `but ${limitMB !== undefined ? `--max-memory is ${limitMB} MB` : `the machine has ${gb(limit)}`}: lower "batchSize", "imageSize" or the network widths`,
    );
  }
  return est;
}
