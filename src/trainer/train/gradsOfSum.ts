// The gradient of a loss that is a sum of terms sharing no forward pass, taken one term's tape
// at a time. Equal to the gradient of the sum (up to the order of float additions), with only
// one term's activations alive at once: CycleGAN's generator loss has three such terms (each
// direction's adversarial + cycle, and the identities), so its step keeps two generator passes
// for the backward pass instead of six.
import * as tf from '@tensorflow/tfjs';

export function gradsOfSum(terms: readonly (() => tf.Scalar)[], vars: tf.Variable[]): tf.NamedTensorMap {
  const sum: tf.NamedTensorMap = {};
  for (const term of terms) {
    const { value, grads } = tf.variableGrads(term, vars);
    value.dispose();
    for (const [name, g] of Object.entries(grads)) {
      const prev = sum[name];
      if (!prev) {
        sum[name] = g;
        continue;
      }
      sum[name] = tf.add(prev, g);
      tf.dispose([prev, g]);
    }
  }
  return sum;
}
