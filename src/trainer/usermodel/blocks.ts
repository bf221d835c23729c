// The "gan-studio" module a model file imports: the project's building blocks as functions
// from symbolic tensor to symbolic tensor, so a model file reads like the paper's figure.
// They are the very blocks the built-in families are made of (src/trainer/models/blocks), so
// a model file that calls them as a template does builds the built-in network, weight for
// weight. Every block is made of standard tfjs layers or of the project's serializable custom
// layers (InstanceNormalization, ReflectionPadding2D, PixelShuffle, AlwaysDropout), so
// checkpoints load anywhere.
// The declarations users see are templates/_project/types/gan-studio.d.ts; a compile-time
// check (test/unit/blocksDecl.check.ts) keeps the two identical.
export type { ModelSpec } from '../models/family';
export type { ParamsConfig } from '../../shared/config';

export {
  activation,
  add,
  concat,
  conv,
  deconv,
  dense,
  flatten,
  globalAvgPool,
  instanceNorm,
  labelPlanes,
  norm,
  pixelShuffle,
  reflectionPad,
  reshape,
  zeroPad,
  type Activation,
  type BlockOptions,
  type ConvOptions,
  type Init,
  type Norm,
  type NormOptions,
} from '../models/blocks/convBlocks';
export { downsample, unet, upsample, type UnetOptions } from '../models/blocks/unet';
export { resnetBlock, resnetGenerator, type ResnetGeneratorOptions } from '../models/blocks/resnet';
export { patchGan } from '../models/blocks/patchGan';
export {
  bicubicUpsample,
  rrdb,
  srDiscriminator,
  srGenerator,
  srResidualBlock,
  type SrGeneratorOptions,
} from '../models/blocks/sr';
