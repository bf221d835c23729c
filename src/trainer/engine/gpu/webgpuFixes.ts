// Corrections to tfjs-backend-webgpu 4.22 kernels, proven by test/conformance (webgpu vs cpu).
//
// MatMul with transposeB (BatchMatMul, _FusedMatMul): for a small output and a long inner
// dimension (batch 1, K >= 2000, few 32x32 tiles) the package picks MatMulSplitKProgram, whose
// vec4 path (K and N multiples of 4) reads B as if it were not transposed: 4 consecutive values
// along K are used as 4 columns. Measured on llvmpipe: dy[2,12544] x W[100,12544]^T (the DCGAN
// dense layer's input gradient) off by 1.07 relative; the same product with B transposed first
// matches cpu to 5e-7. MatMulPackedProgram guards against this (`&& !transposeB`), split-K does
// not. Fix: in the cases that can reach split-K, transpose B on the GPU and multiply without
// transposeB (an extra K x N copy, only for batch-1 products with K >= 2000).
import * as tf from '@tensorflow/tfjs';

type TensorInfo = tf.TensorInfo;
interface MatMulArgs {
  inputs: { a: TensorInfo; b: TensorInfo } & Record<string, TensorInfo | undefined>;
  backend: { disposeData(dataId: object): void };
  attrs: { transposeA?: boolean; transposeB?: boolean } & Record<string, unknown>;
}

/** tfjs-backend-webgpu's split-K threshold on the inner dimension (BatchMatMul_impl). */
const SPLIT_K_MIN_INNER = 2000;

/** Whether the package's own kernel could choose split-K with a transposed B for these inputs. */
export function mayHitSplitKTransposeB(a: TensorInfo, b: TensorInfo, transposeB: boolean): boolean {
  if (!transposeB) return false;
  const batch = (s: readonly number[]) => s.slice(0, -2).reduce((x, y) => x * y, 1);
  return Math.max(batch(a.shape), batch(b.shape)) === 1 && b.shape[b.shape.length - 1] >= SPLIT_K_MIN_INNER;
}

function wrapMatMul(kernelName: string): void {
  const orig = tf.getKernel(kernelName, 'webgpu');
  const transpose = tf.getKernel('Transpose', 'webgpu');
  if (!orig || !transpose) throw new Error(`tfjs-backend-webgpu has no ${orig ? 'Transpose' : kernelName} kernel`);
  const kernelFunc = (args: MatMulArgs): TensorInfo | TensorInfo[] => {
    const { a, b } = args.inputs;
    if (!mayHitSplitKTransposeB(a, b, !!args.attrs.transposeB)) return orig.kernelFunc(args as never);
    const rank = b.shape.length;
    const perm = [...Array(rank - 2).keys(), rank - 1, rank - 2];
    const bT = transpose.kernelFunc({
      inputs: { x: b },
      backend: args.backend,
      attrs: { perm },
    } as never) as TensorInfo;
    try {
      return orig.kernelFunc({
        ...args,
        inputs: { ...args.inputs, b: bT },
        attrs: { ...args.attrs, transposeB: false },
      } as never);
    } finally {
      args.backend.disposeData(bT.dataId);
    }
  };
  tf.unregisterKernel(kernelName, 'webgpu');
  tf.registerKernel({
    kernelName,
    backendName: 'webgpu',
    kernelFunc: kernelFunc as unknown as tf.KernelFunc,
    setupFunc: orig.setupFunc,
    disposeFunc: orig.disposeFunc,
  });
}

let installed = false;
/** Replaces the faulty webgpu kernels; call after tfjs-backend-webgpu is loaded. Idempotent. */
export function installWebgpuFixes(): void {
  if (installed) return;
  installed = true;
  wrapMatMul('BatchMatMul');
  wrapMatMul('_FusedMatMul');
}
