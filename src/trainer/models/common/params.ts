// Pieces several family descriptors share (no TensorFlow.js): the schema of the params more
// than one family reads, and the papers' image-to-image training sizes.
import type { GanConfig, ParamsConfig } from '../../../shared/config';
import type { ParamsFragment } from '../familyInfo';

/** Schema of the params keys more than one family reads; each family adds its own (info.ts). */
export const COMMON_PARAMS: ParamsFragment = {
  latentDim: { type: 'integer', minimum: 1, maximum: 4096, description: 'Length of the noise vector z (gan, dcgan, cgan).', default: 100 },
  ngf: { type: 'integer', minimum: 1, maximum: 1024, description: "Generator width: dcgan/cgan use 4*ngf, 2*ngf, ngf channels (the tutorial's networks) or ngf*8, *4, *2, ngf at 64 px (the paper's, default 128 there); gan uses 4*ngf, 8*ngf, 16*ngf hidden units.", default: 64 },
  ndf: { type: 'integer', minimum: 1, maximum: 1024, description: "Discriminator width: dcgan/cgan use ndf, 2*ndf channels (the tutorial's networks) or ndf, *2, *4, *8 at 64 px (the paper's, default 128 there); gan uses 16*ndf, 8*ndf, 4*ndf hidden units.", default: 64 },
  dropout: { type: 'number', minimum: 0, exclusiveMaximum: 1, description: 'Dropout rate in the discriminator (gan, dcgan: default 0.3; cgan: default 0, which learns the label far faster), or in the first three decoder blocks of the pix2pix U-Net, kept on at inference as in the paper (default 0.5).', default: 0.3 },
  emaDecay: { type: 'number', minimum: 0, exclusiveMaximum: 1, description: "gan, dcgan, cgan: samples (previews, gan sample, checkpoints) come from an exponential moving average of the generator's weights with this decay per step, which smooths out the generator's oscillation; 0 = the live generator. Early in a run the decay is lowered to (1 + step) / (10 + step).", default: 0.999 },
  decayFrom: { type: 'integer', minimum: 0, description: 'Step from which the learning rate decays linearly to 0 at the last step; 0 = constant learning rate. Default 0; half of steps for cyclegan (its paper: constant for the first half, then linear decay).', default: 0 },
  residualBlocks: { type: 'integer', minimum: 1, maximum: 64, description: "Residual blocks in the generator (cyclegan default: 6 for imageSize <= 128, 9 above, as in its paper; srgan's paper uses 16).", default: 9 },
  norm: { type: 'string', enum: ['auto', 'batch', 'instance'], description: "Normalisation in the pix2pix and cyclegan networks. auto = the papers': for pix2pix at batch size 1 batch norm, run on the image at hand at inference too as the paper does; at larger batches instance norm (batch statistics would not match a single image's at inference); for cyclegan instance norm.", default: 'auto' },
};

/** What the noise-to-image families read. */
export const LATENT_PARAM_KEYS: readonly (keyof ParamsConfig)[] = ['latentDim', 'ngf', 'ndf', 'dropout', 'emaDecay'];

/** Both image-to-image papers train at 256x256 with batch size 1 (unless the config says otherwise). */
export function paperTranslationSizes(cfg: GanConfig, raw: Record<string, unknown>): void {
  if (raw.imageSize === undefined) cfg.imageSize = 256;
  if (raw.batchSize === undefined) cfg.batchSize = 1;
}
