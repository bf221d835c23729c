// The contract every GAN family implements (<kind>/index.ts; its TensorFlow-free descriptor is
// <kind>/info.ts). The training loop, checkpoints, inference and the CLI only talk to this
// interface and the registries, so adding a family is a folder and two registry lines (README.md).
import type * as tf from '@tensorflow/tfjs';
import type { Direction, ModelKind, ParamsConfig } from '../../shared/config';
import type { Batch } from '../data';
import type { Rng } from '../engine/rng';
import type { FamilyInfo } from './familyInfo';

/** What the networks are built for. */
export interface ModelSpec {
  imageSize: number;
  channels: number;
  /** Classes of the data set (labels are one-hot of this length); 0 when unlabelled. */
  numClasses: number;
  /** Names of the classes in label order (a folder data set's subfolders), for `gan sample --label <name>`. */
  classNames?: string[];
  params: ParamsConfig;
  /** Super-resolution families: the upscaling factor (the config's dataset.scale). */
  scale?: number;
  /** Paired image-to-image data: which way the model was trained (dataset.direction). */
  direction?: Direction;
}

/** Networks by name; the names are the checkpoint folder names. */
export type Networks = Record<string, tf.LayersModel>;
export type Optimizers = Record<string, tf.Optimizer>;

/**
 * What a generator is fed, one shape per kind of family. Each part is named, so a family
 * never unpacks its inputs from another's tensor; sizes and the scale come from the spec.
 */
export type GeneratorInput = LatentInput | TranslateInput | UpscaleInput;

/** gan, dcgan, cgan: noise [n, latentDim] and, for conditional families, one-hot labels. */
export interface LatentInput {
  kind: 'latent';
  z: tf.Tensor2D;
  labels?: tf.Tensor2D;
}

/** pix2pix, cyclegan: images A [n, h, w, c] in [-1, 1], and B (pix2pix: A's pair; CycleGAN: B images for B -> A). */
export interface TranslateInput {
  kind: 'translate';
  a: tf.Tensor4D;
  b?: tf.Tensor4D;
}

/** srgan: low-resolution images [n, h/s, w/s, c] in [-1, 1], and the originals they came from. */
export interface UpscaleInput {
  kind: 'upscale';
  lr: tf.Tensor4D;
  hr?: tf.Tensor4D;
}

/** The input narrowed to the kind a family reads; a mismatch is a programming error, said by name. */
export function inputOfKind<K extends GeneratorInput['kind']>(input: GeneratorInput, kind: K, family: string): Extract<GeneratorInput, { kind: K }> {
  if (input.kind !== kind) throw new Error(`${family} generates from "${kind}" input, got "${input.kind}"`);
  return input as Extract<GeneratorInput, { kind: K }>;
}

/** Every tensor an input holds (to dispose it). */
export function inputTensors(input: GeneratorInput): tf.Tensor[] {
  const all = input.kind === 'latent' ? [input.z, input.labels] : input.kind === 'translate' ? [input.a, input.b] : [input.lr, input.hr];
  return all.filter((t): t is NonNullable<typeof t> => !!t);
}

/** Fixed example images from the data set (image-to-image families sample from these, not noise). */
export interface ExampleImages {
  images: tf.Tensor4D;
  targets: tf.Tensor4D;
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
  /** Image-to-image families: the examples to translate (count of them). */
  examples?: ExampleImages;
}

export interface ModelFamily {
  readonly kind: ModelKind;
  /** What the family is and can do (conditional, translate, ...): its descriptor in the registry. */
  readonly info: FamilyInfo;
  /** Network names in save order (the ones with an optimizer). */
  readonly networkNames: readonly string[];
  /**
   * Networks whose weight average (train/weightAverage.ts, saved as "<name>Ema") draws the
   * samples when params.emaDecay > 0; generate() then prefers it.
   */
  readonly averaged?: readonly string[];
  /** Loss names reported by trainStep, in display order. */
  readonly lossNames: readonly string[];
  build(spec: ModelSpec): Networks;
  /**
   * One update of every network; every tensor it creates is disposed before it resolves. Its
   * numbers are read with `await` (engine/read.ts), never synchronously: GPU backends have no
   * synchronous read.
   */
  trainStep(ctx: StepContext, batch: Batch): Promise<StepResult>;
  /** The grid a run shows at every sample step: its inputs and number of columns. */
  sampleGrid(spec: ModelSpec, rng: Rng): { request: SampleRequest; cols: number };
  /** Generator inputs for a sample request; noise drawn from rng. */
  sampleInputs(spec: ModelSpec, rng: Rng, req: SampleRequest): GeneratorInput;
  /**
   * Images in [-1, 1], [n, h, w, c], inference mode (no dropout, moving BN statistics), from
   * the averaged generator if there is one. `spec`: the run's, or the checkpoint's saved one.
   */
  generate(nets: Networks, input: GeneratorInput, spec: ModelSpec): tf.Tensor4D;
  /** Scores on held-out examples, logged at sample steps (e.g. valL1); every tensor disposed. */
  evaluate?(nets: Networks, heldOut: ExampleImages): Promise<Record<string, number>>;
}

/** A model name this build has no family for (a foreign or newer checkpoint's state.json). */
export class UnknownModelError extends Error {
  override name = 'UnknownModelError';
}
