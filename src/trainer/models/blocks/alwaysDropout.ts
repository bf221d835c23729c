// Dropout that stays on at inference. pix2pix's generator takes its noise from dropout in
// the first decoder blocks "at both training and test time" (Isola et al. 2017, sec. 3.1),
// so a saved model must keep dropping units when it is loaded and run with predict().
// The mask is drawn through Math.random, i.e. the run's seeded generator while training.
import * as tf from '@tensorflow/tfjs';

export class AlwaysDropout extends tf.layers.Layer {
  static readonly className = 'AlwaysDropout';
  readonly rate: number;
  constructor(args: { rate: number; name?: string }) {
    super(args);
    this.rate = args.rate;
  }
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    return this.rate > 0 ? tf.dropout(x, this.rate) : x;
  }
  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), rate: this.rate };
  }
}
tf.serialization.registerClass(AlwaysDropout);
