// Sub-pixel upsampling (Shi et al. 2016) from reshape + transpose: tfjs has no gradient for
// depthToSpace, but reshape and transpose have exact ones. Channel order matches TF's
// depth_to_space (DCR): input channel (i * r + j) * C + c goes to pixel (i, j), channel c.
import * as tf from '@tensorflow/tfjs';

export function pixelShuffle(x: tf.Tensor4D, r: number): tf.Tensor4D {
  return tf.tidy(() => {
    const [n, h, w, crr] = x.shape;
    if (crr % (r * r) !== 0) throw new Error(`pixelShuffle: ${crr} channels is not a multiple of ${r}x${r}`);
    const c = crr / (r * r);
    const t = tf.transpose(tf.reshape(x, [n, h, w, r, r, c]), [0, 1, 3, 2, 4, 5]);
    return tf.reshape(t, [n, h * r, w * r, c]);
  });
}

/** The same as a layer, serializable by class name. */
export class PixelShuffle extends tf.layers.Layer {
  static readonly className = 'PixelShuffle';
  readonly scale: number;
  constructor(args: { scale: number; name?: string }) {
    super(args);
    this.scale = args.scale;
  }
  override computeOutputShape(s: tf.Shape): tf.Shape {
    const r = this.scale;
    return [s[0], s[1] === null ? null : s[1] * r, s[2] === null ? null : s[2] * r, s[3] === null ? null : s[3] / (r * r)];
  }
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    return pixelShuffle(x as tf.Tensor4D, this.scale);
  }
  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), scale: this.scale };
  }
}
tf.serialization.registerClass(PixelShuffle);
