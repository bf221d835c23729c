// The gradient of reflection padding as one kernel on the wasm heap (wasm and native backends).
// Built from tfjs ops (models/blocks/reflectionPad.ts foldAxis, kept for cpu and webgpu) it is
// about ten full-size passes: slices, reverses, zero-padding each folded band back to full size
// and adding it (CycleGAN 256: Slice + Reverse + PadV2 + their Adds ~4 s of a 40 s step).
// Here: zero dx, then add every element of dy into the pixel it was copied from, in one pass.
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { heapF32 } from './wasmHeap';

export const REFLECT_PAD_GRAD = 'GanReflectionPadGrad';

/** Index in an axis of length n that padded index i (padding p before) was copied from (reflect mode). */
const source = (i: number, p: number, n: number) => {
  const j = i - p;
  return j < 0 ? -j : j >= n ? 2 * (n - 1) - j : j;
};

function reflectPadGrad(args: {
  inputs: { dy: tf.TensorInfo };
  backend: BackendWasm;
  attrs: { pads: [number, number] };
}) {
  const { dy } = args.inputs;
  const [ph, pw] = args.attrs.pads;
  const [n, hp, wp, c] = dy.shape;
  const h = hp - 2 * ph,
    w = wp - 2 * pw;
  const out = args.backend.makeOutput([n, h, w, c], 'float32');
  const src = heapF32(args.backend, dy),
    dx = heapF32(args.backend, out);
  dx.fill(0);
  const cols = Int32Array.from({ length: wp }, (_, j) => source(j, pw, w));
  for (let b = 0; b < n; b++) {
    for (let i = 0; i < hp; i++) {
      const inRow = (b * hp + i) * wp * c,
        outRow = (b * h + source(i, ph, h)) * w * c;
      for (let j = 0; j < wp; j++) {
        const from = inRow + j * c,
          to = outRow + cols[j] * c;
        for (let k = 0; k < c; k++) dx[to + k] += src[from + k];
      }
    }
  }
  return out;
}

export function registerReflectPadGrad(): void {
  if (tf.getKernel(REFLECT_PAD_GRAD, 'wasm')) return;
  tf.registerKernel({
    kernelName: REFLECT_PAD_GRAD,
    backendName: 'wasm',
    kernelFunc: reflectPadGrad as unknown as tf.KernelFunc,
  });
}
