// Adam (Kingma & Ba 2015) as tfjs's AdamOptimizer computes it, with each weight's update in its
// own tidy. tfjs 4.22 updates every weight inside one tidy, so the ~10 full-size temporaries of
// every weight stay alive until the last weight is done: for pix2pix's 57M weights that is
// ~2.4 GB on top of the weights, the moments and the gradients (the step's memory peak,
// 3.8 GB). Same state (moments, accBeta1/2), same names and weights in checkpoints, same
// arithmetic in the same order, so results are bitwise tfjs's.
import * as tf from '@tensorflow/tfjs';

interface Slot {
  originalName: string;
  variable: tf.Variable;
}
/** AdamOptimizer's fields (private in its typings; stable since tfjs 1.x). */
interface AdamState {
  accBeta1: tf.Variable;
  accBeta2: tf.Variable;
  accumulatedFirstMoment: Slot[];
  accumulatedSecondMoment: Slot[];
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  incrementIterations(): void;
}

type VariableGrads = Parameters<tf.AdamOptimizer['applyGradients']>[0];

export class Adam extends tf.AdamOptimizer {
  override applyGradients(variableGradients: VariableGrads): void {
    const s = this as unknown as AdamState;
    const names = Array.isArray(variableGradients)
      ? variableGradients.map((v) => v.name)
      : Object.keys(variableGradients);
    const [oneMinusAccBeta1, oneMinusAccBeta2] = tf.tidy(() => [tf.sub(1, s.accBeta1), tf.sub(1, s.accBeta2)]);
    names.forEach((name, i) => {
      const value = tf.engine().registeredVariables[name];
      s.accumulatedFirstMoment[i] ??= { originalName: `${name}/m`, variable: zerosVariable(value) };
      s.accumulatedSecondMoment[i] ??= { originalName: `${name}/v`, variable: zerosVariable(value) };
      const gradient = Array.isArray(variableGradients)
        ? (variableGradients[i] as { tensor: tf.Tensor }).tensor
        : variableGradients[name];
      if (gradient == null) return;
      tf.tidy(() => {
        const m = s.accumulatedFirstMoment[i].variable;
        const v = s.accumulatedSecondMoment[i].variable;
        const newM = tf.add(tf.mul(m, s.beta1), tf.mul(gradient, 1 - s.beta1));
        const newV = tf.add(tf.mul(v, s.beta2), tf.mul(tf.square(gradient), 1 - s.beta2));
        const mHat = tf.div(newM, oneMinusAccBeta1);
        const vHat = tf.div(newV, oneMinusAccBeta2);
        m.assign(newM);
        v.assign(newV);
        value.assign(tf.add(tf.mul(tf.div(mHat, tf.add(tf.sqrt(vHat), s.epsilon)), -s.learningRate), value));
      });
    });
    tf.dispose([oneMinusAccBeta1, oneMinusAccBeta2]);
    tf.tidy(() => {
      s.accBeta1.assign(tf.mul(s.accBeta1, s.beta1));
      s.accBeta2.assign(tf.mul(s.accBeta2, s.beta2));
    });
    s.incrementIterations();
  }
}

const zerosVariable = (like: tf.Tensor) => tf.tidy(() => tf.zerosLike(like).variable(false));

/** tf.train.adam's defaults (epsilon from the backend). */
export function adam(learningRate: number, beta1 = 0.9, beta2 = 0.999): tf.Optimizer {
  return new Adam(learningRate, beta1, beta2);
}
