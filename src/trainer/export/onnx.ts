// A tf.LayersModel as an ONNX model (opset 17), written with our own protobuf writer
// (engine/onnx/proto.ts). The graph is walked from the model's outputs back to its inputs
// through the symbolic tensors, and each layer becomes a few ONNX nodes (export/layers.ts).
// Images are NCHW at the interface and inside the graph (ONNX's convolutions are NCHW); the
// batch dimension is dynamic ("batch"), and so are heights and widths the network leaves open
// (a fully convolutional generator: "height", "width").
import type * as tf from '@tensorflow/tfjs';
import { encodeModel, type OnnxGraph, type OnnxValueInfo } from '../engine/onnx/proto';
import { convertLayer, ExportError, GraphBuilder, weightsOf, type Value, type WeightMap } from './layers';

export const ONNX_OPSET = 17;

export interface OnnxPort {
  name: string;
  /** NCHW for images; "batch", "height", "width" for dynamic sizes. */
  shape: (number | string)[];
}

export interface OnnxExport {
  bytes: Uint8Array;
  inputs: OnnxPort[];
  outputs: OnnxPort[];
  /** What the export changed on the way (e.g. pix2pix's always-on dropout exported as identity). */
  notes: string[];
}

type Sym = tf.SymbolicTensor;

/** The symbolic tensors a layer call took (SymbolicTensor.inputs is set by Layer.apply). */
const symInputs = (t: Sym): Sym[] => (t as unknown as { inputs?: Sym[] }).inputs ?? [];

/** tfjs shape (NHWC) -> the ONNX interface's shape (NCHW), named dynamic sizes. */
function portShape(shape: readonly (number | null)[]): (number | string)[] {
  const named = shape.map(
    (d, i) =>
      d ?? (i === 0 ? 'batch' : shape.length === 4 ? (i === 1 ? 'height' : i === 2 ? 'width' : `dim${i}`) : `dim${i}`),
  );
  named[0] = 'batch';
  return shape.length === 4 ? [named[0], named[3], named[1], named[2]] : named;
}

/** A friendly interface name: a Sequential model's automatic "<layer>_input" is just "input". */
function portName(name: string, used: Set<string>): string {
  let n = /_input$/.test(name) || !/^[A-Za-z_][\w.-]*$/.test(name) ? 'input' : name;
  for (let k = 2; used.has(n); k++) n = `${n.replace(/_\d+$/, '')}_${k}`;
  used.add(n);
  return n;
}

export async function toOnnx(
  model: tf.LayersModel,
  info: { doc?: string; metadata?: Record<string, string> } = {},
): Promise<OnnxExport> {
  // Read first (async: a GPU backend's reads are), then the walk is synchronous.
  const weights = new Map<tf.layers.Layer, WeightMap>();
  for (const l of model.layers) weights.set(l, await weightsOf(l));
  const g = new GraphBuilder();
  const notes: string[] = [];
  const done = new Map<string, string>();
  const used = new Set<string>();
  const inputs: OnnxPort[] = [];
  const inputValues: OnnxValueInfo[] = [];

  model.inputs.forEach((t) => {
    const name = portName(t.sourceLayer.name, used);
    const shape = portShape(t.shape);
    inputs.push({ name, shape });
    inputValues.push({ name, shape });
    g.reserve(name);
    done.set(key(t), name);
  });

  const visit = (t: Sym): Value => {
    const k = key(t);
    const have = done.get(k);
    if (have !== undefined) return { name: have, shape: t.shape };
    const layer = t.sourceLayer;
    if (layer.getClassName() === 'InputLayer')
      throw new ExportError(`the input "${layer.name}" is not one of the model's inputs`);
    const ins = symInputs(t).map(visit);
    const out = convertLayer(g, layer, weights.get(layer) ?? new Map(), ins, t.shape, notes);
    done.set(k, out);
    return { name: out, shape: t.shape };
  };

  const outputs: OnnxPort[] = [];
  const outputValues: OnnxValueInfo[] = [];
  model.outputs.forEach((t) => {
    const v = visit(t);
    const name = portName(model.outputs.length === 1 ? 'output' : t.sourceLayer.name, used);
    g.node('Identity', [v.name], {}, name);
    const shape = portShape(t.shape);
    outputs.push({ name, shape });
    outputValues.push({ name, shape });
  });

  const graph: OnnxGraph = { nodes: g.nodes, inputs: inputValues, outputs: outputValues, initializers: g.initializers };
  const bytes = encodeModel(graph, ONNX_OPSET, {
    graphName: model.name || 'model',
    doc: info.doc,
    metadata: info.metadata,
  });
  return { bytes, inputs, outputs, notes: [...new Set(notes)] };
}

function key(t: Sym): string {
  return `${t.sourceLayer.name}:${t.nodeIndex}:${t.tensorIndex}`;
}

export { ExportError };
