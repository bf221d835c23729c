// Kernels the tfjs 4.22 wasm backend lacks or gets wrong, built from its own fast kernels.
// Identity and Cast copy their input on wasm, where the cpu backend shares it; tfjs clones every
// tensor it saves for a gradient (engine.saveTensorsForBackwardMode), so on wasm each saved
// activation was a second full copy and a memcpy (CycleGAN 64: 687 MB copied a step).
// Conv2DBackpropFilter is missing (and Conv3DBackpropFilterV2 is wrong for stride > 1), so the
// filter gradient is computed as a forward conv: x transposed to [ci, H, W, n] convolved with
// dy transposed to [OH, OW, n, co], dilated by the forward stride. That runs on XNNPACK.
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

type TensorInfo = tf.TensorInfo;
type Attrs = tf.NamedAttrMap;

function run(name: string, backend: BackendWasm, inputs: Record<string, TensorInfo>, attrs: Attrs): TensorInfo {
  const k = tf.getKernel(name, 'wasm');
  if (!k) throw new Error(`wasm backend has no ${name} kernel`);
  return k.kernelFunc({ inputs, backend, attrs }) as TensorInfo;
}

export function conv2DBackpropFilterWasm(args: {
  inputs: Record<string, TensorInfo>;
  backend: BackendWasm;
  attrs: Attrs;
}): TensorInfo {
  const { x, dy } = args.inputs;
  const { strides, pad, dimRoundingMode, filterShape } = args.attrs as {
    strides: number | [number, number];
    pad: 'same' | 'valid' | number;
    dimRoundingMode?: 'floor' | 'round' | 'ceil';
    filterShape: [number, number, number, number];
  };
  const b = args.backend;
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
  const [, h, w] = x.shape;
  const [, oh, ow] = dy.shape;
  const bottom = Math.max(0, kh + (oh - 1) * info.strideHeight - info.padInfo.top - h);
  const right = Math.max(0, kw + (ow - 1) * info.strideWidth - info.padInfo.left - w);
  const temps: TensorInfo[] = [];
  const keep = (t: TensorInfo) => (temps.push(t), t);
  try {
    const xt = keep(run('Transpose', b, { x }, { perm: [3, 1, 2, 0] }));
    const dyt = keep(run('Transpose', b, { x: dy }, { perm: [1, 2, 0, 3] }));
    const full = keep(
      run(
        'Conv2D',
        b,
        { x: xt, filter: dyt },
        {
          strides: 1,
          dilations: [info.strideHeight, info.strideWidth],
          dataFormat: 'NHWC',
          pad: [
            [0, 0],
            [info.padInfo.top, bottom],
            [info.padInfo.left, right],
            [0, 0],
          ],
        },
      ),
    );
    const crop = keep(run('Slice', b, { x: full }, { begin: [0, 0, 0, 0], size: [ci, kh, kw, co] }));
    return run('Transpose', b, { x: crop }, { perm: [1, 2, 0, 3] });
  } finally {
    for (const t of temps) b.disposeData(t.dataId);
  }
}

/**
 * dx of a conv as a forward conv on XNNPACK: dy with (stride - 1) zeros inserted between
 * samples, padded, convolved with the spatially flipped filter [kh, kw, out, in]. tfjs-wasm's own
 * Conv2DBackpropInput is a naive loop and the slowest kernel of a DCGAN step (it is also every
 * transposed conv's forward pass); this is several times faster despite the zero MACs.
 */
export function makeConv2DBackpropInputWasm(fallback: (a: object) => TensorInfo) {
  return (args: { inputs: Record<string, TensorInfo>; backend: BackendWasm; attrs: Attrs }): TensorInfo => {
    const { dy, filter } = args.inputs;
    const { strides, pad, dimRoundingMode, inputShape } = args.attrs as {
      strides: number | [number, number];
      pad: 'same' | 'valid' | number;
      dimRoundingMode?: 'floor' | 'round' | 'ceil';
      inputShape: [number, number, number, number];
    };
    const info = tf.backend_util.computeConv2DInfo(
      inputShape,
      filter.shape as [number, number, number, number],
      strides,
      1,
      pad,
      dimRoundingMode,
      false,
      'channelsLast',
    );
    const [n, h, w] = inputShape;
    const [kh, kw] = filter.shape;
    const [, oh, ow, co] = dy.shape;
    const [sh, sw] = [info.strideHeight, info.strideWidth];
    const before = [kh - 1 - info.padInfo.top, kw - 1 - info.padInfo.left];
    const after = [h + info.padInfo.top - oh * sh, w + info.padInfo.left - ow * sw];
    if (Math.min(...before, ...after) < 0 || dy.dtype !== 'float32') return fallback(args);
    const b = args.backend;
    const temps: TensorInfo[] = [];
    const keep = (t: TensorInfo) => (temps.push(t), t);
    try {
      let up = dy;
      if (sh > 1 || sw > 1) {
        const r = keep(run('Reshape', b, { x: dy }, { shape: [n, oh, 1, ow, 1, co] }));
        const p = keep(
          run(
            'PadV2',
            b,
            { x: r },
            {
              paddings: [
                [0, 0],
                [0, 0],
                [0, sh - 1],
                [0, 0],
                [0, sw - 1],
                [0, 0],
              ],
              constantValue: 0,
            },
          ),
        );
        up = keep(run('Reshape', b, { x: p }, { shape: [n, oh * sh, ow * sw, co] }));
      }
      const flipped = keep(run('Reverse', b, { x: filter }, { dims: [0, 1] }));
      const f = keep(run('Transpose', b, { x: flipped }, { perm: [0, 1, 3, 2] }));
      return run(
        'Conv2D',
        b,
        { x: up, filter: f },
        {
          strides: 1,
          dilations: 1,
          dataFormat: 'NHWC',
          pad: [
            [0, 0],
            [before[0], after[0]],
            [before[1], after[1]],
            [0, 0],
          ],
        },
      );
    } finally {
      for (const t of temps) b.disposeData(t.dataId);
    }
  };
}

/** Identity, and Cast to the same type: a new handle on the same heap memory, as on cpu. */
export function makeSharingIdentity(fallback: (a: object) => TensorInfo) {
  return (args: { inputs: Record<string, TensorInfo>; backend: BackendWasm; attrs?: Attrs }): TensorInfo => {
    const { x } = args.inputs;
    const dtype = (args.attrs?.dtype as tf.DataType | undefined) ?? x.dtype;
    if (dtype !== x.dtype || x.dtype === 'string') return fallback(args);
    args.backend.incRef(x.dataId);
    return { dataId: x.dataId, shape: x.shape, dtype };
  };
}
