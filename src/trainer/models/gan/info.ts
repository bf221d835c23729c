// The original GAN's descriptor (what the config, scaffold and menus know without tfjs).
import type { FamilyInfo } from '../familyInfo';
import { LATENT_PARAM_KEYS } from '../common/params';

export const ganInfo: FamilyInfo = {
  label: 'GAN',
  description: 'The original GAN: two small MLPs learn MNIST digits',
  enumDescription: 'The original GAN (Goodfellow et al. 2014): MLP generator and discriminator, non-saturating loss. Data: mnist, fashion-mnist or a folder of your images.',
  schemaNote: 'MLP, non-saturating loss',
  latent: true,
  conditional: false,
  superResolution: false,
  datasets: ['mnist', 'fashion-mnist', 'folder'],
  paramKeys: LATENT_PARAM_KEYS,
  params: {},
};
