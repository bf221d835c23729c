// SRGAN (Ledig et al. 2017) and its ESRGAN options (Wang et al. 2018) on the engine.
//
// Phases, by the generator's own step count (its Adam iteration counter, so a resume knows):
//  1. steps < pretrainSteps, or lambdaAdv = 0: SRResNet, pixel loss only (L1 or L2). A
//     PSNR-oriented model; with lambdaAdv = 0 no discriminator is even built.
//  2. then: adversarial + content + (small) pixel loss. Standard GAN loss (SRGAN) or the
//     relativistic average one (ESRGAN: D judges "more real than the average fake").
//
// Content loss: the papers use VGG-19 features, and VGG weights are 550 MB that cannot be
// downloaded here nor shipped in a 60 MB extension. We use the discriminator's own features
// (two intermediate maps, L1, gradients into G only): D is trained on exactly the images in
// question, costs nothing to ship, and its features track what separates SR from HR. The
// price: early in the GAN phase D's features are weak, so pretraining on pixel loss matters.
//
// Low-resolution inputs are made inside the step from the batch's HR crops (antialiased
// bicubic, rounded to 8 bits), so the loop's plain image batches are all the data it needs.
import * as tf from '@tensorflow/tfjs';
import type { Batch } from '../../data';
import { inputOfKind, type GeneratorInput, type ModelFamily, type ModelSpec, type Networks, type StepContext, type StepResult, type UpscaleInput } from '../family';
import { tidyScalars } from '../../engine/read';
import { bicubicDownsample } from '../blocks/bicubic';
import { buildSrDiscriminator } from './discriminator';
import { buildSrGenerator, type SrGeneratorOptions } from './generator';
import { testCharts } from './testPattern';
import { srganInfo } from './info';
import { loadGeneratorWeights } from './initGenerator';
import { bceWithLogits, trainableVariables } from '../../train/nsgan';

export interface SrParams extends SrGeneratorOptions {
  ndf: number;
  pretrainSteps: number;
  pixelLoss: 'l1' | 'l2';
  lambdaPixel: number;
  lambdaContent: number;
  lambdaAdv: number;
  lambdaGrid: number;
  adversarial: 'standard' | 'relativistic';
}

/** The upscaling factor a spec builds (4 when a spec has none, as build() has always done). */
export const srScale = (spec: Pick<ModelSpec, 'scale'>): number => spec.scale ?? 4;

export function srParams(spec: ModelSpec): SrParams {
  const p = spec.params;
  return {
    scale: srScale(spec), features: p.ngf, blocks: p.residualBlocks, block: p.srBlock, batchNorm: p.srBatchNorm,
    upsampler: p.srUpsampler, ndf: p.ndf, pretrainSteps: p.pretrainSteps, pixelLoss: p.pixelLoss,
    lambdaPixel: p.lambdaPixel, lambdaContent: p.lambdaContent, lambdaAdv: p.lambdaAdv, lambdaGrid: p.lambdaGrid, adversarial: p.adversarial,
  };
}

export function buildGeneratorFor(p: SrParams): tf.LayersModel {
  return buildSrGenerator({ scale: p.scale, channels: 3, features: p.features, blocks: p.blocks, block: p.block, batchNorm: p.batchNorm, upsampler: p.upsampler });
}

function pixelLoss(kind: 'l1' | 'l2', a: tf.Tensor, b: tf.Tensor): tf.Scalar {
  const d = tf.sub(a, b);
  return tf.mean(kind === 'l1' ? tf.abs(d) : tf.square(d));
}

/**
 * The error's PixelShuffle grid: per image and channel, the mean of (sr - hr) at each of the
 * scale x scale output phases (y mod s, x mod s), minus the mean over phases; its mean absolute
 * value. The picture's own content cancels in the error's average over a crop, so what is left
 * is an offset per phase: the faint grid an LR-space generator paints when the GAN phase pulls
 * its phases apart (models/README.md, "The sharp x4 model"). Its gradient per pixel is of the
 * order of an L1 pixel loss's, so its weight reads like lambdaPixel's.
 */
