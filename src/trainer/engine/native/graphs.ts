// ONNX graphs for the heavy tfjs kernels. tfjs tensors are NHWC with filters [kh, kw, in, out];
// ONNX convs are NCHW with weights [out, in, kh, kw]: the layout changes happen inside each
// graph (Transpose nodes) so MLAS can fuse or elide them and JS never copies data around.
import type { OnnxGraph, OnnxNode } from '../onnx/proto';

export interface Pads {
  top: number;
  bottom: number;
  left: number;
  right: number;
}

export type FusedActivation = 'linear' | 'relu' | 'leakyrelu' | 'sigmoid' | 'elu';

const NHWC_TO_NCHW = [0, 3, 1, 2];
const NCHW_TO_NHWC = [0, 2, 3, 1];
/** tfjs filter [kh, kw, in, out] -> ONNX Conv weight [out, in, kh, kw]. */
const FILTER_TO_OIHW = [3, 2, 0, 1];

function activationNodes(act: FusedActivation, input: string, output: string, alpha: number): OnnxNode[] {
  switch (act) {
    case 'linear':
      return [{ op: 'Identity', inputs: [input], outputs: [output] }];
    case 'relu':
      return [{ op: 'Relu', inputs: [input], outputs: [output] }];
    case 'sigmoid':
      return [{ op: 'Sigmoid', inputs: [input], outputs: [output] }];
    case 'elu':
      return [{ op: 'Elu', inputs: [input], outputs: [output], attrs: { alpha: { float: 1 } } }];
    case 'leakyrelu':
      return [{ op: 'LeakyRelu', inputs: [input], outputs: [output], attrs: { alpha: { float: alpha } } }];
  }
}

export interface Conv2DSpec {
  xShape: readonly number[];
  filterShape: readonly number[];
  outShape: readonly number[];
  strides: readonly [number, number];
  dilations: readonly [number, number];
  pads: Pads;
  hasBias: boolean;
  activation: FusedActivation;
  leakyAlpha: number;
}

/** Conv2D / FusedConv2D: y = act(conv(x, w) + b), NHWC in and out. */
export function conv2dGraph(s: Conv2DSpec): OnnxGraph {
  const convInputs = ['xc', 'wc', ...(s.hasBias ? ['b'] : [])];
  return {
    inputs: [
      { name: 'x', shape: s.xShape },
      { name: 'w', shape: s.filterShape },
      ...(s.hasBias ? [{ name: 'b', shape: [s.filterShape[3]] }] : []),
    ],
    outputs: [{ name: 'y', shape: s.outShape }],
    nodes: [
      { op: 'Transpose', inputs: ['x'], outputs: ['xc'], attrs: { perm: NHWC_TO_NCHW } },
      { op: 'Transpose', inputs: ['w'], outputs: ['wc'], attrs: { perm: FILTER_TO_OIHW } },
      {
        op: 'Conv',
        inputs: convInputs,
        outputs: ['yc'],
        attrs: {
          strides: [...s.strides],
          dilations: [...s.dilations],
          pads: [s.pads.top, s.pads.left, s.pads.bottom, s.pads.right],
        },
      },
      ...activationNodes(s.activation, 'yc', 'ya', s.leakyAlpha),
      { op: 'Transpose', inputs: ['ya'], outputs: ['y'], attrs: { perm: NCHW_TO_NHWC } },
    ],
  };
}

export interface BackpropInputSpec {
  dyShape: readonly number[];
  filterShape: readonly number[];
  /** The shape of the forward conv's input, which is this kernel's output. */
  inShape: readonly number[];
  strides: readonly [number, number];
  dilations: readonly [number, number];
  pads: Pads;
}

/**
 * dx of a forward conv = ConvTranspose(dy, w). The forward filter [kh, kw, in, out] is already
 * ConvTranspose's [C=out, M=in, kh, kw] after perm [3, 2, 0, 1]; output_padding restores the rows
 * a strided forward conv dropped, so the result has exactly the input's size.
 */
