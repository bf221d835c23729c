// Building blocks shared by the pix2pix and CycleGAN networks, initialised as in the papers'
// code: conv weights ~ N(0, 0.02), batch-norm scales ~ N(1, 0.02). Initialisers draw their
// seeds from Math.random, which the trainer has made the run's seeded generator.
import * as tf from '@tensorflow/tfjs';
import { InstanceNormalization } from './instanceNorm';

export type Norm = 'batch' | 'instance' | 'none';

export const convInit = () => tf.initializers.randomNormal({ mean: 0, stddev: 0.02 });

/** Normalisation layer; batch norm with PyTorch's momentum 0.1 (tfjs counts it the other way). */
export function norm(kind: Norm, name: string): tf.layers.Layer | undefined {
  if (kind === 'batch') {
    return tf.layers.batchNormalization({ name, momentum: 0.9, epsilon: 1e-5, gammaInitializer: tf.initializers.randomNormal({ mean: 1, stddev: 0.02 }) });
  }
  if (kind === 'instance') return new InstanceNormalization({ name, affine: false });
  return undefined;
}

/** Applies `layer` then the norm (if any); the conv has a bias only when no norm follows it. */
export function withNorm(x: tf.SymbolicTensor, kind: Norm, name: string): tf.SymbolicTensor {
  const n = norm(kind, `${name}_norm`);
  return n ? (n.apply(x) as tf.SymbolicTensor) : x;
}

export function conv(x: tf.SymbolicTensor, filters: number, kernel: number, stride: number, name: string, o: { bias: boolean; padding?: 'same' | 'valid' }): tf.SymbolicTensor {
  return tf.layers.conv2d({
    name, filters, kernelSize: kernel, strides: stride, padding: o.padding ?? 'same', useBias: o.bias, kernelInitializer: convInit(),
  }).apply(x) as tf.SymbolicTensor;
}

export function convT(x: tf.SymbolicTensor, filters: number, kernel: number, name: string, bias: boolean): tf.SymbolicTensor {
  return tf.layers.conv2dTranspose({
    name, filters, kernelSize: kernel, strides: 2, padding: 'same', useBias: bias, kernelInitializer: convInit(),
  }).apply(x) as tf.SymbolicTensor;
}

export const leaky = (x: tf.SymbolicTensor, name: string) => tf.layers.leakyReLU({ alpha: 0.2, name }).apply(x) as tf.SymbolicTensor;
export const relu = (x: tf.SymbolicTensor, name: string) => tf.layers.reLU({ name }).apply(x) as tf.SymbolicTensor;
export const zeroPad = (x: tf.SymbolicTensor, name: string) => tf.layers.zeroPadding2d({ padding: 1, name }).apply(x) as tf.SymbolicTensor;
