// One non-saturating GAN step (Goodfellow et al. 2014, the variant every DCGAN uses):
//   D: minimise BCE(D(x), 1) + BCE(D(G(z)), 0)        G: minimise BCE(D(G(z)), 1)
// with sigmoid cross-entropy on logits. The order matches the PyTorch reference
// (../shared/bench/dcgan_torch.py): G runs forward once, D is updated on that fake batch,
// then G's loss is taken through the *updated* D.
//
// How: G's forward pass is recorded once by the outer variableGrads; inside it (tape paused)
// D is updated on a detached copy of the fakes and dL_G/dfake is computed through the new D;
// the outer tape then turns that into G's weight gradients as the vector-Jacobian product
// sum(fake * dL_G/dfake). This saves a second G forward pass per step. test/unit/nsgan.test.ts
// checks it against the plain two-pass formulation. The four reported scalars are kept out of
// the tidy and read in one download after it (no synchronous read: GPU backends have none).
import * as tf from '@tensorflow/tfjs';
import { tidyScalars } from '../engine/read';
import type { StepResult } from '../models/family';

export interface NsGanStepInputs {
  G: tf.LayersModel;
  D: tf.LayersModel;
  gOpt: tf.Optimizer;
  dOpt: tf.Optimizer;
  /** G's inputs: [z] or [z, labels]. */
  gInputs: tf.Tensor[];
  real: tf.Tensor4D;
  /** Extra D inputs after the image (cGAN: the one-hot labels of real and fake alike). */
  dExtra?: tf.Tensor[];
}

/** Mean sigmoid cross-entropy against an all-ones or all-zeros target, stable for any logit. */
export function bceWithLogits(logits: tf.Tensor, target: 0 | 1): tf.Scalar {
  // BCE(x, 1) = softplus(-x); BCE(x, 0) = softplus(x)
  return tf.mean(tf.softplus(target === 1 ? tf.neg(logits) : logits));
}

export const trainableVariables = (m: tf.LayersModel): tf.Variable[] =>
  m.trainableWeights.map((w) => w.read() as tf.Variable);

interface TapeState {
  gradientDepth: number;
  activeTape: unknown;
}

/**
 * Runs fn with the gradient tape of the enclosing variableGrads paused, so D's own update is
 * not recorded on G's tape (on wasm every recorded op copies the tensors it saves, and none
 * of D's update is on G's gradient path). Uses tfjs 4.22's engine state; if that ever
 * changes, fn simply runs recorded, which is slower but still correct.
 */
function untaped<T>(fn: (paused: boolean) => T): T {
  const state = (tf.engine() as unknown as { state?: Partial<TapeState> }).state;
  if (!state || typeof state.gradientDepth !== 'number' || !('activeTape' in state)) return fn(false);
  const { gradientDepth, activeTape } = state as TapeState;
  state.gradientDepth = 0;
  try {
    return fn(true);
  } finally {
    state.gradientDepth = gradientDepth;
    state.activeTape = activeTape;
  }
}

/**
 * The same values with no autodiff history: gradients cannot flow through it. With the tape
 * paused a clone is not recorded; otherwise a non-trainable variable sharing t's data (made
 * without running an op, so the tape has no node linking it to t). The caller disposes it.
 */
function detached(t: tf.Tensor, paused: boolean): tf.Tensor {
  return paused ? tf.clone(t) : tf.variable(t, false);
}

export async function nsGanStep(o: NsGanStepInputs): Promise<StepResult> {
  const dIn = (img: tf.Tensor) => (o.dExtra?.length ? [img, ...o.dExtra] : img);
  const D = (img: tf.Tensor) => o.D.apply(dIn(img), { training: true }) as tf.Tensor;
  const [dReal, dFake, dLoss, gLoss] = await tidyScalars((keep) => {
    const { grads: gGrads } = tf.variableGrads(() => {
      const fake = o.G.apply(o.gInputs.length === 1 ? o.gInputs[0] : o.gInputs, { training: true }) as tf.Tensor;
      const dLossDFake = untaped((paused) => {
        const fakeCopy = detached(fake, paused);
        try {
          const { grads: dGrads } = tf.variableGrads(() => {
            const lr = D(o.real);
            const lf = D(fakeCopy);
            keep(tf.mean(tf.sigmoid(lr)));
            keep(tf.mean(tf.sigmoid(lf)));
            return keep(tf.add(bceWithLogits(lr, 1), bceWithLogits(lf, 0)) as tf.Scalar);
          }, trainableVariables(o.D));
          o.dOpt.applyGradients(dGrads);
          tf.dispose(dGrads);

          const gLossOf = (x: tf.Tensor) => bceWithLogits(D(x), 1);
          const { value: gLoss, grad } = tf.valueAndGrad(gLossOf)(fakeCopy);
          keep(gLoss);
          return grad;
        } finally {
          fakeCopy.dispose();
        }
      });
      return tf.sum(tf.mul(fake, dLossDFake));
    }, trainableVariables(o.G));
    o.gOpt.applyGradients(gGrads);
    tf.dispose(gGrads);
  });
  return { losses: { dLoss, gLoss }, dReal, dFake };
}
