// The one-forward-pass GAN step must give exactly what the plain formulation gives: update D
// on (real, G(z)), then take G's gradient through the updated D with a second G forward.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { resolveConfig } from '../../src/shared/config';
import { installAsMathRandom, Rng } from '../../src/trainer/engine/rng';
import { getFamily, type ModelSpec } from '../../src/trainer/models';
import { bceWithLogits, nsGanStep, trainableVariables } from '../../src/trainer/train/nsgan';

test.before(async () => {
  await tf.setBackend('cpu');
});

function referenceStep(
  G: tf.LayersModel,
  D: tf.LayersModel,
  gOpt: tf.Optimizer,
  dOpt: tf.Optimizer,
  z: tf.Tensor,
  real: tf.Tensor,
) {
  return tf.tidy(() => {
    const fake = tf.tensor((G.apply(z, { training: true }) as tf.Tensor).dataSync(), [
      real.shape[0],
      ...real.shape.slice(1),
    ]);
    const d = tf.variableGrads(
      () =>
        tf.add(
          bceWithLogits(D.apply(real, { training: true }) as tf.Tensor, 1),
          bceWithLogits(D.apply(fake, { training: true }) as tf.Tensor, 0),
        ) as tf.Scalar,
      trainableVariables(D),
    );
    dOpt.applyGradients(d.grads);
    const g = tf.variableGrads(
      () => bceWithLogits(D.apply(G.apply(z, { training: true }) as tf.Tensor, { training: true }) as tf.Tensor, 1),
      trainableVariables(G),
    );
    gOpt.applyGradients(g.grads);
    return [d.value.dataSync()[0], g.value.dataSync()[0]];
  });
}

test('nsgan: one-pass step == two-pass reference (losses and every weight, dropout included)', async () => {
  const params = resolveConfig({ model: 'dcgan', params: { ngf: 2, ndf: 3, latentDim: 5 } }, '/').params;
  const spec: ModelSpec = { imageSize: 28, channels: 1, numClasses: 0, params };
  const fam = getFamily('dcgan');
  const build = () => {
    const restore = installAsMathRandom(new Rng(11));
    const nets = fam.build(spec);
    restore();
    return { G: nets.generator, D: nets.discriminator, gOpt: tf.train.adam(0.01, 0.5), dOpt: tf.train.adam(0.01, 0.5) };
  };
  const a = build(),
    b = build();
  const data = new Rng(3);
  const z = tf.tensor2d(data.normals(4 * 5), [4, 5]);
  const real = tf.tensor4d(
    Float32Array.from({ length: 4 * 784 }, () => data.random() * 2 - 1),
    [4, 28, 28, 1],
  );

  for (let step = 0; step < 3; step++) {
    let restore = installAsMathRandom(new Rng(100 + step));
    const mine = await nsGanStep({ G: a.G, D: a.D, gOpt: a.gOpt, dOpt: a.dOpt, gInputs: [z], real });
    restore();
    restore = installAsMathRandom(new Rng(100 + step));
    const [dLoss, gLoss] = referenceStep(b.G, b.D, b.gOpt, b.dOpt, z, real);
    restore();
    assert.ok(Math.abs(mine.losses.dLoss - dLoss) < 1e-5, `step ${step} dLoss ${mine.losses.dLoss} vs ${dLoss}`);
    assert.ok(Math.abs(mine.losses.gLoss - gLoss) < 1e-5, `step ${step} gLoss ${mine.losses.gLoss} vs ${gLoss}`);
  }
  for (const [x, y] of [
    [a.G, b.G],
    [a.D, b.D],
  ]) {
    const wx = x.trainableWeights.map((w) => w.read().dataSync());
    const wy = y.trainableWeights.map((w) => w.read().dataSync());
    wx.forEach((v, i) =>
      v.forEach((e, j) => assert.ok(Math.abs(e - wy[i][j]) < 1e-5, `${x.name} weight ${i}[${j}]: ${e} vs ${wy[i][j]}`)),
    );
  }
  // and the weights did move
  assert.ok(
    a.G.trainableWeights[0]
      .read()
      .dataSync()
      .some((e, j) => e !== build().G.trainableWeights[0].read().dataSync()[j]),
  );
});
