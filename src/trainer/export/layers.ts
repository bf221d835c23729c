// One tfjs layer -> ONNX nodes. Values of rank 4 are held NCHW in the graph (tfjs holds them
// NHWC), so the layers that care about the memory order (Reshape, Flatten, Dense on images,
// Permute) move to tfjs's order and back around the operation; channel axes map 3 -> 1.
// Weights become float32 initializers, transposed to ONNX's layouts here.
import type * as tf from '@tensorflow/tfjs';
import type { AttrValue, OnnxInitializer, OnnxNode } from '../engine/onnx/proto';

/** A layer or model the exporter cannot write: one line, naming the layer and its class. */
export class ExportError extends Error {
  override name = 'ExportError';
}

/** A graph value: its ONNX name and its tfjs shape (NHWC for images, batch first). */
export interface Value {
  name: string;
  shape: readonly (number | null)[];
}

export class GraphBuilder {
  readonly nodes: OnnxNode[] = [];
  readonly initializers: OnnxInitializer[] = [];
  private readonly names = new Set<string>();

  /** Keeps a name (a graph input's) from being given out. */
  reserve(name: string): void {
    this.names.add(name);
  }

  fresh(base: string): string {
    let n = base;
    for (let k = 1; this.names.has(n); k++) n = `${base}_${k}`;
    this.names.add(n);
    return n;
  }

  /** Adds a node with one output (named `out`, or after the op) and returns that name. */
  node(op: string, inputs: string[], attrs: Record<string, AttrValue> = {}, out?: string): string {
    const name = out ?? this.fresh(`${op.toLowerCase()}`);
    if (out) this.names.add(out);
    this.nodes.push({ op, inputs, outputs: [name], attrs });
    return name;
  }

  floats(base: string, dims: readonly number[], data: Float32Array): string {
    const name = this.fresh(base);
    this.initializers.push({ name, dims, floats: data });
    return name;
  }

  scalar(base: string, v: number): string {
    return this.floats(base, [], new Float32Array([v]));
  }

  ints(base: string, values: readonly number[]): string {
    const name = this.fresh(base);
    this.initializers.push({ name, dims: [values.length], int64s: values });
    return name;
  }
}

const TO_NHWC = [0, 2, 3, 1];
const TO_NCHW = [0, 3, 1, 2];

/** A tfjs axis of a rank-`rank` value -> the axis in the graph's layout. */
function graphAxis(axis: number, rank: number): number {
  const a = axis < 0 ? axis + rank : axis;
  return rank === 4 ? [0, 2, 3, 1][a] : a;
}

/** `data` of `shape` with its axes permuted (out axis i = in axis perm[i]). */
export function permute(data: Float32Array, shape: readonly number[], perm: readonly number[]): Float32Array {
  const outShape = perm.map((p) => shape[p]);
  const inStrides = shape.map((_, i) => shape.slice(i + 1).reduce((a, b) => a * b, 1));
  const out = new Float32Array(data.length);
  const idx = new Array<number>(shape.length).fill(0);
  for (let o = 0; o < out.length; o++) {
    let src = 0;
    for (let i = 0; i < perm.length; i++) src += idx[i] * inStrides[perm[i]];
    out[o] = data[src];
    for (let i = perm.length - 1; i >= 0; i--) {
      if (++idx[i] < outShape[i]) break;
      idx[i] = 0;
    }
  }
  return out;
}

type Config = Record<string, unknown>;

/** A layer's weights by their short names (kernel, bias, gamma, moving_mean, alpha, ...). */
export type WeightMap = Map<string, { data: Float32Array; shape: number[] }>;

export async function weightsOf(layer: tf.layers.Layer): Promise<WeightMap> {
  const m: WeightMap = new Map();
  for (const w of layer.weights) {
    const short = w.originalName.split('/').pop() ?? w.originalName;
    m.set(short, { data: new Float32Array(await w.read().data()), shape: [...w.shape] as number[] });
  }
  return m;
}

const pair = (v: unknown): [number, number] =>
  Array.isArray(v) ? [Number(v[0]), Number(v[v.length > 1 ? 1 : 0])] : [Number(v), Number(v)];

const SUPPORTED =
  'Dense, Conv2D, Conv2DTranspose, BatchNormalization, InstanceNormalization, ReflectionPadding2D, ZeroPadding2D, ' +
  'Cropping2D, PixelShuffle, UpSampling2D, Max/AveragePooling2D, GlobalAverage/MaxPooling2D, Concatenate, Add, Subtract, Multiply, ' +
  'Average, Maximum, Minimum, Activation, ReLU, LeakyReLU, PReLU, ELU, Softmax, Dropout (and AlwaysDropout as identity), Reshape, ' +
  'Flatten, Permute, Rescaling';

