// What gan, dcgan and cgan share: a generator from noise (plus a one-hot label for cgan)
// to an image, a discriminator giving one logit, and the non-saturating GAN step.
// Each family file only supplies the two network builders.
import * as tf from '@tensorflow/tfjs';
import type { ModelKind } from '../../../shared/config';
import type { FamilyInfo } from '../familyInfo';
import type { Batch } from '../../data';
import type { Rng } from '../../engine/rng';
import { nsGanStep } from '../../train/nsgan';
import { drawingNetwork } from '../../train/weightAverage';
import { inputOfKind, type GeneratorInput, type ModelFamily, type ModelSpec, type Networks, type SampleRequest, type StepContext, type StepResult } from '../family';

export interface LatentFamilyDef {
  kind: ModelKind;
  info: FamilyInfo;
  buildGenerator(spec: ModelSpec): tf.LayersModel;
  buildDiscriminator(spec: ModelSpec): tf.LayersModel;
}

export function oneHot(labels: ArrayLike<number>, numClasses: number): tf.Tensor2D {
  const out = new Float32Array(labels.length * numClasses);
  for (let i = 0; i < labels.length; i++) out[i * numClasses + labels[i]] = 1;
  return tf.tensor2d(out, [labels.length, numClasses]);
}

export function latentFamily(def: LatentFamilyDef): ModelFamily {
  const inputsOf = (input: GeneratorInput): tf.Tensor[] => {
    const x = inputOfKind(input, 'latent', def.kind);
    if (!def.info.conditional) return [x.z];
    if (!x.labels) throw new Error(`${def.kind} generates for labels: the input has none`);
    return [x.z, x.labels];
  };
  const family: ModelFamily = {
    kind: def.kind,
    info: def.info,
    networkNames: ['generator', 'discriminator'],
    averaged: ['generator'],
    lossNames: ['dLoss', 'gLoss'],

    build(spec: ModelSpec): Networks {
      return { generator: def.buildGenerator(spec), discriminator: def.buildDiscriminator(spec) };
    },

    async trainStep(ctx: StepContext, batch: Batch): Promise<StepResult> {
      const n = batch.images.shape[0];
      const z = tf.tensor2d(ctx.rng.normals(n * ctx.spec.params.latentDim), [n, ctx.spec.params.latentDim]);
      try {
        // cGAN: fakes are drawn for the batch's own labels, so D sees the same label
        // distribution for real and fake and one label tensor serves both.
        return await nsGanStep({
          G: ctx.nets.generator, D: ctx.nets.discriminator,
          gOpt: ctx.optimizers.generator, dOpt: ctx.optimizers.discriminator,
          gInputs: def.info.conditional ? [z, batch.labels] : [z],
          real: batch.images,
          dExtra: def.info.conditional ? [batch.labels] : undefined,
        });
      } finally {
        z.dispose();
      }
    },

    sampleGrid(spec: ModelSpec) {
      // cGAN: one row per class; otherwise an 8x8 grid.
      return def.info.conditional ? { request: { count: spec.numClasses * 10 }, cols: 10 } : { request: { count: 64 }, cols: 8 };
    },

    sampleInputs(spec: ModelSpec, rng: Rng, req: SampleRequest): GeneratorInput {
      const z = tf.tensor2d(rng.normals(req.count * spec.params.latentDim), [req.count, spec.params.latentDim]);
      if (!def.info.conditional) return { kind: 'latent', z };
      const perRow = Math.max(1, Math.ceil(req.count / spec.numClasses));
      const labels = Array.from({ length: req.count }, (_, i) => req.label ?? Math.min(spec.numClasses - 1, Math.floor(i / perRow)));
      return { kind: 'latent', z, labels: oneHot(labels, spec.numClasses) };
    },

    generate(nets: Networks, input: GeneratorInput): tf.Tensor4D {
      const ins = inputsOf(input);
      const G = nets[drawingNetwork('generator', Object.keys(nets))];
      return G.apply(ins.length === 1 ? ins[0] : ins, { training: false }) as tf.Tensor4D;
    },
  };
  return family;
}
