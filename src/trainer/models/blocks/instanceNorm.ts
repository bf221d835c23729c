// Instance normalization (Ulyanov et al. 2016), which tfjs-layers lacks: each image and channel
// is normalised over its own H x W. affine=false by default, as in the CycleGAN reference code.
import * as tf from '@tensorflow/tfjs';

/**
 * (x - mean) / sqrt(var + eps) over axes 1 and 2, with its gradient written out: autodiff of the
 * composed ops keeps three full-size tensors a layer for the backward pass and makes a dozen
 * full-size temporaries in it; this keeps only the output (and the per-channel 1/std).
 * dx = (dy - mean(dy) - y * mean(dy * y)) / std, means over H x W (the biased variance's gradient).
 */
export function instanceNorm(x: tf.Tensor4D, epsilon: number): tf.Tensor4D {
  const f = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const xin = args[0] as tf.Tensor4D;
    const save = args[1] as tf.GradSaveFunc;
    const mean = tf.mean(xin, [1, 2], true);
    const centred = tf.sub(xin, mean);
    const invStd = tf.rsqrt(tf.add(tf.mean(tf.square(centred), [1, 2], true), epsilon));
    const value = tf.mul(centred, invStd) as tf.Tensor4D;
    save([value, invStd]);
    const gradFunc = (dy: tf.Tensor4D, saved: tf.Tensor[]) => {
      const [y, inv] = saved;
      const meanDy = tf.mean(dy, [1, 2], true);
      const meanDyY = tf.mean(tf.mul(dy, y), [1, 2], true);
      return tf.mul(tf.sub(tf.sub(dy, meanDy), tf.mul(y, meanDyY)), inv);
    };
    return { value, gradFunc };
  });
  return f(x) as tf.Tensor4D;
}

export interface InstanceNormArgs {
  epsilon?: number;
  affine?: boolean;
  name?: string;
}

export class InstanceNormalization extends tf.layers.Layer {
  static readonly className = 'InstanceNormalization';
  readonly epsilon: number;
  readonly affine: boolean;
  private gamma?: tf.LayerVariable;
  private beta?: tf.LayerVariable;

  constructor(args: InstanceNormArgs = {}) {
    super(args);
    this.epsilon = args.epsilon ?? 1e-5;
    this.affine = args.affine ?? false;
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const s = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    const c = s[s.length - 1];
    if (c === null) throw new Error('InstanceNormalization needs a known channel count');
    if (this.affine) {
      this.gamma = this.addWeight('gamma', [c], 'float32', tf.initializers.ones());
      this.beta = this.addWeight('beta', [c], 'float32', tf.initializers.zeros());
    }
    this.built = true;
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor4D;
      let y: tf.Tensor = instanceNorm(x, this.epsilon);
      if (this.gamma && this.beta) y = tf.add(tf.mul(y, this.gamma.read()), this.beta.read());
      return y;
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), epsilon: this.epsilon, affine: this.affine };
  }
}
tf.serialization.registerClass(InstanceNormalization);
