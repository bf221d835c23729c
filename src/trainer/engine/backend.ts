// Backend selection. PLACEHOLDER until the native kernels land: the interface is final.
import * as tf from '@tensorflow/tfjs';
import type { BackendName } from '../../shared/backends';

export interface BackendOptions {
  /** Threads for the native kernels (onnxruntime intra-op). Default: all cores. */
  threads?: number;
}

/** Initialises the named backend and returns the name actually in use (after any fallback). */
export async function initBackend(name: BackendName, _opts: BackendOptions = {}): Promise<BackendName> {
  await tf.setBackend('cpu');
  await tf.ready();
  return name === 'cpu' ? 'cpu' : 'cpu';
}