export function gridLoss(sr: tf.Tensor, hr: tf.Tensor, s: number): tf.Scalar {
  const [n, h, w, c] = sr.shape;
  const phases = tf.mean(tf.reshape(tf.sub(sr, hr), [n, h / s, s, w / s, s, c]), [1, 3]);
  return tf.mean(tf.abs(tf.sub(phases, tf.mean(phases, [1, 2], true))));
}

/** PSNR in dB of images in [-1, 1] (peak-to-peak 2), for the progress line. */
function psnrOf(a: tf.Tensor, b: tf.Tensor): tf.Scalar {
  const mse = tf.mean(tf.square(tf.sub(tf.clipByValue(a, -1, 1), b)));
  return tf.mul(10 / Math.LN10, tf.log(tf.div(4, tf.add(mse, 1e-10)))) as tf.Scalar;
}

type DOut = { logit: tf.Tensor; feats: tf.Tensor[] };
function runD(D: tf.LayersModel, x: tf.Tensor): DOut {
  const [logit, ...feats] = D.apply(x, { training: true }) as tf.Tensor[];
  return { logit, feats };
}

async function pretrainStep(ctx: StepContext, p: SrParams, lr: tf.Tensor4D, hr: tf.Tensor4D): Promise<StepResult> {
  const G = ctx.nets.generator;
  const [psnr, value] = await tidyScalars((keep) => {
    const { value, grads } = tf.variableGrads(() => {
      const sr = G.apply(lr, { training: true }) as tf.Tensor;
      keep(psnrOf(sr, hr));
      return pixelLoss(p.pixelLoss, sr, hr);
    }, trainableVariables(G));
    keep(value);
    ctx.optimizers.generator.applyGradients(grads);
  });
  return { losses: { pixelLoss: value, psnr } };
}

async function ganStep(ctx: StepContext, p: SrParams, lr: tf.Tensor4D, hr: tf.Tensor4D): Promise<StepResult> {
  const G = ctx.nets.generator, D = ctx.nets.discriminator;
  const rel = p.adversarial === 'relativistic';
  let srKept: tf.Tensor | undefined;
  const grid = p.lambdaGrid > 0;
  const [pixel, psnr, contentLoss, gLoss, dReal, dFake, dLoss, gridValue] = await tidyScalars((keep) => {
    let gridTerm: tf.Scalar | undefined;
    try {
      // G first, against the current D (ESRGAN's order); D's real outputs are constants here.
      const real = runD(D, hr);
      const { grads: gGrads } = tf.variableGrads(() => {
        // Kept for D's update: a separate variableGrads, on whose tape it is a constant.
        const sr = srKept = tf.keep(G.apply(lr, { training: true }) as tf.Tensor);
        const fake = runD(D, sr);
        const pix = pixelLoss(p.pixelLoss, sr, hr);
        const content = fake.feats.map((f, i) => tf.mean(tf.abs(tf.sub(f, real.feats[i])))).reduce((a, b) => tf.add(a, b)) as tf.Scalar;
        const adv = rel
          ? tf.add(bceWithLogits(tf.sub(real.logit, tf.mean(fake.logit)), 0), bceWithLogits(tf.sub(fake.logit, tf.mean(real.logit)), 1))
          : bceWithLogits(fake.logit, 1);
        keep(pix);
        keep(psnrOf(sr, hr));
        keep(content);
        keep(adv);
        const terms = [tf.mul(p.lambdaPixel, pix), tf.mul(p.lambdaContent, content), tf.mul(p.lambdaAdv, adv)];
        // Kept past the tape now, handed to keep() after D's values below (their places are fixed).
        if (grid) terms.push(tf.mul(p.lambdaGrid, (gridTerm = tf.keep(gridLoss(sr, hr, p.scale)))));
        return tf.addN(terms) as tf.Scalar;
      }, trainableVariables(G));
      ctx.optimizers.generator.applyGradients(gGrads);

      const fakeIn = srKept as tf.Tensor;
      const { grads: dGrads } = tf.variableGrads(() => {
        const r = runD(D, hr).logit, f = runD(D, fakeIn).logit;
        keep(tf.mean(tf.sigmoid(rel ? tf.sub(r, tf.mean(f)) : r)));
        keep(tf.mean(tf.sigmoid(rel ? tf.sub(f, tf.mean(r)) : f)));
        const loss = rel
          ? tf.add(bceWithLogits(tf.sub(r, tf.mean(f)), 1), bceWithLogits(tf.sub(f, tf.mean(r)), 0))
          : tf.add(bceWithLogits(r, 1), bceWithLogits(f, 0));
        return keep(loss) as tf.Scalar;
      }, trainableVariables(D));
      ctx.optimizers.discriminator.applyGradients(dGrads);
      if (gridTerm) keep(gridTerm);
      gridTerm = undefined;
    } finally {
      srKept?.dispose();
      gridTerm?.dispose(); // only when the step failed before handing it over
    }
  });
  const losses: Record<string, number> = { pixelLoss: pixel, psnr, contentLoss, gLoss, dLoss };
  if (grid) losses.gridLoss = gridValue;
  return { losses, dReal, dFake };
}

