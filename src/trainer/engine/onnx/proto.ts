// A minimal protobuf writer for the few ONNX messages our kernel graphs and `gan export` need
// (ModelProto, GraphProto, NodeProto, AttributeProto, ValueInfoProto, TensorProto).
// Field numbers follow onnx/onnx.proto. A full protobuf library would be a heavy
// dependency for ~10 message types that we only ever write, never read.

type Bytes = Uint8Array;

class Writer {
  // Small fields collect in `cur`; large byte strings (weights) are kept as they are.
  private parts: Uint8Array[] = [];
  private cur: number[] = [];
  private flush(): void {
    if (this.cur.length) this.parts.push(Uint8Array.from(this.cur));
    this.cur = [];
  }
  varint(v: number | bigint): this {
    let n = BigInt.asUintN(64, BigInt(v));
    while (n >= 0x80n) {
      this.cur.push(Number(n & 0x7fn) | 0x80);
      n >>= 7n;
    }
    this.cur.push(Number(n));
    return this;
  }
  tag(field: number, wire: number): this {
    return this.varint((field << 3) | wire);
  }
  int(field: number, v: number): this {
    return this.tag(field, 0).varint(v);
  }
  bytes(field: number, b: Bytes): this {
    this.tag(field, 2).varint(b.length);
    if (b.length > 1024) {
      this.flush();
      this.parts.push(b);
    } else {
      for (const x of b) this.cur.push(x);
    }
    return this;
  }
  string(field: number, s: string): this {
    return this.bytes(field, new TextEncoder().encode(s));
  }
  float(field: number, f: number): this {
    this.tag(field, 5);
    const b = new Uint8Array(new Float32Array([f]).buffer);
    for (const x of b) this.cur.push(x);
    return this;
  }
  packedInts(field: number, vs: readonly number[]): this {
    const inner = new Writer();
    for (const v of vs) inner.varint(v);
    return this.bytes(field, inner.finish());
  }
  finish(): Bytes {
    this.flush();
    if (this.parts.length === 1) return this.parts[0];
    const out = new Uint8Array(this.parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of this.parts) {
      out.set(p, at);
      at += p.length;
    }
    return out;
  }
}

export type AttrValue = number | readonly number[] | string | { float: number };

export interface OnnxNode {
  op: string;
  inputs: readonly string[];
  outputs: readonly string[];
  attrs?: Record<string, AttrValue>;
}

export interface OnnxValueInfo {
  name: string;
  /** A number is a fixed size; a string names a dynamic one ("batch"). */
  shape: readonly (number | string)[];
  /** ONNX TensorProto.DataType: 1 = float32, 7 = int64. */
  elemType?: number;
}

export type OnnxInitializer =
  | { name: string; dims: readonly number[]; int64s: readonly number[] }
  | { name: string; dims: readonly number[]; floats: Float32Array };

export interface OnnxGraph {
  nodes: readonly OnnxNode[];
  inputs: readonly OnnxValueInfo[];
  outputs: readonly OnnxValueInfo[];
  initializers?: readonly OnnxInitializer[];
}

const ATTR_FLOAT = 1;
const ATTR_INT = 2;
const ATTR_STRING = 3;
const ATTR_INTS = 7;

function attribute(name: string, v: AttrValue): Bytes {
  const w = new Writer().string(1, name);
  if (typeof v === 'number') {
    if (!Number.isInteger(v)) throw new Error(`ONNX attribute ${name}: use {float} for non-integers`);
    w.int(3, v).int(20, ATTR_INT);
  } else if (typeof v === 'string') {
    w.string(4, v).int(20, ATTR_STRING);
  } else if (Array.isArray(v)) {
    w.packedInts(8, v as number[]).int(20, ATTR_INTS);
  } else {
    w.float(2, (v as { float: number }).float).int(20, ATTR_FLOAT);
  }
  return w.finish();
}

function node(n: OnnxNode, index: number): Bytes {
  const w = new Writer();
  for (const i of n.inputs) w.string(1, i);
  for (const o of n.outputs) w.string(2, o);
  w.string(3, `${n.op}_${index}`).string(4, n.op);
  for (const [k, v] of Object.entries(n.attrs ?? {})) w.bytes(5, attribute(k, v));
  return w.finish();
}

function valueInfo(v: OnnxValueInfo): Bytes {
  const shape = new Writer();
  for (const d of v.shape)
    shape.bytes(1, typeof d === 'string' ? new Writer().string(2, d).finish() : new Writer().int(1, d).finish());
  const tensorType = new Writer()
    .int(1, v.elemType ?? 1)
    .bytes(2, shape.finish())
    .finish();
  const type = new Writer().bytes(1, tensorType).finish();
  return new Writer().string(1, v.name).bytes(2, type).finish();
}

function initializer(t: OnnxInitializer): Bytes {
  const w = new Writer();
  for (const d of t.dims) w.int(1, d);
  if ('floats' in t) {
    // raw_data: little-endian float32, as typed arrays are on every platform Node runs on.
    w.int(2, 1)
      .string(8, t.name)
      .bytes(9, new Uint8Array(t.floats.buffer, t.floats.byteOffset, t.floats.byteLength));
  } else {
    w.int(2, 7).packedInts(7, t.int64s).string(8, t.name);
  }
  return w.finish();
}

export interface ModelInfo {
  /** The graph's name (default "tfjs_kernel"). */
  graphName?: string;
  /** The model's doc_string. */
  doc?: string;
  /** metadata_props key/value pairs. */
  metadata?: Record<string, string>;
}

/** Serialises a one-graph ONNX model (IR 8, default opset 17). */
export function encodeModel(g: OnnxGraph, opset = 17, info: ModelInfo = {}): Bytes {
  const graph = new Writer();
  g.nodes.forEach((n, i) => graph.bytes(1, node(n, i)));
  graph.string(2, info.graphName ?? 'tfjs_kernel');
  for (const t of g.initializers ?? []) graph.bytes(5, initializer(t));
  for (const i of g.inputs) graph.bytes(11, valueInfo(i));
  for (const o of g.outputs) graph.bytes(12, valueInfo(o));
  const opsetId = new Writer().string(1, '').int(2, opset).finish();
  const model = new Writer().int(1, 8).string(2, 'gan-studio');
  if (info.doc) model.string(6, info.doc);
  model.bytes(7, graph.finish()).bytes(8, opsetId);
  for (const [k, v] of Object.entries(info.metadata ?? {}))
    model.bytes(14, new Writer().string(1, k).string(2, v).finish());
  return model.finish();
}
