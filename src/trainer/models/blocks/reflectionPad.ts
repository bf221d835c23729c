// Reflection padding with an exact gradient. tfjs's MirrorPad gradient only slices out the
// centre and drops what the reflected border contributed; here the border's gradient is folded
// back onto the rows and columns it was copied from (reflect mode: the edge itself isn't copied).
import * as tf from '@tensorflow/tfjs';
import { REFLECT_PAD_GRAD } from '../../engine/reflectPadGrad';

/** Folds the gradient of a reflect-padded axis back onto the unpadded length n. */
function foldAxis(dy: tf.Tensor4D, axis: 1 | 2, n: number, p0: number, p1: number): tf.Tensor4D {
  const sliceAxis = (start: number, len: number) => {
    const begin = [0, 0, 0, 0];
    const size = [-1, -1, -1, -1];
    begin[axis] = start;
    size[axis] = len;
    return tf.slice(dy, begin, size);
  };
  const padAxis = (t: tf.Tensor4D, before: number, after: number) => {
    const pads: [number, number][] = [[0, 0], [0, 0], [0, 0], [0, 0]];
    pads[axis] = [before, after];
    return tf.pad(t, pads);
  };
  let g = sliceAxis(p0, n);
  // Padded row i < p0 is a copy of x row p0 - i, so rows p0..1 receive the reversed top band.
  if (p0 > 0) g = tf.add(g, padAxis(tf.reverse(sliceAxis(0, p0), axis), 1, n - 1 - p0));
  // Padded row p0 + n + j is a copy of x row n - 2 - j.
  if (p1 > 0) g = tf.add(g, padAxis(tf.reverse(sliceAxis(p0 + n, p1), axis), n - 1 - p1, 1));
  return g;
}

/** Reflection-pads H by p[0] and W by p[1] on both sides (as CycleGAN's ReflectionPad2d). */
export function reflectionPad2d(x: tf.Tensor4D, p: [number, number]): tf.Tensor4D {
  const [, h, w] = x.shape;
  if (p[0] >= h || p[1] >= w) throw new Error(`reflectionPad2d: padding ${p} must be smaller than the image ${h}x${w}`);
  const f = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const xin = args[0] as tf.Tensor4D;
    const value = tf.mirrorPad(xin, [[0, 0], [p[0], p[0]], [p[1], p[1]], [0, 0]], 'reflect');
    const gradFunc = (dy: tf.Tensor4D) => {
      // One pass on the wasm heap where the engine registered that kernel (engine/reflectPadGrad.ts).
      if (tf.getKernel(REFLECT_PAD_GRAD, tf.getBackend()) && dy.dtype === 'float32')
        return tf.engine().runKernel(REFLECT_PAD_GRAD, { dy }, { pads: p }) as tf.Tensor4D;
      const gh = foldAxis(dy, 1, h, p[0], p[0]);
      return foldAxis(gh, 2, w, p[1], p[1]);
    };
    return { value, gradFunc };
  });
  return f(x) as tf.Tensor4D;
}

export class ReflectionPadding2D extends tf.layers.Layer {
  static readonly className = 'ReflectionPadding2D';
  readonly padding: [number, number];
  constructor(args: { padding: number | [number, number]; name?: string }) {
    super(args);
    this.padding = typeof args.padding === 'number' ? [args.padding, args.padding] : args.padding;
  }
  override computeOutputShape(s: tf.Shape): tf.Shape {
    const [ph, pw] = this.padding;
    return [s[0], s[1] === null ? null : s[1] + 2 * ph, s[2] === null ? null : s[2] + 2 * pw, s[3]];
  }
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    return reflectionPad2d(x as tf.Tensor4D, this.padding);
  }
  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), padding: this.padding };
  }
}
tf.serialization.registerClass(ReflectionPadding2D);