/** Nearest-neighbour enlargement (the sample grid shows the LR input's pixels as they are). */
const nearest = (x: tf.Tensor4D, s: number) => tf.image.resizeNearestNeighbor(x, [x.shape[1] * s, x.shape[2] * s]);

export const srgan: ModelFamily = {
  kind: 'srgan',
  info: srganInfo,
  networkNames: ['generator', 'discriminator'],
  lossNames: ['pixelLoss', 'psnr', 'contentLoss', 'gLoss', 'dLoss'],

  build(spec: ModelSpec): Networks {
    const p = srParams(spec);
    const nets: Networks = { generator: buildGeneratorFor(p) };
    // A new run only (a resume loads its checkpoint): ESRGAN's GAN phase starts from the PSNR model.
    if (spec.params.initGenerator) loadGeneratorWeights(nets.generator, spec.params.initGenerator);
    // lambdaAdv 0 = SRResNet only: no discriminator to build, train or save.
    if (p.lambdaAdv > 0) nets.discriminator = buildSrDiscriminator(spec.imageSize, p.ndf, true);
    return nets;
  },

  async trainStep(ctx: StepContext, batch: Batch): Promise<StepResult> {
    const p = srParams(ctx.spec);
    const hr = batch.images;
    const lr = bicubicDownsample(hr, p.scale);
    try {
      const gan = !!ctx.nets.discriminator && p.lambdaAdv > 0 && ctx.optimizers.generator.iterations >= p.pretrainSteps;
      return await (gan ? ganStep(ctx, p, lr, hr) : pretrainStep(ctx, p, lr, hr));
    } finally {
      lr.dispose();
    }
  },

  // Rows of: the LR input enlarged (nearest), the model's output, the original.
  sampleGrid: () => ({ request: { count: 4 }, cols: 3 }),

  sampleInputs(spec: ModelSpec, _rng, req): UpscaleInput {
    // Fixed synthetic charts (HR) and their bicubic reductions (what the model is given).
    const s = srScale(spec), n = req.count, size = spec.imageSize;
    const hr = tf.tensor4d(testCharts(n, size), [n, size, size, 3]);
    return { kind: 'upscale', lr: bicubicDownsample(hr, s), hr };
  },

  generate(nets: Networks, input: GeneratorInput, spec: ModelSpec): tf.Tensor4D {
    const { lr, hr } = inputOfKind(input, 'upscale', 'srgan');
    // The scale is the spec's (a checkpoint's saved one): the same number build() used.
    const s = srScale(spec);
    return tf.tidy(() => {
      const sr = tf.clipByValue(nets.generator.apply(lr, { training: false }) as tf.Tensor4D, -1, 1);
      const [n, h, w, c] = sr.shape;
      // Without originals the last column is blank, as pix2pix's is without targets.
      const rows = [nearest(lr, s), sr, hr ?? tf.zerosLike(sr)].map((t) => tf.expandDims(t, 1));
      return tf.reshape(tf.concat(rows, 1), [3 * n, h, w, c]) as tf.Tensor4D;
    });
  },
};
