// DCGAN's descriptor (what the config, scaffold and menus know without tfjs).
import type { FamilyInfo } from '../familyInfo';
import { LATENT_PARAM_KEYS } from '../common/params';

export const dcganInfo: FamilyInfo = {
  label: 'DCGAN',
  description: 'Convolutional GAN (TensorFlow tutorial networks) on MNIST digits',
  enumDescription: "DCGAN (Radford et al. 2015), the TensorFlow tutorial's networks. imageSize a multiple of 4.",
  schemaNote: "convolutional, the TensorFlow tutorial's networks",
  latent: true,
  conditional: false,
  superResolution: false,
  datasets: ['mnist', 'fashion-mnist', 'folder'],
  paramKeys: LATENT_PARAM_KEYS,
  params: {},
  check(cfg, label) {
    // The generator doubles a 1/4-size seed twice.
    return cfg.imageSize % 4 !== 0 ? [`${label}: "imageSize" must be a multiple of 4 for model "${cfg.model}" (got ${cfg.imageSize})`] : [];
  },
};
