// The loss terms of pix2pix and CycleGAN, each a pure function of tensors so the tests can
// check the terms and their weights by hand.
//   pix2pix  G: BCE(D(x, G(x)), 1) + lambdaL1 * |y - G(x)|          D: (BCE(D(x, y), 1) + BCE(D(x, G(x)), 0)) / 2
//   CycleGAN G: LSGAN adversarial both ways + lambdaCycle * (|F(G(a)) - a| + |G(F(b)) - b|)
//                 + lambdaIdentity * lambdaCycle * (|G(b) - b| + |F(a) - a|)
//            D: (MSE(D(real), 1) + MSE(D(fake), 0)) / 2 for each discriminator
// D's objective is halved in both papers' code "to slow down the rate at which D learns".
import * as tf from '@tensorflow/tfjs';
import { bceWithLogits } from '../../train/nsgan';

export const l1 = (a: tf.Tensor, b: tf.Tensor) => tf.mean(tf.abs(tf.sub(a, b))) as tf.Scalar;

/** Least-squares GAN loss: mean (D(x) - target)^2. */
export const lsgan = (pred: tf.Tensor, target: 0 | 1) => tf.mean(tf.square(target ? tf.sub(pred, 1) : pred)) as tf.Scalar;

export interface Pix2pixGTerms { adv: tf.Scalar; l1: tf.Scalar; total: tf.Scalar }

export function pix2pixGLoss(dFakeLogits: tf.Tensor, fake: tf.Tensor, target: tf.Tensor, lambdaL1: number): Pix2pixGTerms {
  const adv = bceWithLogits(dFakeLogits, 1);
  const rec = l1(fake, target);
  return { adv, l1: rec, total: tf.add(adv, tf.mul(lambdaL1, rec)) as tf.Scalar };
}

export const pix2pixDLoss = (realLogits: tf.Tensor, fakeLogits: tf.Tensor) =>
  tf.mul(0.5, tf.add(bceWithLogits(realLogits, 1), bceWithLogits(fakeLogits, 0))) as tf.Scalar;

export const lsganDLoss = (real: tf.Tensor, fake: tf.Tensor) => tf.mul(0.5, tf.add(lsgan(real, 1), lsgan(fake, 0))) as tf.Scalar;

export interface CycleInputs {
  a: tf.Tensor; b: tf.Tensor;
  /** G(a), F(G(a)), F(b), G(F(b)); identities G(b), F(a) when lambdaIdentity > 0. */
  fakeB: tf.Tensor; recA: tf.Tensor; fakeA: tf.Tensor; recB: tf.Tensor;
  idtB?: tf.Tensor; idtA?: tf.Tensor;
  /** D_B(G(a)) and D_A(F(b)). */
  dBFake: tf.Tensor; dAFake: tf.Tensor;
}

export interface CycleTerms {
  advAB: tf.Scalar; advBA: tf.Scalar; cycleA: tf.Scalar; cycleB: tf.Scalar; idtA?: tf.Scalar; idtB?: tf.Scalar; total: tf.Scalar;
}

/** One direction's generator terms: LSGAN adversarial on D(fake) + lambdaCycle * |rec - real|. */
export function cycleDirection(dFake: tf.Tensor, rec: tf.Tensor, real: tf.Tensor, lambdaCycle: number) {
  const adv = lsgan(dFake, 1), cycle = l1(rec, real);
  return { adv, cycle, total: tf.add(adv, tf.mul(lambdaCycle, cycle)) as tf.Scalar };
}

/** The identity terms: lambdaIdentity * lambdaCycle * (|F(a) - a| + |G(b) - b|). */
export function identityTerms(idtA: tf.Tensor, a: tf.Tensor, idtB: tf.Tensor, b: tf.Tensor, weight: number) {
  const termA = l1(idtA, a), termB = l1(idtB, b);
  return { idtA: termA, idtB: termB, total: tf.mul(weight, tf.add(termA, termB)) as tf.Scalar };
}

/** The whole generator loss; the training step takes its three parts on separate tapes (gradsOfSum). */
export function cycleGLoss(x: CycleInputs, lambdaCycle: number, lambdaIdentity: number): CycleTerms {
  const ab = cycleDirection(x.dBFake, x.recA, x.a, lambdaCycle);
  const ba = cycleDirection(x.dAFake, x.recB, x.b, lambdaCycle);
  const parts: tf.Tensor[] = [ab.total, ba.total];
  let idt: ReturnType<typeof identityTerms> | undefined;
  if (lambdaIdentity > 0 && x.idtA && x.idtB) {
    idt = identityTerms(x.idtA, x.a, x.idtB, x.b, lambdaIdentity * lambdaCycle);
    parts.push(idt.total);
  }
  return {
    advAB: ab.adv, advBA: ba.adv, cycleA: ab.cycle, cycleB: ba.cycle,
    idtA: idt?.idtA, idtB: idt?.idtB, total: tf.addN(parts) as tf.Scalar,
  };
}
