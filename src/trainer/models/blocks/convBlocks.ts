// The basic blocks every network is made of, built-in families and users' model files alike
// (the "gan-studio" module re-exports them): functions from symbolic tensor to symbolic tensor.
// Initialisation follows the papers' code unless `init` says otherwise:
//  - "normal" (default; DCGAN, pix2pix, CycleGAN): weights ~ N(0, 0.02), biases 0, batch-norm
//    scales ~ N(1, 0.02), PyTorch's batch-norm momentum 0.1 and epsilon 1e-5;
//  - "glorot" (tfjs' own default, Glorot normal: the original GAN's MLPs), "he" (He normal:
//    SRGAN's convs): those weights and tfjs' batch-norm defaults.
// Initialisers draw their seeds from Math.random, which the trainer makes the run's seeded
// generator: the same calls in the same order give the same weights.
import * as tf from '@tensorflow/tfjs';
import { InstanceNormalization } from './instanceNorm';
import { PixelShuffle } from './pixelShuffle';
import { ReflectionPadding2D } from './reflectionPad';

type S = tf.SymbolicTensor;
export const ap = (layer: tf.layers.Layer, x: S | S[]) => layer.apply(x) as S;

export type Norm = 'batch' | 'instance' | 'none';
export type Activation = 'relu' | 'leakyRelu' | 'prelu' | 'tanh' | 'sigmoid' | 'linear';
export type Init = 'normal' | 'glorot' | 'he';

export interface BlockOptions {
  /** Normalisation after the layer: batch (DCGAN, pix2pix), instance (CycleGAN) or none. Default none. */
  norm?: Norm;
  /** Activation after the normalisation. Default linear (none). */
  activation?: Activation;
  /** Negative slope of leakyRelu. Default 0.2 (the papers' value). */
  leak?: number;
  /** Dropout rate after the activation; 0 = none. */
  dropout?: number;
  /** Weight initialisation: normal = N(0, 0.02) (the GAN papers'; default), glorot (normal), he (normal). */
  init?: Init;
  name?: string;
}

export interface ConvOptions extends BlockOptions {
  filters: number;
  /** Default 3. */
  kernelSize?: number;
  /** Default 1. */
  strides?: number;
  /** Default "same"; a number = that much zero padding on each side, then "valid" (PyTorch's padding=p). */
  padding?: 'same' | 'valid' | number;
  /** Default: true unless a batch/instance norm follows (its shift makes a bias redundant). */
  useBias?: boolean;
}

export interface NormOptions {
  name?: string;
  init?: Init;
  /** Batch norm's moving-average momentum (tfjs counts it the other way from PyTorch). */
  momentum?: number;
}

export function initializer(init: Init = 'normal'): ReturnType<typeof tf.initializers.zeros> {
  if (init === 'glorot') return tf.initializers.glorotNormal({});
  if (init === 'he') return tf.initializers.heNormal({});
  return tf.initializers.randomNormal({ mean: 0, stddev: 0.02 });
}

/** Normalisation layer by name (none returns x unchanged). */
export function norm(x: S, kind: Norm = 'batch', o: NormOptions = {}): S {
  if (kind === 'instance') return ap(new InstanceNormalization({ name: o.name }), x);
  if (kind !== 'batch') return x;
  const paper = (o.init ?? 'normal') === 'normal';
  return ap(tf.layers.batchNormalization({
    name: o.name, momentum: o.momentum ?? (paper ? 0.9 : 0.99), epsilon: paper ? 1e-5 : 1e-3,
    gammaInitializer: paper ? tf.initializers.randomNormal({ mean: 1, stddev: 0.02 }) : 'ones',
  }), x);
}

const SUFFIX: Record<Activation, string> = { relu: 'relu', leakyRelu: 'lrelu', prelu: 'prelu', tanh: 'tanh', sigmoid: 'sigmoid', linear: '' };

