// One non-saturating GAN step (Goodfellow et al. 2014, the variant every DCGAN uses):
//   D: minimise BCE(D(x), 1) + BCE(D(G(z)), 0)        G: minimise BCE(D(G(z)), 1)
// with sigmoid cross-entropy on logits. The order matches the PyTorch reference
// (../shared/bench/dcgan_torch.py): G runs forward once, D is updated on that fake batch,
// then G's loss is taken through the *updated* D.
//
// Why the nested tapes: G's forward pass is recorded once by the outer variableGrads; inside
// it D is updated on a detached copy of the fakes, then dL_G/dfake is computed through the
// new D, and the outer tape turns that into G's weight gradients as the vector-Jacobian
// product sum(fake * dL_G/dfake). This saves a second G forward pass per step.
import * as tf from '@tensorflow/tfjs';
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

/** A copy with no autodiff history: gradients cannot flow through it. */
function detached(t: tf.Tensor): tf.Tensor {
  return tf.tensor(t.dataSync(), t.shape, t.dtype);
}

export function nsGanStep(o: NsGanStepInputs): StepResult {
  const dIn = (img: tf.Tensor) => (o.dExtra?.length ? [img, ...o.dExtra] : img);
  const D = (img: tf.Tensor) => o.D.apply(dIn(img), { training: true }) as tf.Tensor;
  const kept: tf.Tensor[] = [];
  const keep = <T extends tf.Tensor>(t: T): T => { kept.push(tf.keep(t)); return t; };

  tf.tidy(() => {
    const { grads: gGrads } = tf.variableGrads(() => {
      const fake = o.G.apply(o.gInputs.length === 1 ? o.gInputs[0] : o.gInputs, { training: true }) as tf.Tensor;
      const fakeCopy = detached(fake);

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
      const { value: gLoss, grad: dFake } = tf.valueAndGrad(gLossOf)(fakeCopy);
      keep(gLoss);
      return tf.sum(tf.mul(fake, dFake));
    }, trainableVariables(o.G));
    o.gOpt.applyGradients(gGrads);
    tf.dispose(gGrads);
  });

  const [dReal, dFake, dLoss, gLoss] = kept.map((t) => t.dataSync()[0]);
  tf.dispose(kept);
  return { losses: { dLoss, gLoss }, dReal, dFake };
}
