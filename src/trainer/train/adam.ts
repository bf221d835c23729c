// Adam (Kingma & Ba 2015) as tfjs's AdamOptimizer computes it, with each weight's update in its
// own tidy. tfjs 4.22 updates every weight inside one tidy, so the ~10 full-size temporaries of
// every weight stay alive until the last weight is done: for pix2pix's 57M weights that is
// ~2.4 GB on top of the weights, the moments and the gradients (the step's memory peak,
// 3.8 GB). Same state (moments, accBeta1/2), same names and weights in checkpoints. On the wasm
// backend (so on native) each weight is updated in one pass over its memory (updateInHeap);
// elsewhere with tfjs's ops, in tfjs's order.
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { heapF32 } from '../engine/wasmHeap';

interface Slot {
  originalName: string;
  variable: tf.Variable;
}
/** AdamOptimizer's fields (private in its typings; stable since tfjs 1.x). */
interface AdamState {
  accBeta1: tf.Variable;
  accBeta2: tf.Variable;
  accumulatedFirstMoment: Slot[];
  accumulatedSecondMoment: Slot[];
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  incrementIterations(): void;
}

type VariableGrads = Parameters<tf.AdamOptimizer['applyGradients']>[0];

export class Adam extends tf.AdamOptimizer {
  override applyGradients(variableGradients: VariableGrads): void {
    const s = this as unknown as AdamState;
    const names = Array.isArray(variableGradients)
      ? variableGradients.map((v) => v.name)
      : Object.keys(variableGradients);
    const [oneMinusAccBeta1, oneMinusAccBeta2] = tf.tidy(() => [tf.sub(1, s.accBeta1), tf.sub(1, s.accBeta2)]);
    names.forEach((name, i) => {
      const value = tf.engine().registeredVariables[name];
      s.accumulatedFirstMoment[i] ??= { originalName: `${name}/m`, variable: zerosVariable(value) };
      s.accumulatedSecondMoment[i] ??= { originalName: `${name}/v`, variable: zerosVariable(value) };
      const gradient = Array.isArray(variableGradients)
        ? (variableGradients[i] as { tensor: tf.Tensor }).tensor
        : variableGradients[name];
      if (gradient == null) return;
      const m = s.accumulatedFirstMoment[i].variable;
      const v = s.accumulatedSecondMoment[i].variable;
      if (updateInHeap(s, this.iterations, value, m, v, gradient)) return;
      tf.tidy(() => {
        const newM = tf.add(tf.mul(m, s.beta1), tf.mul(gradient, 1 - s.beta1));
        const newV = tf.add(tf.mul(v, s.beta2), tf.mul(tf.square(gradient), 1 - s.beta2));
        const mHat = tf.div(newM, oneMinusAccBeta1);
        const vHat = tf.div(newV, oneMinusAccBeta2);
        m.assign(newM);
        v.assign(newV);
        value.assign(tf.add(tf.mul(tf.div(mHat, tf.add(tf.sqrt(vHat), s.epsilon)), -s.learningRate), value));
      });
    });
    tf.dispose([oneMinusAccBeta1, oneMinusAccBeta2]);
    tf.tidy(() => {
      s.accBeta1.assign(tf.mul(s.accBeta1, s.beta1));
      s.accBeta2.assign(tf.mul(s.accBeta2, s.beta2));
    });
    s.incrementIterations();
  }
}

const wasmBackend = () => tf.backend() as BackendWasm;

/** Each tensor's float32 memory in the wasm heap; with `owned`, only if no other tensor shares it. */
function heapViews(ts: tf.Tensor[], owned: boolean): Float32Array[] | undefined {
  const b = wasmBackend();
  if (owned && ts.some((t) => b.refCount(t.dataId) !== 1)) return undefined;
  return ts.map((t) => heapF32(b, t));
}

/** A float32 tensor in the wasm heap, not yet written. */
function newHeapTensor(shape: number[]): tf.Tensor {
  const engine = tf.engine() as unknown as { makeTensorFromTensorInfo(t: tf.TensorInfo): tf.Tensor };
  return engine.makeTensorFromTensorInfo(wasmBackend().makeOutput(shape, 'float32') as tf.TensorInfo);
}

/** accBeta after `iterations` updates, as tfjs holds it: beta multiplied in float32 each step. */
function accBeta(beta: number, iterations: number): number {
  const b = Math.fround(beta);
  let acc = b;
  for (let t = 0; t < iterations; t++) acc = Math.fround(acc * b);
  return acc;
}

/**
 * One weight's Adam update as one pass over the wasm heap (wasm and native backends): tfjs's
 * ops make ~11 full-size passes, in one thread, and 4 temporaries. The moments are updated in
 * place; the weight goes to a new buffer, assigned to the variable, because tfjs-wasm's XNNPACK
 * convolutions keep a packed copy of a filter for as long as its buffer lives (an in-place
 * filter would be convolved stale). In float64 between the float32 loads and stores, so within
 * an ulp or so of tfjs's float32 ops (57M weights: ~0.4 s a step, one thread).
 */
function updateInHeap(
  s: AdamState,
  iterations: number,
  w: tf.Variable,
  m: tf.Tensor,
  v: tf.Tensor,
  g: tf.Tensor,
): boolean {
  if (tf.getBackend() !== 'wasm' || ![w, m, v, g].every((t) => t.dtype === 'float32')) return false;
  // Allocated before any view is taken: allocation may grow (and so move) the heap.
  const next = newHeapTensor(w.shape);
  // m and v are written in place, so no other tensor may see them change.
  const views = heapViews([m, v], true);
  const read = heapViews([w, g, next], false);
  if (!views || !read) {
    next.dispose();
    return false;
  }
  const [mv, vv] = views;
  const [wv, gv, out] = read;
  const { beta1, beta2 } = s;
  const c1 = 1 - beta1,
    c2 = 1 - beta2;
  // -lr * (m / bias1) / (sqrt(v / bias2) + eps), constants hoisted: one division and one root
  // an element (rounding each step to float32 as tfjs does made the loop 3.6x slower).
  const scale = -s.learningRate / (1 - accBeta(beta1, iterations));
  const invSqrtBias2 = 1 / Math.sqrt(1 - accBeta(beta2, iterations));
  const eps = s.epsilon;
  for (let i = 0; i < wv.length; i++) {
    const gi = gv[i];
    const mi = mv[i] * beta1 + gi * c1;
    const vi = vv[i] * beta2 + gi * gi * c2;
    mv[i] = mi;
    vv[i] = vi;
    out[i] = wv[i] + (scale * mi) / (Math.sqrt(vi) * invSqrtBias2 + eps);
  }
  w.assign(next);
  next.dispose();
  return true;
}

const zerosVariable = (like: tf.Tensor) => tf.tidy(() => tf.zerosLike(like).variable(false));

/** tf.train.adam's defaults (epsilon from the backend). */
export function adam(learningRate: number, beta1 = 0.9, beta2 = 0.999): tf.Optimizer {
  return new Adam(learningRate, beta1, beta2);
}
