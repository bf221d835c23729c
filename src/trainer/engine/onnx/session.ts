// Synchronous onnxruntime sessions for tfjs kernels. tfjs kernels must return synchronously,
// and onnxruntime-node's native `run` is synchronous: its public InferenceSession only defers
// it with setImmediate. So we call the binding that the public wrapper itself uses (pinned
// version: see package.json) and keep one session per (op, shapes, attributes).
import { encodeModel, type OnnxGraph } from './proto';

interface OrtTensorCtor {
  new (type: 'float32', data: Float32Array, dims: readonly number[]): unknown;
}
interface NativeSession {
  loadModel(buf: ArrayBuffer, offset: number, length: number, options: object): void;
  run(
    feeds: Record<string, unknown>,
    fetches: Record<string, unknown>,
    options: object,
  ): Record<string, { data: Float32Array; dims: number[] }>;
  inputNames?: string[];
}
interface Binding {
  InferenceSession: new () => NativeSession;
}

let ort: { Tensor: OrtTensorCtor; binding: Binding; initOrt(): void } | undefined;

/** Loads onnxruntime-node; throws (with the reason) where its native binary can't load. */
export function loadOrt(): NonNullable<typeof ort> {
  if (!ort) {
    const pub = require('onnxruntime-node') as { Tensor: OrtTensorCtor };
    const b = require('onnxruntime-node/dist/binding') as { binding: Binding; initOrt(): void };
    b.initOrt();
    ort = { Tensor: pub.Tensor, binding: b.binding, initOrt: b.initOrt };
  }
  return ort;
}

let threads = 1;
export function setOrtThreads(n: number): void {
  threads = Math.max(1, Math.floor(n));
}

export class KernelSession {
  private readonly session: NativeSession;
  constructor(
    graph: OnnxGraph,
    readonly inputNames: readonly string[],
    readonly outputName: string,
  ) {
    const { binding } = loadOrt();
    const bytes = encodeModel(graph);
    this.session = new binding.InferenceSession();
    this.session.loadModel(bytes.buffer as ArrayBuffer, bytes.byteOffset, bytes.byteLength, {
      intraOpNumThreads: threads,
      interOpNumThreads: 1,
      graphOptimizationLevel: 'all',
      executionMode: 'sequential',
      // No arena: each of the ~50 kernel sessions of a step kept its own, as large as its
      // biggest run (pix2pix 256: peak RSS 4.1 -> 2.1 GB without; step time the same within
      // noise, 5.1-5.6 s either way, alternating).
      enableCpuMemArena: false,
      executionProviders: ['cpu'],
      // Every kernel session has its own intra-op pool; spinning workers of idle sessions
      // steal the cores the next kernel needs (cGAN step at 2 threads: spinning off took
      // 0.65x the wall time of spinning on, median of 5 whole-process runs).
      extra: { session: { intra_op: { allow_spinning: '0' } } },
    });
  }

  /**
   * Runs on float32 inputs (given with their shapes) and writes the single float32 output into
   * `out` (pre-allocated by the caller: onnxruntime writes straight into it, no extra copy).
   */
  run(
    inputs: readonly { data: Float32Array; shape: readonly number[] }[],
    out: { data: Float32Array; shape: readonly number[] },
  ): void {
    const { Tensor } = loadOrt();
    const feeds: Record<string, unknown> = {};
    inputs.forEach((t, i) => (feeds[this.inputNames[i]] = new Tensor('float32', t.data, t.shape)));
    this.session.run(feeds, { [this.outputName]: new Tensor('float32', out.data, out.shape) }, {});
  }
}

const cache = new Map<string, KernelSession>();

/** One session per key, created on first use; graphs are tiny so creation is ~ms. */
export function cachedSession(
  key: string,
  build: () => { graph: OnnxGraph; inputs: string[]; output: string },
): KernelSession {
  const fullKey = `${key}|t${threads}`;
  let s = cache.get(fullKey);
  if (!s) {
    const b = build();
    s = new KernelSession(b.graph, b.inputs, b.output);
    cache.set(fullKey, s);
  }
  return s;
}
