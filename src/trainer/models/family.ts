// The contract every GAN family implements (gan, dcgan, cgan now; pix2pix, cyclegan and
// srgan later as files next to this one). The training loop, checkpoints and the CLI only
// talk to this interface, so adding a family touches nothing else.
import type * as tf from '@tensorflow/tfjs';
import type { ModelKind, ParamsConfig } from '../../shared/config';
import type { Batch } from '../data';
import type { Rng } from '../engine/rng';

/** What the networks are built for. */
export interface ModelSpec {
  imageSize: number;
  channels: number;
  /** Classes of the data set (labels are one-hot of this length); 0 when unlabelled. */
  numClasses: number;
  params: ParamsConfig;
  /** Super-resolution families: the upscaling factor (the config's dataset.scale). */
  scale?: number;
}

/** Networks by name; the names are the checkpoint folder names. */
export type Networks = Record<string, tf.LayersModel>;
export type Optimizers = Record<string, tf.Optimizer>;

/** What a generator is fed: noise and, for conditional families, one-hot labels. */
export interface GeneratorInput {
  z: tf.Tensor2D;
  labels?: tf.Tensor2D;
}

/** The numbers one training step reports (all tensors already read and disposed). */
export interface StepResult {
  losses: Record<string, number>;
  /** Mean sigmoid D output on real images. */
  dReal?: number;
  /** Mean sigmoid D output on generated images. */
  dFake?: number;
}

export interface StepContext {
  nets: Networks;
  optimizers: Optimizers;
  spec: ModelSpec;
  /** The run's generator (noise for the step comes from here, so it is reproducible). */
  rng: Rng;
}

export interface SampleRequest {
  count: number;
  /** Conditional families: draw only this class. Absent: classes in order, one grid row each. */
  label?: number;
}

export interface ModelFamily {
  readonly kind: ModelKind;
  /** True when training needs labelled data. */
  readonly conditional: boolean;
  /** Network names in save order. */
  readonly networkNames: readonly string[];
  /** Loss names reported by trainStep, in display order. */
  readonly lossNames: readonly string[];
  build(spec: ModelSpec): Networks;
  /** One update of every network; every tensor it creates is disposed before it returns. */
  trainStep(ctx: StepContext, batch: Batch): StepResult;
  /** The grid a run shows at every sample step: its inputs and number of columns. */
  sampleGrid(spec: ModelSpec, rng: Rng): { request: SampleRequest; cols: number };
  /** Generator inputs for a sample request; noise drawn from rng. */
  sampleInputs(spec: ModelSpec, rng: Rng, req: SampleRequest): GeneratorInput;
  /** Images in [-1, 1], [n, h, w, c], inference mode (no dropout, moving BN statistics). */
  generate(nets: Networks, input: GeneratorInput): tf.Tensor4D;
}

/** Thrown for a family or option that exists in the config but has no implementation yet. */
export class NotImplementedError extends Error {
  override name = 'NotImplementedError';
}
