// Runs every conformance case on one backend and on cpu in this process and prints one JSON
// line per case: the largest absolute difference, relative to the largest reference value.
// A separate process per backend, because `native` replaces kernels of the wasm backend.
// Results are read with `await data()` on every backend (webgpu has no synchronous read in Node).
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../src/trainer/engine/backend';
import { isBackendName } from '../../src/shared/backends';
import { uninstallFastGradients, installFastGradients } from '../../src/trainer/engine/fastGradients';
import { releaseGpu } from '../../src/trainer/engine/gpu/webgpu';
import { CASES, type Case } from './cases';

function rand(shape: number[], seed: number): Float32Array {
  let s = seed >>> 0 || 1;
  const n = shape.reduce((a, b) => a * b, 1);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    out[i] = ((s >>> 0) / 4294967296) * 2 - 1;
  }
  return out;
}

/**
 * Forward output and d(sum(out * r))/d(input) for every input, as plain arrays. Read with
 * `await data()` on every backend: webgpu has no synchronous read in Node.
 */
async function evaluate(fn: Case['fn'], shapes: number[][], seed: number): Promise<Float32Array[]> {
  const results = tf.tidy(() => {
    const xs = shapes.map((s, i) => tf.tensor(rand(s, seed + i), s));
    const out = fn(...xs);
    const r = tf.tensor(rand(out.shape, seed + 99), out.shape);
    const grads = tf.grads((...ins: tf.Tensor[]) => tf.sum(tf.mul(fn(...ins), r)))(xs);
    return [out, ...grads];
  });
  try {
    return await Promise.all(results.map(async (t) => (await t.data()) as Float32Array));
  } finally {
    tf.dispose(results);
  }
}

function relErr(a: Float32Array, ref: Float32Array): number {
  if (a.length !== ref.length) return Infinity;
  let maxDiff = 0;
  let maxRef = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i] - ref[i]);
    if (!(d <= maxDiff)) maxDiff = d; // also catches NaN
    maxRef = Math.max(maxRef, Math.abs(ref[i]));
  }
  return maxDiff / Math.max(1, maxRef);
}

async function main(): Promise<void> {
  const backend = process.argv[2];
  if (!isBackendName(backend)) throw new Error(`unknown backend ${backend}`);
  const inUse = await initBackend(backend, { threads: 2, warn: (m) => process.stderr.write(`warning: ${m}\n`) });
  const tfBackend = tf.getBackend();
  // webgpu hands an op on small tensors still in host memory to the cpu backend's own code (the
  // reference itself): off here, so that every case runs webgpu's shaders.
  if (tfBackend === 'webgpu') tf.env().set('WEBGPU_CPU_FORWARD', false);
  for (const [i, c] of CASES.entries()) {
    const seed = 1000 + i * 17;
    let line: object;
    try {
      const got = await evaluate(c.fn, c.shapes, seed);
      // The reference: pure-JS kernels, tfjs's own gradients, independent formulations.
      await tf.setBackend('cpu');
      uninstallFastGradients();
      const ref = await evaluate(c.ref ?? c.fn, c.shapes, seed);
      installFastGradients();
      await tf.setBackend(tfBackend);
      line = { name: c.name, backend: inUse, errors: got.map((g, k) => relErr(g, ref[k])) };
    } catch (e) {
      installFastGradients();
      await tf.setBackend(tfBackend);
      line = { name: c.name, backend: inUse, error: (e as Error).message };
    }
    process.stdout.write(JSON.stringify(line) + '\n');
  }
  // Dawn keeps the process alive while a device exists.
  releaseGpu();
}

main().catch((e) => {
  process.stderr.write(`${(e as Error).stack}\n`);
  process.exit(1);
});
