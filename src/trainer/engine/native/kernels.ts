// tfjs kernels that run on onnxruntime (MLAS) instead of tfjs-wasm. They read their inputs
// straight out of the wasm heap and write the result into a wasm-backend output tensor, so the
// rest of the graph (every op not listed here) keeps running on the wasm backend unchanged.
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { cachedSession } from '../onnx/session';
import { heapF32 } from '../wasmHeap';
import type { OnnxGraph } from '../onnx/proto';
import {
  conv2dBackpropFilterGraph,
  conv2dBackpropInputGraph,
  conv2dGraph,
  matMulGraph,
  reduceGraph,
  type FusedActivation,
  type Pads,
} from './graphs';
import { filterGradByGemmGraph, inputGradByConvGraph, useConvInputGrad, useGemmFilterGrad } from './gradGraphs';

type TensorInfo = tf.TensorInfo;
type KernelArgs = {
  inputs: Record<string, TensorInfo | undefined>;
  backend: BackendWasm;
  attrs?: Record<string, unknown>;
};
type Conv2DInfo = tf.backend_util.Conv2DInfo;

const size = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

const isFloat = (...ts: (TensorInfo | undefined)[]) => ts.every((t) => !t || t.dtype === 'float32');
const pads = (info: Conv2DInfo): Pads => ({
  top: info.padInfo.top,
  bottom: info.padInfo.bottom,
  left: info.padInfo.left,
  right: info.padInfo.right,
});

const SUPPORTED_ACTIVATIONS = new Set(['linear', 'relu', 'leakyrelu', 'sigmoid', 'elu']);

function convInfo(a: KernelArgs, xShape: number[], filterShape: number[]): Conv2DInfo {
  const attrs = a.attrs as {
    strides: number | [number, number];
    pad: 'same' | 'valid' | number;
    dilations?: number | [number, number];
    dimRoundingMode?: 'floor' | 'round' | 'ceil';
    dataFormat?: 'NHWC' | 'NCHW';
  };
  if (attrs.dataFormat && attrs.dataFormat !== 'NHWC') throw new Error('native conv kernels support NHWC only');
  return tf.backend_util.computeConv2DInfo(
    xShape as [number, number, number, number],
    filterShape as [number, number, number, number],
    attrs.strides,
    attrs.dilations ?? 1,
    attrs.pad as 'same',
    attrs.dimRoundingMode,
    false,
    'channelsLast',
  );
}

/** Runs the cached graph for `key` on the given wasm tensors and returns a wasm output tensor. */
function runGraph(
  backend: BackendWasm,
  key: string,
  build: () => { graph: OnnxGraph; inputs: string[]; output: string },
  inputs: TensorInfo[],
  outShape: number[],
): TensorInfo {
  const session = cachedSession(key, build);
  // Allocate the output first: the heap may grow (and move) on allocation, not during the run.
  const out = backend.makeOutput(outShape, 'float32');
  session.run(
    inputs.map((t) => ({ data: heapF32(backend, t), shape: t.shape })),
    { data: heapF32(backend, out), shape: outShape },
  );
  return out;
}

const geometry = (info: Conv2DInfo) =>
  `${info.strideHeight},${info.strideWidth}|${info.dilationHeight},${info.dilationWidth}|${JSON.stringify(pads(info))}`;
const convArgs = (info: Conv2DInfo) => ({
  strides: [info.strideHeight, info.strideWidth] as [number, number],
  dilations: [info.dilationHeight, info.dilationWidth] as [number, number],
  pads: pads(info),
});

/** Conv2D and FusedConv2D (bias + activation fused into the ONNX graph). */
export function makeConv2D(fallback: (a: KernelArgs) => TensorInfo) {
  return (a: KernelArgs): TensorInfo => {
    const { x, filter, bias, preluActivationWeights } = a.inputs;
    const activation = ((a.attrs?.activation as string | undefined) ?? 'linear').toLowerCase();
    if (
      !x ||
      !filter ||
      preluActivationWeights ||
      !SUPPORTED_ACTIVATIONS.has(activation) ||
      !isFloat(x, filter, bias) ||
      (bias && (bias.shape.length !== 1 || bias.shape[0] !== filter.shape[3]))
    ) {
      return fallback(a);
    }
    const info = convInfo(a, x.shape, filter.shape);
    const outShape = info.outShape as number[];
    const alpha = (a.attrs?.leakyreluAlpha as number | undefined) ?? 0.2;
    return runGraph(
      a.backend,
      `conv|${x.shape}|${filter.shape}|${geometry(info)}|${!!bias}|${activation}|${alpha}`,
      () => ({
        graph: conv2dGraph({
          xShape: x.shape,
          filterShape: filter.shape,
          outShape,
          ...convArgs(info),
          hasBias: !!bias,
          activation: activation as FusedActivation,
          leakyAlpha: alpha,
        }),
        inputs: bias ? ['x', 'w', 'b'] : ['x', 'w'],
        output: 'y',
      }),
      [x, filter, ...(bias ? [bias] : [])],
      outShape,
    );
  };
}