export function conv2dBackpropInputGraph(s: BackpropInputSpec): OnnxGraph {
  const [, oh, ow] = s.dyShape;
  const [kh, kw] = s.filterShape;
  const [, h, w] = s.inShape;
  const full = (o: number, k: number, st: number, d: number, p0: number, p1: number) =>
    st * (o - 1) + (k - 1) * d + 1 - p0 - p1;
  const opH = h - full(oh, kh, s.strides[0], s.dilations[0], s.pads.top, s.pads.bottom);
  const opW = w - full(ow, kw, s.strides[1], s.dilations[1], s.pads.left, s.pads.right);
  return {
    inputs: [
      { name: 'dy', shape: s.dyShape },
      { name: 'w', shape: s.filterShape },
    ],
    outputs: [{ name: 'dx', shape: s.inShape }],
    nodes: [
      { op: 'Transpose', inputs: ['dy'], outputs: ['dyc'], attrs: { perm: NHWC_TO_NCHW } },
      { op: 'Transpose', inputs: ['w'], outputs: ['wc'], attrs: { perm: FILTER_TO_OIHW } },
      {
        op: 'ConvTranspose',
        inputs: ['dyc', 'wc'],
        outputs: ['dxc'],
        attrs: {
          strides: [...s.strides],
          dilations: [...s.dilations],
          pads: [s.pads.top, s.pads.left, s.pads.bottom, s.pads.right],
          output_padding: [opH, opW],
        },
      },
      { op: 'Transpose', inputs: ['dxc'], outputs: ['dx'], attrs: { perm: NCHW_TO_NHWC } },
    ],
  };
}

export interface BackpropFilterSpec {
  xShape: readonly number[];
  dyShape: readonly number[];
  filterShape: readonly number[];
  strides: readonly [number, number];
  dilations: readonly [number, number];
  pads: Pads;
}

/**
 * dW[kh, kw, ci, co] = sum over n, oh, ow of x[n, oh*s + kh*d - pad, ow*s + kw*d - pad, ci] * dy[n, oh, ow, co].
 * That is a forward conv with the batch as channels: input x as [ci, n, H, W], weights dy as
 * [co, n, OH, OW], dilation = the forward stride, stride = the forward dilation. Its output [ci, co, KH', KW'] is
 * cropped to the filter size (KH' can exceed KH where 'same' padding added unused rows).
 */
export function conv2dBackpropFilterGraph(s: BackpropFilterSpec): OnnxGraph {
  const [, h, w] = s.xShape;
  const [, oh, ow] = s.dyShape;
  const [kh, kw] = s.filterShape;
  // Pad the far side just enough that the conv covers every filter tap (never negative).
  const [dh, dw] = s.dilations;
  const bottom = Math.max(0, (kh - 1) * dh + (oh - 1) * s.strides[0] + 1 - s.pads.top - h);
  const right = Math.max(0, (kw - 1) * dw + (ow - 1) * s.strides[1] + 1 - s.pads.left - w);
  return {
    inputs: [
      { name: 'x', shape: s.xShape },
      { name: 'dy', shape: s.dyShape },
    ],
    outputs: [{ name: 'dw', shape: s.filterShape }],
    initializers: [
      { name: 'starts', dims: [2], int64s: [0, 0] },
      { name: 'ends', dims: [2], int64s: [kh, kw] },
      { name: 'axes', dims: [2], int64s: [2, 3] },
    ],
    nodes: [
      { op: 'Transpose', inputs: ['x'], outputs: ['xc'], attrs: { perm: [3, 0, 1, 2] } },
      { op: 'Transpose', inputs: ['dy'], outputs: ['dyc'], attrs: { perm: [3, 0, 1, 2] } },
      {
        op: 'Conv',
        inputs: ['xc', 'dyc'],
        outputs: ['full'],
        attrs: { strides: [dh, dw], dilations: [...s.strides], pads: [s.pads.top, s.pads.left, bottom, right] },
      },
      { op: 'Slice', inputs: ['full', 'starts', 'ends', 'axes'], outputs: ['crop'] },
      { op: 'Transpose', inputs: ['crop'], outputs: ['dw'], attrs: { perm: [2, 3, 0, 1] } },
    ],
  };
}

export interface MatMulSpec {
  aShape: readonly number[];
  bShape: readonly number[];
  outShape: readonly number[];
  transposeA: boolean;
  transposeB: boolean;
  biasShape?: readonly number[];
  activation: FusedActivation;
  leakyAlpha: number;
}

const swapLast = (rank: number) => [...Array(rank - 2).keys(), rank - 1, rank - 2];

