// `gan bench --profile`: where one training step's time goes, kernel by kernel, and how much of
// it is multi-threaded. On `native` only the kernels in NATIVE_KERNELS run in onnxruntime's
// thread pool (their time includes the NHWC<->NCHW work inside their ONNX graphs and reading
// the wasm heap); everything else is single-threaded tfjs-wasm, which is the share that does
// not get faster with more cores (Amdahl). Sum and Mean count as multi-threaded, though those
// under 4096 elements stay on wasm (microseconds each).
import * as tf from '@tensorflow/tfjs';
import type { ActiveBackend } from '../../shared/backends';
import { NATIVE_KERNELS } from '../engine/backend';

export interface KernelTime {
  name: string;
  ms: number;
  calls: number;
  /** Runs in a thread pool (native's onnxruntime kernels); false: one thread. */
  threaded: boolean;
}

export interface StepProfile {
  /** Wall time of the profiled step (profiling adds a little). */
  stepMs: number;
  /** Sum of the kernels' times; the rest of the step is JavaScript between kernels. */
  kernelMs: number;
  /** Share of the step's wall time spent in single-threaded kernels and in JavaScript. */
  singleThreadedShare: number;
  kernels: KernelTime[];
}

/** Profiles one call of `step` (after warm-up: the first step compiles and caches graphs). */
export async function profileStep(step: () => Promise<void>, backend: ActiveBackend): Promise<StepProfile> {
  const threadedNames = backend === 'native' ? new Set(Object.keys(NATIVE_KERNELS)) : new Set<string>();
  const t0 = performance.now();
  const info = await tf.profile(step);
  const stepMs = performance.now() - t0;
  const byName = new Map<string, KernelTime>();
  for (const k of info.kernels) {
    // "<op>__op" entries wrap the kernels of ops with a custom gradient: counted inside them.
    if (k.name.endsWith('__op')) continue;
    const e = byName.get(k.name) ?? { name: k.name, ms: 0, calls: 0, threaded: threadedNames.has(k.name) };
    e.ms += typeof k.kernelTimeMs === 'number' ? k.kernelTimeMs : 0;
    e.calls++;
    byName.set(k.name, e);
  }
  const kernels = [...byName.values()].sort((a, b) => b.ms - a.ms);
  const kernelMs = kernels.reduce((s, k) => s + k.ms, 0);
  const threadedMs = kernels.filter((k) => k.threaded).reduce((s, k) => s + k.ms, 0);
  return { stepMs, kernelMs, singleThreadedShare: stepMs > 0 ? Math.max(0, stepMs - threadedMs) / stepMs : 0, kernels };
}

/** The profile as a few readable lines: the kernels over 1% of the step, then the shares. */
export function formatProfile(p: StepProfile): string[] {
  const pct = (ms: number) => `${((100 * ms) / p.stepMs).toFixed(1)}%`;
  const lines = p.kernels
    .filter((k) => k.ms >= p.stepMs * 0.01)
    .map(
      (k) =>
        `  ${k.name.padEnd(26)} ${k.ms.toFixed(0).padStart(7)} ms ${pct(k.ms).padStart(6)}  ${String(k.calls).padStart(4)} calls  ${k.threaded ? 'multi-threaded' : 'one thread'}`,
    );
  const js = Math.max(0, p.stepMs - p.kernelMs);
  lines.push(`  ${'(JavaScript between kernels)'.padEnd(26)} ${js.toFixed(0).padStart(7)} ms ${pct(js).padStart(6)}`);
  lines.push(`  step ${p.stepMs.toFixed(0)} ms; single-threaded share ${(100 * p.singleThreadedShare).toFixed(1)}%`);
  return lines;
}
