// The convolution filter gradient for the webgpu backend, on tfjs-backend-webgpu's tiled conv
// program instead of its naive shader. Proven by test/conformance (webgpu vs cpu).
//
// Conv2DBackpropFilter: the package's Conv2DDerFilterProgram runs one thread per weight, each
// looping over batch x OH x OW with scalar loads; it was 62-67% of a DCGAN step's GPU time on
// llvmpipe (scripts/profile-webgpu.mjs). Here the filter gradient is a forward convolution, the
// formulation of the wasm fallback (wasmFixes.ts, written there with wasm kernels):
//   dW[a, b, c, o] = sum_{n,i,j} x[n, i*sh + a - top, j*sw + b - left, c] * dy[n, i, j, o]
// = conv of x^T [ci, H, W, n] (the input channels as the batch, the batch as the channels) with
// dy^T [OH, OW, n, co] as the filter, dilated by the forward stride, stride 1, padded by the
// forward padding at the top/left and as much as needed at the bottom/right, cropped to
// [ci, kh, kw, co] and transposed back to [kh, kw, ci, co]. The package's Conv2D runs it with
// Conv2DMMProgram (implicit im2col into shared-memory tiles), or for small outputs im2col + matmul.
//
// Conv2DBackpropInput (also every transposed conv's forward pass) stays the package's default,
// Conv2DDerInputProgram: a direct conv on vec4s that skips the stride's zero taps. Its tiled
// Conv2DDerInputMMProgram (WEBGPU_USE_NAIVE_CONV2D_TRANSPOSE = false) took 3.6x its GPU time
// over a DCGAN step on llvmpipe (and the step 1.5x as long): it multiplies the stride's zeros
// too, and a 1-channel output (the generator's last layer) fills 1 column of each 32-wide tile.
import * as tf from '@tensorflow/tfjs';

type TensorInfo = tf.TensorInfo;
type Attrs = tf.NamedAttrMap;
interface Backend {
  disposeData(dataId: object): void;
}
interface KernelArgs {
  inputs: Record<string, TensorInfo>;
  backend: Backend;
  attrs: Attrs;
}

const BACKEND = 'webgpu';

function run(name: string, backend: Backend, inputs: Record<string, TensorInfo>, attrs: Attrs): TensorInfo {
  const k = tf.getKernel(name, BACKEND);
  if (!k) throw new Error(`the webgpu backend has no ${name} kernel`);
  return k.kernelFunc({ inputs, backend, attrs } as never) as TensorInfo;
}

/**
 * The explicit padding of the dilated conv that gives dW: the forward conv's at the top and left,
 * and at the bottom and right enough for kh x kw outputs (more are cropped).
 */
function filterGradPadding(
  xShape: readonly number[],
  dyShape: readonly number[],
  filterShape: readonly number[],
  strides: [number, number],
  top: number,
  left: number,
): [[number, number], [number, number], [number, number], [number, number]] {
  const [kh, kw] = filterShape;
  const [, h, w] = xShape;
  const [, oh, ow] = dyShape;
  const bottom = Math.max(0, kh + (oh - 1) * strides[0] - top - h);
  const right = Math.max(0, kw + (ow - 1) * strides[1] - left - w);
  return [
    [0, 0],
    [top, bottom],
    [left, right],
    [0, 0],
  ];
}

/** Conv2DBackpropFilter (NHWC) as a dilated forward conv; NCHW goes to the package's kernel. */
export function makeConv2DBackpropFilterWebgpu(fallback: (a: KernelArgs) => TensorInfo) {
  return (args: KernelArgs): TensorInfo => {
    const { x, dy } = args.inputs;
    const { strides, pad, dimRoundingMode, filterShape, dataFormat } = args.attrs as {
      strides: number | [number, number];
      pad: 'same' | 'valid' | number | tf.backend_util.ExplicitPadding;
      dimRoundingMode?: 'floor' | 'round' | 'ceil';
      filterShape: [number, number, number, number];
      dataFormat?: string;
    };
    if ((dataFormat ?? 'NHWC') !== 'NHWC' || x.dtype !== 'float32' || dy.dtype !== 'float32') return fallback(args);
    const info = tf.backend_util.computeConv2DInfo(
      x.shape as [number, number, number, number],
      filterShape,
      strides,
      1,
      pad,
      dimRoundingMode,
      false,
      'channelsLast',
    );
    const [kh, kw, ci, co] = filterShape;
    const s: [number, number] = [info.strideHeight, info.strideWidth];
    const explicit = filterGradPadding(x.shape, dy.shape, filterShape, s, info.padInfo.top, info.padInfo.left);
    const b = args.backend;
    const temps: TensorInfo[] = [];
    const keep = (t: TensorInfo) => (temps.push(t), t);
    try {
      const xt = keep(run('Transpose', b, { x }, { perm: [3, 1, 2, 0] }));
      const dyt = keep(run('Transpose', b, { x: dy }, { perm: [1, 2, 0, 3] }));
      let full = keep(
        run('Conv2D', b, { x: xt, filter: dyt }, {
          strides: 1,
          dilations: s,
          dataFormat: 'NHWC',
          pad: explicit,
        } as unknown as Attrs),
      );
      if (full.shape[1] !== kh || full.shape[2] !== kw) {
        full = keep(run('Slice', b, { x: full }, { begin: [0, 0, 0, 0], size: [ci, kh, kw, co] }));
      }
      return run('Transpose', b, { x: full }, { perm: [1, 2, 0, 3] });
    } finally {
      for (const t of temps) b.disposeData(t.dataId);
    }
  };
}

let original: tf.KernelConfig | undefined;

function register(config: tf.KernelConfig): void {
  tf.unregisterKernel(config.kernelName, BACKEND);
  tf.registerKernel(config);
}

/**
 * Puts the filter gradient above in place of tfjs-backend-webgpu's; call after the package is
 * loaded (its kernels must exist). Idempotent.
 */
export function installConvGrads(): void {
  if (!original) {
    const k = tf.getKernel('Conv2DBackpropFilter', BACKEND);
    if (!k) throw new Error('tfjs-backend-webgpu has no Conv2DBackpropFilter kernel');
    original = k;
  }
  const fallback = (a: KernelArgs) => original!.kernelFunc(a as never) as TensorInfo;
  register({
    kernelName: 'Conv2DBackpropFilter',
    backendName: BACKEND,
    kernelFunc: makeConv2DBackpropFilterWebgpu(fallback) as unknown as tf.KernelFunc,
  });
}

/** The package's own kernel again (for side-by-side measurements). */
export function uninstallConvGrads(): void {
  if (original) register(original);
}
