// The `webgpu` backend: tfjs-backend-webgpu on Dawn. We create the device ourselves (instead of
// the package's own factory) so that we can watch it: a lost device or an out-of-memory error
// is remembered here and turned into one clear line (gpuFailure, explainFailure) after the step it broke,
// before anything of that step is saved.
import * as tf from '@tensorflow/tfjs';
import { installConvGrads } from './convGrads';
import { loadDawn, probeGpu, type AdapterLike, type GpuProbe } from './dawn';

/** A GPU failure a run cannot continue from; the message says what to do. */
export class GpuError extends Error {
  override name = 'GpuError';
  /** True once the message says what the run kept (withOutcome). */
  stopped = false;

  /** The same cause, with what a training run kept and how to continue it. */
  withOutcome(kept: string, canResume: boolean): GpuError {
    const hint = canResume ? ': continue it with --resume (on the GPU again, or with --backend native)' : '';
    const e = new GpuError(`${this.message}; training stopped, ${kept}${hint}`);
    e.stopped = true;
    return e;
  }
}

interface DeviceLike {
  lost: Promise<{ reason?: string; message?: string }>;
  addEventListener?(
    type: 'uncapturederror',
    fn: (ev: { error?: { constructor?: { name?: string }; message?: string } }) => void,
  ): void;
  destroy(): void;
}

let problem: string | undefined;
let device: DeviceLike | undefined;
let active: GpuProbe | undefined;

/** The adapter the running backend uses, for logs and metrics. */
export function activeGpu(): GpuProbe | undefined {
  return active;
}

/** A GpuError when the device was lost or ran out of memory, else undefined. */
export function gpuFailure(): GpuError | undefined {
  return problem ? new GpuError(problem) : undefined;
}

/**
 * The error to report for a step that threw: a GpuError naming the cause when the device was
 * lost or ran out of memory (the lost promise can settle just after the failed read), else e.
 */
export async function explainFailure(e: unknown): Promise<unknown> {
  if (e instanceof GpuError) return e;
  if (device && !problem) await Promise.race([device.lost, new Promise((r) => setTimeout(r, 200))]);
  return problem ? new GpuError(problem) : e;
}

/**
 * Test-only fault injection (GAN_TEST_INJECT_GPU=lost@<step> | oom@<step>), called before each
 * step: `lost` destroys the real device as a driver reset would; `oom` reports the error a
 * failed allocation raises (a real one would need more memory than a test machine has).
 */
export function injectGpuFault(step: number): void {
  const m = /^(lost|oom)@(\d+)$/.exec(process.env.GAN_TEST_INJECT_GPU ?? '');
  if (!m || Number(m[2]) !== step || !device) return;
  if (m[1] === 'lost') device.destroy();
  else problem ??= outOfMemory('injected');
}

const outOfMemory = (what: string) =>
  `the GPU ran out of memory (${what}): use a smaller "batchSize" or "imageSize", or --backend native`;

function watch(d: DeviceLike): void {
  void d.lost.then((info) => {
    // destroy() on our own release is not a failure.
    if (device !== d) return;
    problem ??= `the GPU device was lost (${info.reason ?? 'unknown'}${info.message ? `: ${info.message.split('\n')[0]}` : ''}): the driver reset it, or another program took the GPU`;
  });
  d.addEventListener?.('uncapturederror', (ev) => {
    const kind = ev.error?.constructor?.name ?? '';
    const msg = (ev.error?.message ?? '').split('\n')[0];
    if (/OutOfMemory/i.test(kind) || /out of memory/i.test(msg)) {
      problem ??= outOfMemory(msg || kind);
    } else {
      problem ??= `the GPU reported an error (${msg || kind})`;
    }
  });
}

async function requestDevice(adapter: AdapterLike): Promise<DeviceLike> {
  // The limits tfjs-backend-webgpu asks for in its own factory: the adapter's maxima.
  const l = adapter.limits;
  const limitNames = [
    'maxComputeWorkgroupStorageSize',
    'maxComputeWorkgroupsPerDimension',
    'maxStorageBufferBindingSize',
    'maxBufferSize',
    'maxComputeWorkgroupSizeX',
    'maxComputeInvocationsPerWorkgroup',
  ];
  const requiredLimits = Object.fromEntries(limitNames.map((n) => [n, l[n]]));
  const requiredFeatures = adapter.features.has('timestamp-query') ? ['timestamp-query'] : [];
  return (await adapter.requestDevice({ requiredLimits, requiredFeatures })) as DeviceLike;
}

/**
 * Makes `webgpu` the tfjs backend on the machine's best adapter. Throws a one-line Error
 * (no adapter, dawn.node won't load, device refused) for the caller to fall back on.
 */
export async function useWebgpu(): Promise<GpuProbe> {
  const probe = await probeGpu();
  if (!probe.ok || !probe.adapter) throw new Error(probe.reason ?? 'no WebGPU adapter');
  const { gpu, globals } = await loadDawn();
  // tfjs-backend-webgpu names GPUBufferUsage, GPUMapMode... as globals and refuses to start
  // without navigator.gpu (Node 20 has no navigator at all; Node 21+ has one without gpu).
  for (const [k, v] of Object.entries(globals)) if (!(k in globalThis)) Object.assign(globalThis, { [k]: v });
  const g = globalThis as { navigator?: object };
  if (!g.navigator) Object.defineProperty(globalThis, 'navigator', { value: {}, configurable: true, writable: true });
  if (!('gpu' in (g.navigator as object)))
    Object.defineProperty(g.navigator, 'gpu', { value: gpu, configurable: true });
  const webgpu = await import('@tensorflow/tfjs-backend-webgpu');
  let d: DeviceLike;
  try {
    d = await requestDevice(probe.adapter);
  } catch (e) {
    throw new Error(`the GPU refused a device (${(e as Error).message.split('\n')[0]})`, { cause: e });
  }
  device = d;
  problem = undefined;
  watch(d);
  const info = probe.adapter.info;
  // Our factory replaces the package's (registered on import, as navigator.gpu exists now),
  // which would request a second device that nobody watches.
  if (tf.findBackendFactory('webgpu')) tf.removeBackend('webgpu');
  tf.registerBackend('webgpu', () => new webgpu.WebGPUBackend(d as never, info as never), 3);
  if (!(await tf.setBackend('webgpu'))) throw new Error('the tfjs webgpu backend failed to initialise');
  // The package's naive Conv2DBackpropFilter shader replaced by a tiled conv (convGrads.ts).
  installConvGrads();
  const { adapter: _a, ...described } = probe;
  active = described;
  return described;
}

/** Frees the device so that the process can exit (Dawn keeps it alive otherwise). */
export function releaseGpu(): void {
  const d = device;
  device = undefined;
  if (!d) return;
  if (tf.getBackend() === 'webgpu') tf.removeBackend('webgpu');
  try {
    d.destroy();
  } catch {
    // already gone
  }
}
