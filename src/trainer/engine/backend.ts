// Backend selection (DESIGN.md "Compute"). `webgpu` is tfjs-backend-webgpu on Dawn (gpu/);
// `native` is the tfjs wasm backend with its heavy kernels replaced by onnxruntime ones; `wasm`
// is that backend with only the missing-gradient fixes; `cpu` is pure JS, the reference the
// conformance tests compare against; `auto` picks the first of webgpu (hardware GPU only),
// native, wasm that works here.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import type { ActiveBackend, BackendName } from '../../shared/backends';
import { conv2DBackpropFilterWasm, makeConv2DBackpropInputWasm, makeSharingIdentity } from './wasmFixes';
import { conv2DBackpropInput, conv2DBackpropFilter, makeConv2D, makeMatMul, makeReduce } from './native/kernels';
import { loadOrt, setOrtThreads } from './onnx/session';
import { installFastGradients } from './fastGradients';
import { installReleasingBackprop } from './backprop';
import { registerReflectPadGrad } from './reflectPadGrad';
import { probeGpuIsolated } from './gpu/dawn';
import { useWebgpu as startWebgpu } from './gpu/webgpu';
import { installWebgpuFixes } from './gpu/webgpuFixes';

export interface BackendOptions {
  /** Threads for the native kernels (onnxruntime intra-op) and XNNPACK. Default: all cores. */
  threads?: number;
  /** Called when the requested backend can't load and another one is used instead. */
  warn?(message: string): void;
  /** Called with what was chosen and why (`auto`), and which GPU a GPU backend runs on. */
  info?(message: string): void;
}

/** Where the wasm binaries are: next to the bundle (dist/) or in the package (tests, dev). */
function wasmDir(): string {
  const inPackage = () => {
    // Dev and tests only: a packaged extension has no tfjs-backend-wasm folder, just dist/.
    try {
      return path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')) + '/dist';
    } catch {
      return undefined;
    }
  };
  const has = (d: string | undefined) => !!d && fs.existsSync(path.join(d, 'tfjs-backend-wasm-simd.wasm'));
  const dir = [__dirname, path.join(__dirname, '..')].find(has) ?? [inPackage()].find(has);
  if (!dir) throw new Error(`tfjs wasm binaries not found next to the bundle (${__dirname})`);
  return dir + path.sep;
}

type KernelFunc = tf.KernelFunc;

function override(kernelName: string, make: (fallback: KernelFunc) => KernelFunc): void {
  const orig = tf.getKernel(kernelName, 'wasm');
  const fallback: KernelFunc = orig
    ? orig.kernelFunc
    : () => {
        throw new Error(`wasm has no ${kernelName}`);
      };
  if (orig) tf.unregisterKernel(kernelName, 'wasm');
  tf.registerKernel({
    kernelName,
    backendName: 'wasm',
    kernelFunc: make(fallback),
    setupFunc: orig?.setupFunc,
    disposeFunc: orig?.disposeFunc,
  });
}

let wasmFixed = false;
function installWasmFixes(): void {
  if (wasmFixed) return;
  wasmFixed = true;
  if (!tf.getKernel('Conv2DBackpropFilter', 'wasm')) {
    tf.registerKernel({
      kernelName: 'Conv2DBackpropFilter',
      backendName: 'wasm',
      kernelFunc: conv2DBackpropFilterWasm as unknown as KernelFunc,
    });
  }
  override('Conv2DBackpropInput', (fb) => makeConv2DBackpropInputWasm(fb as never) as unknown as KernelFunc);
  override('Identity', (fb) => makeSharingIdentity(fb as never) as unknown as KernelFunc);
  override('Cast', (fb) => makeSharingIdentity(fb as never) as unknown as KernelFunc);
  registerReflectPadGrad();
}

