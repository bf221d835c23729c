// Conditional GAN (Mirza & Osindero 2014) on the DCGAN networks: G gets the one-hot label
// concatenated to z; D gets it as extra input channels (the one-hot vector broadcast to
// imageSize x imageSize x numClasses planes, concatenated to the image's channels).
// The broadcast is built from standard layers (reshape + upsampling) so the saved
// model.json loads anywhere without custom layers.
import { latentFamily } from '../common/latentFamily';
import { cganInfo } from './info';
import { buildCganDiscriminator, buildCganGenerator } from './networks';

export const cgan = latentFamily({
  kind: 'cgan',
  info: cganInfo,
  buildGenerator: buildCganGenerator,
  buildDiscriminator: buildCganDiscriminator,
});
