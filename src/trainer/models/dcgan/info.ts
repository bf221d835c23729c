// DCGAN's descriptor (what the config, scaffold and menus know without tfjs).
import type { GanConfig } from '../../../shared/config';
import { givenParams, type FamilyInfo } from '../familyInfo';
import { LATENT_PARAM_KEYS } from '../common/params';
import { PAPER_SIZES, usesPaperNetworks } from './sizes';

/**
 * The DCGAN paper's settings (Radford et al. 2016) for keys the config leaves out: 64x64 for
 * a folder of images; with the paper's networks its widths (ngf 128: 1024-512-256-128 at
 * 64 px, D mirrored with ndf 128, as in the authors' code) and no dropout. Adam 2e-4 / 0.5
 * are every latent family's defaults already. cGAN applies them too.
 */
export function paperDefaults(cfg: GanConfig, raw: Record<string, unknown>): void {
  const given = givenParams(raw);
  if (raw.imageSize === undefined && cfg.dataset.kind === 'folder') cfg.imageSize = 64;
  if (!usesPaperNetworks(cfg.imageSize, cfg.params.networks)) return;
  if (given.ngf === undefined) cfg.params.ngf = 128;
  if (given.ndf === undefined) cfg.params.ndf = 128;
  if (given.dropout === undefined) cfg.params.dropout = 0;
}

/** Sizes: the tutorial's networks double a 1/4-size seed twice; the paper's take 32, 64, 128. */
export function dcganSizeCheck(cfg: GanConfig, label: string): string[] {
  const networks = cfg.params.networks;
  if (networks === 'paper' && !PAPER_SIZES.includes(cfg.imageSize)) {
    return [`${label}: "imageSize" must be ${PAPER_SIZES.join(', ')} for the DCGAN paper's networks ("networks": "paper"; got ${cfg.imageSize})`];
  }
  if (!usesPaperNetworks(cfg.imageSize, networks) && cfg.imageSize % 4 !== 0) {
    return [`${label}: "imageSize" must be a multiple of 4 for model "${cfg.model}" (got ${cfg.imageSize})`];
  }
  return [];
}

export const dcganInfo: FamilyInfo = {
  label: 'DCGAN',
  description: 'Convolutional GAN: MNIST digits, or your own folder of images at 64x64',
  enumDescription: "DCGAN (Radford et al. 2016): the paper's networks at imageSize 32, 64 and 128, the TensorFlow tutorial's at other multiples of 4 (28 for MNIST); params.networks chooses.",
  schemaNote: "convolutional: the DCGAN paper's networks at 32/64/128 px, the TensorFlow tutorial's otherwise",
  latent: true,
  conditional: false,
  superResolution: false,
  datasets: ['mnist', 'fashion-mnist', 'folder'],
  paramKeys: [...LATENT_PARAM_KEYS, 'networks'],
  params: {
    networks: {
      type: 'string', enum: ['auto', 'tutorial', 'paper'], default: 'auto',
      description: "dcgan, cgan: which networks. paper = the DCGAN paper's (4x4 stride-2 transposed convs from a 4x4 projection of z, halving the channels down to ngf; D mirrored, LeakyReLU 0.2, weights N(0, 0.02)) for imageSize 32, 64 or 128; its defaults then are ngf 128, ndf 128 (1024-512-256-128 at 64 px) and dropout 0. tutorial = the TensorFlow DCGAN tutorial's MNIST networks (any multiple of 4). auto = paper at 32, 64 and 128, tutorial otherwise.",
    },
  },
  applyDefaults: paperDefaults,
  check: dcganSizeCheck,
};