/** BatchMatMul / _FusedMatMul with numpy broadcasting of batch dims, as tfjs does. */
export function matMulGraph(s: MatMulSpec): OnnxGraph {
  const nodes: OnnxNode[] = [];
  let a = 'a';
  let b = 'b';
  if (s.transposeA) {
    nodes.push({ op: 'Transpose', inputs: ['a'], outputs: ['at'], attrs: { perm: swapLast(s.aShape.length) } });
    a = 'at';
  }
  if (s.transposeB) {
    nodes.push({ op: 'Transpose', inputs: ['b'], outputs: ['bt'], attrs: { perm: swapLast(s.bShape.length) } });
    b = 'bt';
  }
  nodes.push({ op: 'MatMul', inputs: [a, b], outputs: ['mm'] });
  let last = 'mm';
  if (s.biasShape) {
    nodes.push({ op: 'Add', inputs: ['mm', 'bias'], outputs: ['biased'] });
    last = 'biased';
  }
  nodes.push(...activationNodes(s.activation, last, 'y', s.leakyAlpha));
  return {
    inputs: [
      { name: 'a', shape: s.aShape },
      { name: 'b', shape: s.bShape },
      ...(s.biasShape ? [{ name: 'bias', shape: s.biasShape }] : []),
    ],
    outputs: [{ name: 'y', shape: s.outShape }],
    nodes,
  };
}

export interface ReduceSpec {
  xShape: readonly number[];
  axes: readonly number[];
  keepDims: boolean;
  outShape: readonly number[];
  op: 'ReduceSum' | 'ReduceMean';
}

/**
 * Sum or Mean over any axes. Over a block of axes that ends just before the last one (N, H, W or
 * H, W of NHWC: the norms and bias gradients) it is a matmul with a row of ones, [1, K] x
 * [K, C] for each leading index, which MLAS streams at memory speed (ReduceMean over H, W of
 * 64x64x256: 6.0 -> ~1 ms); other axes go to onnxruntime's ReduceSum / ReduceMean.
 */
export function reduceGraph(s: ReduceSpec): OnnxGraph {
  const rank = s.xShape.length;
  const first = s.axes[0];
  const block = s.axes.every((a, i) => a === first + i) && s.axes[s.axes.length - 1] === rank - 2;
  return block ? reduceByMatMulGraph(s, first) : reduceOpGraph(s);
}

function reduceByMatMulGraph(s: ReduceSpec, first: number): OnnxGraph {
  const lead = s.xShape.slice(0, first).reduce((a, b) => a * b, 1);
  const k = s.xShape.slice(first, -1).reduce((a, b) => a * b, 1);
  const c = s.xShape[s.xShape.length - 1];
  const scale = s.op === 'ReduceMean' ? 1 / k : 1;
  return {
    inputs: [{ name: 'x', shape: s.xShape }],
    outputs: [{ name: 'y', shape: s.outShape }],
    initializers: [
      { name: 'rows', dims: [3], int64s: [lead, k, c] },
      { name: 'ones', dims: [1, k], floats: new Float32Array(k).fill(scale) },
      { name: 'outShape', dims: [s.outShape.length], int64s: [...s.outShape] },
    ],
    nodes: [
      { op: 'Reshape', inputs: ['x', 'rows'], outputs: ['x3'] },
      { op: 'MatMul', inputs: ['ones', 'x3'], outputs: ['sums'] },
      { op: 'Reshape', inputs: ['sums', 'outShape'], outputs: ['y'] },
    ],
  };
}

function reduceOpGraph(s: ReduceSpec): OnnxGraph {
  const keepdims = s.keepDims ? 1 : 0;
  // Opset 17: ReduceSum takes its axes as an input, ReduceMean still as an attribute.
  const node: OnnxNode =
    s.op === 'ReduceSum'
      ? { op: 'ReduceSum', inputs: ['x', 'axes'], outputs: ['y'], attrs: { keepdims } }
      : { op: 'ReduceMean', inputs: ['x'], outputs: ['y'], attrs: { axes: [...s.axes], keepdims } };
  return {
    inputs: [{ name: 'x', shape: s.xShape }],
    outputs: [{ name: 'y', shape: s.outShape }],
    initializers: s.op === 'ReduceSum' ? [{ name: 'axes', dims: [s.axes.length], int64s: [...s.axes] }] : [],
    nodes: [node],
  };
}