export function conv2DBackpropInput(a: KernelArgs): TensorInfo {
  const { dy, filter } = a.inputs as { dy: TensorInfo; filter: TensorInfo };
  const inShape = a.attrs!.inputShape as number[];
  const info = convInfo(a, inShape, filter.shape);
  const spec = { dyShape: dy.shape, filterShape: filter.shape, inShape, ...convArgs(info) };
  return runGraph(
    a.backend,
    `bpi|${dy.shape}|${filter.shape}|${inShape}|${geometry(info)}`,
    () => ({
      graph: useConvInputGrad(spec) ? inputGradByConvGraph(spec) : conv2dBackpropInputGraph(spec),
      inputs: ['dy', 'w'],
      output: 'dx',
    }),
    [dy, filter],
    [...inShape],
  );
}

export function conv2DBackpropFilter(a: KernelArgs): TensorInfo {
  const { x, dy } = a.inputs as { x: TensorInfo; dy: TensorInfo };
  const filterShape = a.attrs!.filterShape as number[];
  const info = convInfo(a, x.shape, filterShape);
  const spec = { xShape: x.shape, dyShape: dy.shape, filterShape, ...convArgs(info) };
  return runGraph(
    a.backend,
    `bpf|${x.shape}|${dy.shape}|${filterShape}|${geometry(info)}`,
    () => ({
      graph: useGemmFilterGrad(spec) ? filterGradByGemmGraph(spec) : conv2dBackpropFilterGraph(spec),
      inputs: ['x', 'dy'],
      output: 'dw',
    }),
    [x, dy],
    [...filterShape],
  );
}

function broadcastBatch(a: readonly number[], b: readonly number[]): number[] {
  const n = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const x = a[a.length - n + i] ?? 1;
    const y = b[b.length - n + i] ?? 1;
    if (x !== y && x !== 1 && y !== 1) throw new Error(`matMul batch dims ${a} and ${b} do not broadcast`);
    out.push(Math.max(x, y));
  }
  return out;
}

/** BatchMatMul and _FusedMatMul. */
export function makeMatMul(fallback: (a: KernelArgs) => TensorInfo) {
  return (args: KernelArgs): TensorInfo => {
    const { a, b, bias, preluActivationWeights } = args.inputs;
    const activation = ((args.attrs?.activation as string | undefined) ?? 'linear').toLowerCase();
    if (!a || !b || preluActivationWeights || !SUPPORTED_ACTIVATIONS.has(activation) || !isFloat(a, b, bias))
      return fallback(args);
    const transposeA = !!args.attrs?.transposeA;
    const transposeB = !!args.attrs?.transposeB;
    const m = transposeA ? a.shape[a.shape.length - 1] : a.shape[a.shape.length - 2];
    const n = transposeB ? b.shape[b.shape.length - 2] : b.shape[b.shape.length - 1];
    const outShape = [...broadcastBatch(a.shape.slice(0, -2), b.shape.slice(0, -2)), m, n];
    if (size(outShape) === 0) return fallback(args);
    const alpha = (args.attrs?.leakyreluAlpha as number | undefined) ?? 0.2;
    return runGraph(
      args.backend,
      `mm|${a.shape}|${b.shape}|${transposeA}|${transposeB}|${bias?.shape ?? '-'}|${activation}|${alpha}`,
      () => ({
        graph: matMulGraph({
          aShape: a.shape,
          bShape: b.shape,
          outShape,
          transposeA,
          transposeB,
          biasShape: bias?.shape,
          activation: activation as FusedActivation,
          leakyAlpha: alpha,
        }),
        inputs: bias ? ['a', 'b', 'bias'] : ['a', 'b'],
        output: 'y',
      }),
      [a, b, ...(bias ? [bias] : [])],
      outShape,
    );
  };
}

/**
 * Sum and Mean of a float32 tensor of at least REDUCE_MIN elements. tfjs-wasm transposes the
 * reduced axes to the end first (a full copy) and then reduces in one thread; batch and
 * instance norm reduce over N, H, W or H, W of NHWC activations on every step (CycleGAN 256:
 * Mean and Sum 19% of a step, 8.3 s). Smaller ones stay on wasm (a session call costs more).
 */
const REDUCE_MIN = 4096;
export function makeReduce(op: 'ReduceSum' | 'ReduceMean', fallback: (a: KernelArgs) => TensorInfo) {
  return (a: KernelArgs): TensorInfo => {
    const x = a.inputs.x;
    if (!x || x.dtype !== 'float32' || size(x.shape) < REDUCE_MIN) return fallback(a);
    const axes = tf.util.parseAxisParam(a.attrs!.axis as number | number[], x.shape).sort((p, q) => p - q);
    if (axes.length === 0) return fallback(a);
    const keepDims = !!a.attrs!.keepDims;
    const outShape = x.shape.flatMap((d, i) => (!axes.includes(i) ? [d] : keepDims ? [1] : []));
    return runGraph(
      a.backend,
      `${op}|${x.shape}|${axes}|${keepDims}`,
      () => ({ graph: reduceGraph({ xShape: x.shape, axes, keepDims, outShape, op }), inputs: ['x'], output: 'y' }),
      [x],
      outShape,
    );
  };
}