/** Adds the nodes of one layer call; returns the name of its output. */
export function convertLayer(
  g: GraphBuilder,
  layer: tf.layers.Layer,
  weights: WeightMap,
  ins: Value[],
  outShape: readonly (number | null)[],
  notes: string[],
): string {
  const cls = layer.getClassName();
  const c = layer.getConfig() as Config;
  const unsupported = (why: string) => new ExportError(`cannot export layer "${layer.name}" (class ${cls}): ${why}`);
  const x = ins[0];
  const rank = x?.shape.length ?? 0;
  const base = layer.name;
  if (c.dataFormat !== undefined && c.dataFormat !== 'channelsLast')
    throw unsupported(`data format ${String(c.dataFormat)} (only channelsLast)`);

  const toTfjsLayout = (v: Value) => (v.shape.length === 4 ? g.node('Transpose', [v.name], { perm: TO_NHWC }) : v.name);
  const toGraphLayout = (name: string, r: number) => (r === 4 ? g.node('Transpose', [name], { perm: TO_NCHW }) : name);
  const act = (name: string, a: unknown, r: number) => activation(g, name, String(a ?? 'linear'), r, unsupported);
  const w = () => weights;

  switch (cls) {
    case 'Dense': {
      const ws = w();
      const k = ws.get('kernel');
      if (!k) throw unsupported('no kernel');
      const kernel = g.floats(`${base}.kernel`, k.shape, k.data);
      const b = ws.get('bias');
      let y: string;
      if (rank === 2) {
        y = g.node('Gemm', b ? [x.name, kernel, g.floats(`${base}.bias`, b.shape, b.data)] : [x.name, kernel]);
      } else {
        y = g.node('MatMul', [toTfjsLayout(x), kernel]);
        if (b) y = g.node('Add', [y, g.floats(`${base}.bias`, b.shape, b.data)]);
        y = toGraphLayout(y, rank);
      }
      return act(y, c.activation, rank);
    }
    case 'Conv2D': {
      if (rank !== 4) throw unsupported(`input of rank ${rank}`);
      const ws = w();
      const k = ws.get('kernel');
      if (!k) throw unsupported('no kernel');
      // [kh, kw, in, out] -> [out, in, kh, kw]
      const kernel = g.floats(
        `${base}.kernel`,
        [k.shape[3], k.shape[2], k.shape[0], k.shape[1]],
        permute(k.data, k.shape, [3, 2, 0, 1]),
      );
      const b = ws.get('bias');
      const y = g.node('Conv', b ? [x.name, kernel, g.floats(`${base}.bias`, b.shape, b.data)] : [x.name, kernel], {
        kernel_shape: [k.shape[0], k.shape[1]],
        strides: pair(c.strides ?? 1),
        dilations: pair(c.dilationRate ?? 1),
        // SAME_UPPER puts the odd pixel of padding after, as TensorFlow's "same" does.
        auto_pad: c.padding === 'same' ? 'SAME_UPPER' : 'VALID',
      });
      return act(y, c.activation, 4);
    }
    case 'Conv2DTranspose': {
      if (rank !== 4) throw unsupported(`input of rank ${rank}`);
      const ws = w();
      const k = ws.get('kernel');
      if (!k) throw unsupported('no kernel');
      const [kh, kw] = [k.shape[0], k.shape[1]];
      const [sh, sw] = pair(c.strides ?? 1);
      // [kh, kw, out, in] -> [in, out, kh, kw]
      const kernel = g.floats(
        `${base}.kernel`,
        [k.shape[3], k.shape[2], kh, kw],
        permute(k.data, k.shape, [3, 2, 0, 1]),
      );
      // tfjs's output: "same" in * s, "valid" in * s + max(k - s, 0). ONNX's: (in - 1) * s + k
      // + output_padding - pads, so crop k - s (the odd pixel at the end, as TF) or pad s - k.
      const same = c.padding === 'same';
      const crop = (kk: number, s: number) => (same ? Math.max(kk - s, 0) : 0);
      const [ch, cw] = [crop(kh, sh), crop(kw, sw)];
      const b = ws.get('bias');
      const y = g.node(
        'ConvTranspose',
        b ? [x.name, kernel, g.floats(`${base}.bias`, b.shape, b.data)] : [x.name, kernel],
        {
          kernel_shape: [kh, kw],
          strides: [sh, sw],
          pads: [Math.floor(ch / 2), Math.floor(cw / 2), ch - Math.floor(ch / 2), cw - Math.floor(cw / 2)],
          output_padding: [Math.max(sh - kh, 0), Math.max(sw - kw, 0)],
        },
      );
      return act(y, c.activation, 4);
    }
    case 'BatchNormalization': {
      const axis = Number(c.axis ?? -1);
      if (rank !== 2 && rank !== 4) throw unsupported(`input of rank ${rank}`);
      if (axis !== -1 && axis !== rank - 1) throw unsupported(`axis ${axis} (only the channel axis)`);
      const ws = w();
      const mean = ws.get('moving_mean'),
        variance = ws.get('moving_variance');
      if (!mean || !variance) throw unsupported('no moving statistics');
      const n = mean.data.length;
      const gamma = ws.get('gamma')?.data ?? new Float32Array(n).fill(1);
      const beta = ws.get('beta')?.data ?? new Float32Array(n);
      // Inference mode: the moving averages, as predict() uses.
      return g.node(
        'BatchNormalization',
        [
          x.name,
          g.floats(`${base}.gamma`, [n], gamma),
          g.floats(`${base}.beta`, [n], beta),
          g.floats(`${base}.moving_mean`, [n], mean.data),
          g.floats(`${base}.moving_variance`, [n], variance.data),
        ],
        { epsilon: { float: Number(c.epsilon ?? 1e-3) } },
      );
    }
    case 'InstanceNormalization': {
      if (rank !== 4) throw unsupported(`input of rank ${rank}`);
      const n = x.shape[3];
      if (n === null) throw unsupported('unknown channel count');
      const ws = w();
      const gamma = ws.get('gamma')?.data ?? new Float32Array(n).fill(1);
      const beta = ws.get('beta')?.data ?? new Float32Array(n);
      return g.node(
        'InstanceNormalization',
        [x.name, g.floats(`${base}.gamma`, [n], gamma), g.floats(`${base}.beta`, [n], beta)],
        { epsilon: { float: Number(c.epsilon ?? 1e-5) } },
      );
    }
    case 'ReflectionPadding2D': {
      const [ph, pw] = pair(c.padding);
      return g.node('Pad', [x.name, g.ints(`${base}.pads`, [0, 0, ph, pw, 0, 0, ph, pw])], { mode: 'reflect' });
    }
    case 'ZeroPadding2D': {
      const [[t, b], [l, r]] = c.padding as [[number, number], [number, number]];
      return g.node('Pad', [x.name, g.ints(`${base}.pads`, [0, 0, t, l, 0, 0, b, r])], { mode: 'constant' });
    }
    case 'Cropping2D': {
      const [[t, b], [l, r]] = c.cropping as [[number, number], [number, number]];
      const end = (v: number) => (v > 0 ? -v : 2 ** 53 - 1);
      return g.node('Slice', [
        x.name,
        g.ints(`${base}.starts`, [t, l]),
        g.ints(`${base}.ends`, [end(b), end(r)]),
        g.ints(`${base}.axes`, [2, 3]),
      ]);
    }
    case 'PixelShuffle':
      // Our PixelShuffle orders channels as TensorFlow's depth_to_space: ONNX's DCR mode.
      return g.node('DepthToSpace', [x.name], { blocksize: Number(c.scale), mode: 'DCR' });
    case 'UpSampling2D': {
      const [a, b] = pair(c.size ?? 2);
      const bilinear = c.interpolation === 'bilinear';
      // tfjs resizes with alignCorners = false, halfPixelCenters = false: "asymmetric".
      return g.node(
        'Resize',
        [x.name, '', g.floats(`${base}.scales`, [4], new Float32Array([1, 1, a, b]))],
        bilinear
          ? { mode: 'linear', coordinate_transformation_mode: 'asymmetric' }
          : { mode: 'nearest', coordinate_transformation_mode: 'asymmetric', nearest_mode: 'floor' },
      );
    }
    case 'MaxPooling2D':
    case 'AveragePooling2D': {
      const size = pair(c.poolSize ?? 2);
      const attrs: Record<string, AttrValue> = {
        kernel_shape: size,
        strides: pair(c.strides ?? size),
        auto_pad: c.padding === 'same' ? 'SAME_UPPER' : 'VALID',
      };
      if (cls === 'AveragePooling2D') attrs.count_include_pad = 0;
      return g.node(cls === 'MaxPooling2D' ? 'MaxPool' : 'AveragePool', [x.name], attrs);
    }
    case 'GlobalAveragePooling2D':
    case 'GlobalMaxPooling2D': {
      const y = g.node(cls === 'GlobalAveragePooling2D' ? 'GlobalAveragePool' : 'GlobalMaxPool', [x.name]);
      return outShape.length === 4 ? y : g.node('Flatten', [y], { axis: 1 });
    }
    case 'Concatenate':
      return g.node(
        'Concat',
        ins.map((v) => v.name),
        { axis: graphAxis(Number(c.axis ?? -1), rank) },
      );
    case 'Add':
    case 'Multiply':
    case 'Maximum':
    case 'Minimum':
    case 'Average': {
      const op = { Add: 'Sum', Multiply: 'Mul', Maximum: 'Max', Minimum: 'Min', Average: 'Mean' }[cls];
      if (op === 'Mul') return ins.slice(1).reduce((acc, v) => g.node('Mul', [acc, v.name]), x.name);
      return g.node(
        ins.length === 2 && op === 'Sum' ? 'Add' : op,
        ins.map((v) => v.name),
      );
    }
    case 'Subtract':
      return g.node('Sub', [ins[0].name, ins[1].name]);
    case 'Activation':
      return act(x.name, c.activation, rank);
    case 'ReLU': {
      if (c.maxValue === null || c.maxValue === undefined) return g.node('Relu', [x.name]);
      return g.node('Clip', [x.name, g.scalar(`${base}.min`, 0), g.scalar(`${base}.max`, Number(c.maxValue))]);
    }
    case 'LeakyReLU':
      return g.node('LeakyRelu', [x.name], { alpha: { float: Number(c.alpha ?? 0.3) } });
    case 'ELU':
      return g.node('Elu', [x.name], { alpha: { float: Number(c.alpha ?? 1) } });
    case 'Softmax':
      return g.node('Softmax', [x.name], { axis: graphAxis(Number(c.axis ?? -1), rank) });
    case 'PReLU': {
      const a = w().get('alpha');
      if (!a) throw unsupported('no alpha');
      // alpha is shaped like the input less the batch ([h|1, w|1, c] for images): [c, h|1, w|1].
      if (rank === 4)
        return g.node('PRelu', [
          x.name,
          g.floats(`${base}.alpha`, [a.shape[2], a.shape[0], a.shape[1]], permute(a.data, a.shape, [2, 0, 1])),
        ]);
      return g.node('PRelu', [x.name, g.floats(`${base}.alpha`, a.shape, a.data)]);
    }
    case 'AlwaysDropout':
      notes.push("pix2pix's always-on dropout (its noise) is exported as identity: the ONNX model is deterministic");
      return g.node('Identity', [x.name]);
    case 'Dropout':
    case 'SpatialDropout1D':
    case 'SpatialDropout2D':
    case 'GaussianNoise':
    case 'GaussianDropout':
    case 'AlphaDropout':
      return g.node('Identity', [x.name]);
    case 'Reshape': {
      const target = (c.targetShape as number[]).map((d) => (d === null ? -1 : d));
      const y = g.node('Reshape', [toTfjsLayout(x), g.ints(`${base}.shape`, [0, ...target])]);
      return toGraphLayout(y, outShape.length);
    }
    case 'Flatten':
      if (rank === 2) return g.node('Identity', [x.name]);
      return g.node('Flatten', [toTfjsLayout(x)], { axis: 1 });
    case 'Permute': {
      const dims = c.dims as number[];
      const y = g.node('Transpose', [toTfjsLayout(x)], { perm: [0, ...dims] });
      return toGraphLayout(y, outShape.length);
    }
    case 'Rescaling': {
      let y = g.node('Mul', [x.name, g.scalar(`${base}.scale`, Number(c.scale ?? 1))]);
      if (Number(c.offset ?? 0) !== 0) y = g.node('Add', [y, g.scalar(`${base}.offset`, Number(c.offset))]);
      return y;
    }
    default:
      throw unsupported(`not a layer type the ONNX export knows (it knows ${SUPPORTED})`);
  }
}