/** Activation layer by name (linear returns x unchanged). */
export function activation(x: S, kind: Activation = 'relu', leak = 0.2, name?: string): S {
  switch (kind) {
    case 'relu': return ap(tf.layers.reLU({ name }), x);
    case 'leakyRelu': return ap(tf.layers.leakyReLU({ alpha: leak, name }), x);
    // One slope per channel, shared over the image (SRGAN's PReLU).
    case 'prelu': return ap(tf.layers.prelu({ sharedAxes: x.shape.length === 4 ? [1, 2] : undefined, name }), x);
    case 'tanh': case 'sigmoid': return ap(tf.layers.activation({ activation: kind, name }), x);
    default: return x;
  }
}

/** Norm -> activation -> dropout after a layer named `o.name` (the others are named after it). */
function finish(h: S, o: BlockOptions): S {
  const sub = (s: string) => (o.name && s ? `${o.name}_${s}` : undefined);
  const act = o.activation ?? 'linear';
  h = norm(h, o.norm ?? 'none', { name: sub('norm'), init: o.init });
  h = activation(h, act, o.leak, sub(SUFFIX[act]));
  return o.dropout ? ap(tf.layers.dropout({ rate: o.dropout, name: sub('dropout') }), h) : h;
}

const hasNorm = (o: BlockOptions) => (o.norm ?? 'none') !== 'none';

function convArgs(o: ConvOptions) {
  return {
    filters: o.filters, kernelSize: o.kernelSize ?? 3, strides: o.strides ?? 1, name: o.name,
    padding: typeof o.padding === 'number' ? 'valid' as const : o.padding ?? 'same',
    useBias: o.useBias ?? !hasNorm(o), kernelInitializer: initializer(o.init),
  };
}

export const zeroPad = (x: S, pad: number, name?: string): S => ap(tf.layers.zeroPadding2d({ padding: pad, name }), x);
const padFor = (x: S, o: ConvOptions) => (typeof o.padding === 'number' ? zeroPad(x, o.padding, o.name && `${o.name}_pad`) : x);

/** Conv2D -> norm -> activation -> dropout. */
export function conv(x: S, o: ConvOptions): S {
  return finish(ap(tf.layers.conv2d(convArgs(o)), padFor(x, o)), o);
}

/** Conv2DTranspose (stride 2 doubles the size) -> norm -> activation -> dropout. */
export function deconv(x: S, o: ConvOptions): S {
  return finish(ap(tf.layers.conv2dTranspose(convArgs(o)), padFor(x, o)), o);
}

/** Dense -> norm -> activation -> dropout. */
export function dense(x: S, o: BlockOptions & { units: number; useBias?: boolean }): S {
  const layer = tf.layers.dense({ units: o.units, useBias: o.useBias ?? !hasNorm(o), name: o.name, kernelInitializer: initializer(o.init) });
  return finish(ap(layer, x), o);
}

export const reshape = (x: S, shape: number[]): S => ap(tf.layers.reshape({ targetShape: shape }), x);
export const flatten = (x: S): S => ap(tf.layers.flatten(), x);
/** Concatenates on the channel (last) axis. */
export const concat = (xs: S[], name?: string): S => ap(tf.layers.concatenate({ axis: -1, name }), xs);
export const add = (xs: S[], name?: string): S => ap(tf.layers.add({ name }), xs);
export const globalAvgPool = (x: S): S => ap(tf.layers.globalAveragePooling2d({}), x);

/** Instance normalisation (Ulyanov et al. 2016): each image and channel over its own H x W. */
export const instanceNorm = (x: S, affine = false): S => ap(new InstanceNormalization({ affine }), x);
/** Reflection padding of H and W by `pad` on each side, with an exact gradient. */
export const reflectionPad = (x: S, pad: number, name?: string): S => ap(new ReflectionPadding2D({ padding: pad, name }), x);
/** Sub-pixel upsampling (Shi et al. 2016): [h, w, c*r*r] -> [h*r, w*r, c]. */
export const pixelShuffle = (x: S, scale: number, name?: string): S => ap(new PixelShuffle({ scale, name }), x);

/** cGAN: a one-hot label [classes] as `size` x `size` x classes constant planes, to concatenate to an image. */
export function labelPlanes(label: S, size: number): S {
  const classes = label.shape[label.shape.length - 1] as number;
  return ap(tf.layers.upSampling2d({ size: [size, size] }), reshape(label, [1, 1, classes]));
}
