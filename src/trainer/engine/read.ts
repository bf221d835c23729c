// Reading numbers back from tensors. GPU backends (webgpu) have no synchronous read in Node
// (dataSync() needs an OffscreenCanvas there), and a read is a round trip to the device: so
// every read in the trainer is `await t.data()`, and the scalars a step reports are read
// together, stacked into one tensor, in one download. The lint forbids dataSync, arraySync
// and bufferSync in src/trainer and src/shared (eslint.config.mjs).
import * as tf from '@tensorflow/tfjs';

/**
 * The values of scalar tensors (any dtype), in order, in one download. The tensors are not
 * disposed: the caller owns them (typically kept from a tidy, disposed in a finally).
 */
export async function readScalars(tensors: readonly tf.Tensor[]): Promise<number[]> {
  if (!tensors.length) return [];
  for (const t of tensors) {
    if (t.size !== 1) throw new Error(`readScalars: a tensor of shape [${t.shape.join(', ')}] is not a scalar`);
  }
  const stacked = tf.tidy(() =>
    tf.stack(tensors.map((t) => tf.reshape(t.dtype === 'float32' ? t : tf.cast(t, 'float32'), []))),
  );
  try {
    return Array.from((await stacked.data()) as Float32Array);
  } finally {
    stacked.dispose();
  }
}

/**
 * Runs fn inside a tf.tidy; what fn passes to keep(t) survives the tidy and is read back after
 * it, all in one download, in keep order. Every kept tensor is disposed, also when fn throws.
 */
export async function tidyScalars(fn: (keep: <T extends tf.Tensor>(t: T) => T) => void): Promise<number[]> {
  const kept: tf.Tensor[] = [];
  try {
    tf.tidy(() =>
      fn((t) => {
        kept.push(tf.keep(t));
        return t;
      }),
    );
  } catch (e) {
    tf.dispose(kept);
    throw e;
  }
  return takeScalars(kept);
}

/** readScalars, then disposes the tensors (also when the read fails). */
export async function takeScalars(tensors: readonly tf.Tensor[]): Promise<number[]> {
  try {
    return await readScalars(tensors);
  } finally {
    tf.dispose(tensors as tf.Tensor[]);
  }
}

/** A float32 tensor's values in one download, then the tensor disposed. */
export async function takeFloats(t: tf.Tensor): Promise<Float32Array> {
  try {
    return (await t.data()) as Float32Array;
  } finally {
    t.dispose();
  }
}