/** A named activation (a layer's `activation` option or an Activation layer). */
function activation(g: GraphBuilder, x: string, a: string, rank: number, unsupported: (why: string) => Error): string {
  switch (a) {
    case 'linear':
      return x;
    case 'relu':
      return g.node('Relu', [x]);
    case 'relu6':
      return g.node('Clip', [x, g.scalar('relu6.min', 0), g.scalar('relu6.max', 6)]);
    case 'tanh':
      return g.node('Tanh', [x]);
    case 'sigmoid':
      return g.node('Sigmoid', [x]);
    case 'hardSigmoid':
      return g.node('HardSigmoid', [x], { alpha: { float: 0.2 }, beta: { float: 0.5 } });
    case 'elu':
      return g.node('Elu', [x], { alpha: { float: 1 } });
    case 'selu':
      return g.node('Selu', [x], { alpha: { float: 1.6732632423543772 }, gamma: { float: 1.0507009873554805 } });
    case 'softplus':
      return g.node('Softplus', [x]);
    case 'softsign':
      return g.node('Softsign', [x]);
    case 'softmax':
      return g.node('Softmax', [x], { axis: rank === 4 ? 1 : -1 });
    case 'swish':
      return g.node('Mul', [x, g.node('Sigmoid', [x])]);
    case 'mish':
      return g.node('Mul', [x, g.node('Tanh', [g.node('Softplus', [x])])]);
    default:
      throw unsupported(`activation "${a}"`);
  }
}