/** The kernels `native` runs in onnxruntime (multi-threaded); every other op stays on tfjs-wasm. */
export const NATIVE_KERNELS: Readonly<Record<string, (fallback: KernelFunc) => KernelFunc>> = {
  Conv2D: (fb) => makeConv2D(fb as never) as unknown as KernelFunc,
  FusedConv2D: (fb) => makeConv2D(fb as never) as unknown as KernelFunc,
  Conv2DBackpropInput: () => conv2DBackpropInput as unknown as KernelFunc,
  Conv2DBackpropFilter: () => conv2DBackpropFilter as unknown as KernelFunc,
  BatchMatMul: (fb) => makeMatMul(fb as never) as unknown as KernelFunc,
  _FusedMatMul: (fb) => makeMatMul(fb as never) as unknown as KernelFunc,
  Sum: (fb) => makeReduce('ReduceSum', fb as never) as unknown as KernelFunc,
  Mean: (fb) => makeReduce('ReduceMean', fb as never) as unknown as KernelFunc,
};

let nativeInstalled = false;
function installNativeKernels(): void {
  if (nativeInstalled) return;
  nativeInstalled = true;
  for (const [name, make] of Object.entries(NATIVE_KERNELS)) override(name, make);
}

async function useWasm(threads: number, native: boolean): Promise<void> {
  // Deterministic single-module wasm: the threaded build needs a worker pool we don't want in a
  // child process; the heavy work runs in onnxruntime's own thread pool anyway.
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  setWasmPaths(wasmDir());
  // Native kernels replace some of the fixed ones, so they go on top (one backend a process).
  installWasmFixes();
  if (native) installNativeKernels();
  void threads;
  if (!(await tf.setBackend('wasm'))) throw new Error('the tfjs wasm backend failed to initialise');
}

/** Initialises the named backend and returns the one actually in use (after any fallback). */
export async function initBackend(name: BackendName, opts: BackendOptions = {}): Promise<ActiveBackend> {
  const threads = opts.threads ?? Math.max(1, os.availableParallelism?.() ?? os.cpus().length);
  // PROD: no debug checks, and no "install tfjs-node" banner (that install is broken upstream).
  tf.env().set('PROD', true);
  installFastGradients();
  installReleasingBackprop();
  switch (name) {
    case 'auto':
      return initAuto(threads, opts);
    case 'webgpu': {
      try {
        const gpu = await useWebgpu();
        opts.info?.(`GPU: ${gpu.name}`);
        if (gpu.software)
          opts.warn?.(
            'that GPU is a software renderer (the CPU drawing for a missing GPU): correct, but slower than --backend native',
          );
        return 'webgpu';
      } catch (e) {
        opts.warn?.(`the webgpu backend is not available (${firstLine(e)}); using native`);
        return initBackend('native', opts);
      }
    }
    case 'cpu':
      await tf.setBackend('cpu');
      return 'cpu';
    case 'wasm':
      await useWasm(threads, false);
      return 'wasm';
    case 'native': {
      try {
        loadOrt();
      } catch (e) {
        opts.warn?.(`onnxruntime could not load (${firstLine(e)}); using the wasm backend`);
        await useWasm(threads, false);
        return 'wasm';
      }
      setOrtThreads(threads);
      await useWasm(threads, true);
      return 'native';
    }
    case 'tfjs-node':
      throw new Error(
        'the tfjs-node backend is not available: @tensorflow/tfjs-node cannot be installed (tensorflow/tfjs#8742); use --backend native',
      );
  }
}

/** tfjs-backend-webgpu with its kernel fixes (gpu/webgpuFixes.ts). */
async function useWebgpu(): ReturnType<typeof startWebgpu> {
  const gpu = await startWebgpu();
  installWebgpuFixes();
  return gpu;
}

const firstLine = (e: unknown) => (e instanceof Error ? e.message : String(e)).split('\n')[0];

/** `auto`: a hardware GPU, else native, else wasm; the choice and its reason in one line. */
async function initAuto(threads: number, opts: BackendOptions): Promise<ActiveBackend> {
  const gpu = await probeGpuIsolated();
  let why: string;
  if (gpu.ok && !gpu.software) {
    try {
      await useWebgpu();
      opts.info?.(`backend auto -> webgpu on ${gpu.name}`);
      return 'webgpu';
    } catch (e) {
      why = `the GPU ${gpu.name} could not start (${firstLine(e)})`;
    }
  } else {
    why = gpu.ok ? `no hardware GPU (the only WebGPU adapter is ${gpu.name})` : `no usable GPU: ${gpu.reason}`;
  }
  const used = await initBackend('native', { ...opts, threads });
  opts.info?.(`backend auto -> ${used}: ${why}`);
  return used;
}
