// Kernels the tfjs 4.22 wasm backend lacks or gets wrong, built from its own fast kernels.
// Conv2DBackpropFilter is missing (and Conv3DBackpropFilterV2 is wrong for stride > 1), so the
// filter gradient is computed as a forward conv: x transposed to [ci, H, W, n] convolved with
// dy transposed to [OH, OW, n, co], dilated by the forward stride. That runs on XNNPACK.
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

type TensorInfo = tf.TensorInfo;
type Attrs = Record<string, unknown>;

function run(name: string, backend: BackendWasm, inputs: Record<string, TensorInfo>, attrs: Attrs): TensorInfo {
  const k = tf.getKernel(name, 'wasm');
  if (!k) throw new Error(`wasm backend has no ${name} kernel`);
  return k.kernelFunc({ inputs, backend, attrs }) as TensorInfo;
}

export function conv2DBackpropFilterWasm(args: { inputs: Record<string, TensorInfo>; backend: BackendWasm; attrs: Attrs }): TensorInfo {
  const { x, dy } = args.inputs;
  const { strides, pad, dimRoundingMode, filterShape } = args.attrs as {
    strides: number | [number, number]; pad: 'same' | 'valid' | number; dimRoundingMode?: 'floor' | 'round' | 'ceil';
    filterShape: [number, number, number, number];
  };
  const b = args.backend;
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number], filterShape, strides, 1, pad, dimRoundingMode, false, 'channelsLast');
  const [kh, kw, ci, co] = filterShape;
  const [, h, w] = x.shape;
  const [, oh, ow] = dy.shape;
  const bottom = Math.max(0, kh + (oh - 1) * info.strideHeight - info.padInfo.top - h);
  const right = Math.max(0, kw + (ow - 1) * info.strideWidth - info.padInfo.left - w);
  const temps: TensorInfo[] = [];
  const keep = (t: TensorInfo) => (temps.push(t), t);
  try {
    const xt = keep(run('Transpose', b, { x }, { perm: [3, 1, 2, 0] }));
    const dyt = keep(run('Transpose', b, { x: dy }, { perm: [1, 2, 0, 3] }));
    const full = keep(run('Conv2D', b, { x: xt, filter: dyt }, {
      strides: 1, dilations: [info.strideHeight, info.strideWidth], dataFormat: 'NHWC',
      pad: [[0, 0], [info.padInfo.top, bottom], [info.padInfo.left, right], [0, 0]],
    }));
    const crop = keep(run('Slice', b, { x: full }, { begin: [0, 0, 0, 0], size: [ci, kh, kw, co] }));
    return run('Transpose', b, { x: crop }, { perm: [1, 2, 0, 3] });
  } finally {
    for (const t of temps) b.disposeData(t.dataId);
  }
}
