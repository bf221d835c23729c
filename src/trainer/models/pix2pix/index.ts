// pix2pix (Isola et al. 2017): a U-Net generator G and a 70x70 PatchGAN D that judges the
// (input, output) pair. G minimises BCE(D(x, G(x)), 1) + 100 * L1(G(x), y); D minimises the
// halved BCE of real pairs against generated ones; Adam(2e-4, 0.5) from the config.
//
// One step: G is updated first through the current D, then D on the same fakes, detached.
// The paper alternates one D step and one G step; taking G first needs one G forward pass
// per step instead of two, and the alternation is the same from the second step on.
import * as tf from '@tensorflow/tfjs';
import type { Batch } from '../../data';
import { takeScalars, tidyScalars } from '../../engine/read';
import { trainableVariables } from '../../train/nsgan';
import { inputOfKind, type ExampleImages, type GeneratorInput, type ModelFamily, type ModelSpec, type Networks, type SampleRequest, type StepContext, type StepResult } from '../family';
import { buildPatchGan } from '../blocks/patchGan';
import { exampleInputs, gridRows, resolveNorm, runGenerator } from '../common/imageToImage';
import { l1, pix2pixDLoss, pix2pixGLoss } from '../common/translationLosses';
import { buildUnet } from './unet';
import { pix2pixInfo } from './info';

export function buildPix2pix(spec: ModelSpec): Networks {
  const norm = resolveNorm(spec, 'batch');
  const c = spec.channels;
  return {
    generator: buildUnet({ imageSize: spec.imageSize, inChannels: c, outChannels: c, ngf: spec.params.ngf, dropout: spec.params.dropout, norm }),
    discriminator: buildPatchGan({ imageSize: spec.imageSize, channels: c, conditionChannels: c, ndf: spec.params.ndf, norm }),
  };
}

export const pix2pix: ModelFamily = {
  kind: 'pix2pix',
  info: pix2pixInfo,
  networkNames: ['generator', 'discriminator'],
  lossNames: ['gLoss', 'l1Loss', 'dLoss'],

  build: buildPix2pix,

  async trainStep(ctx: StepContext, batch: Batch): Promise<StepResult> {
    const G = ctx.nets.generator, D = ctx.nets.discriminator;
    const x = batch.images, y = batch.targets;
    if (!y) throw new Error('pix2pix needs paired batches (images and targets)');
    // Two inputs (condition, image), or one with the pair already concatenated (a user's model file).
    const D2 = (img: tf.Tensor) => D.apply(D.inputs.length >= 2 ? [x, img] : tf.concat([x, img], 3), { training: true }) as tf.Tensor;
    // The reported scalars leave the tidy and are read together once it is done.
    let fake: tf.Tensor | undefined;
    const [gLoss, l1Loss, dReal, dFake, dLoss] = await tidyScalars((keep) => {
      try {
        const { grads: gGrads } = tf.variableGrads(() => {
          // Kept for D's update: a separate variableGrads, on whose tape it is a constant.
          fake = tf.keep(G.apply(x, { training: true }) as tf.Tensor);
          const t = pix2pixGLoss(D2(fake), fake, y, ctx.spec.params.lambdaL1);
          keep(t.adv);
          keep(t.l1);
          return t.total;
        }, trainableVariables(G));
        ctx.optimizers.generator.applyGradients(gGrads);

        const { grads: dGrads } = tf.variableGrads(() => {
          const r = D2(y), f = D2(fake as tf.Tensor);
          keep(tf.mean(tf.sigmoid(r)));
          keep(tf.mean(tf.sigmoid(f)));
          return keep(pix2pixDLoss(r, f));
        }, trainableVariables(D));
        ctx.optimizers.discriminator.applyGradients(dGrads);
      } finally {
        fake?.dispose();
      }
    });
    return { losses: { gLoss, l1Loss, dLoss }, dReal, dFake };
  },

  // Rows of input | output | target for fixed examples.
  sampleGrid: () => ({ request: { count: 4 }, cols: 3 }),

  sampleInputs: (_spec: ModelSpec, _rng, req: SampleRequest): GeneratorInput => exampleInputs('pix2pix', req),

  generate(nets: Networks, input: GeneratorInput): tf.Tensor4D {
    const { a, b } = inputOfKind(input, 'translate', 'pix2pix');
    return tf.tidy(() => {
      const y = runGenerator(nets.generator, a, true);
      return gridRows([a, y, b ?? tf.zerosLike(y)]);
    });
  },

  async evaluate(nets: Networks, held: ExampleImages): Promise<Record<string, number>> {
    // Mean absolute error per pixel in [-1, 1] units, on images never trained on.
    const [v] = await takeScalars([tf.tidy(() => l1(runGenerator(nets.generator, held.images, true), held.targets))]);
    return { valL1: v };
  },
};
