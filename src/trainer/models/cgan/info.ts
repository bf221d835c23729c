// The conditional DCGAN's descriptor (what the config, scaffold and menus know without tfjs).
import type { FamilyInfo } from '../familyInfo';
import { dcganSizeCheck, paperDefaults } from '../dcgan/info';
import { givenParams } from '../familyInfo';
import { LATENT_PARAM_KEYS } from '../common/params';

export const cganInfo: FamilyInfo = {
  label: 'cGAN',
  description: 'Conditional DCGAN: generate the MNIST digit (or the class of your images) you ask for',
  enumDescription: 'Conditional DCGAN (Mirza & Osindero 2014): one-hot labels into G and D. Needs a labelled dataset (mnist, fashion-mnist, or a folder with one subfolder per class).',
  schemaNote: 'class-conditional DCGAN',
  latent: true,
  conditional: true,
  superResolution: false,
  datasets: ['mnist', 'fashion-mnist', 'folder'],
  paramKeys: [...LATENT_PARAM_KEYS, 'networks'],
  params: {},
  applyDefaults(cfg, raw) {
    // No dropout in the cGAN discriminator: with the tutorial's 0.3 it learns the label link
    // far slower (a separate classifier recognised 50% of the digits asked for after 6 minutes
    // of training, against 88% without dropout; test/quality/cganDigits.ts).
    if (givenParams(raw).dropout === undefined) cfg.params.dropout = 0;
    paperDefaults(cfg, raw);
  },
  check(cfg, label) {
    const out = dcganSizeCheck(cfg, label);
    if (!cganInfo.datasets.includes(cfg.dataset.kind) || (cfg.dataset.kind === 'folder' && cfg.dataset.labels !== 'subfolders')) {
      out.push(`${label}: model "${cfg.model}" needs a labelled dataset ("dataset.kind" "mnist" or "fashion-mnist", or "folder" with "labels": "subfolders"), got "${cfg.dataset.kind}"${cfg.dataset.kind === 'folder' ? ' without labels' : ''}`);
    }
    return out;
  },
};
