// CycleGAN's descriptor (what the config, scaffold and menus know without tfjs).
import { givenParams, nearestMultiples, type FamilyInfo } from '../familyInfo';
import { paperTranslationSizes } from '../common/params';

export const cycleganInfo: FamilyInfo = {
  label: 'CycleGAN',
  description: 'Unpaired translation between two image folders: ResNet generators + PatchGANs',
  enumDescription: 'CycleGAN (Zhu et al. 2017): two ResNet generators, two PatchGANs, LSGAN + cycle + identity losses, image pool. Data: unpaired.',
  latent: false,
  conditional: false,
  // Two generators, one per direction; textures and styles translate best tile by tile.
  translate: { trainedDirectionOnly: false, generator: { AtoB: 'generatorAB', BtoA: 'generatorBA' }, defaultMode: 'tile', paperTestMode: false },
  superResolution: false,
  datasets: ['unpaired', 'paired'],
  example: { layout: 'twoDomains', painted: 24 },
  paramKeys: ['ngf', 'ndf', 'residualBlocks', 'lambdaCycle', 'lambdaIdentity', 'poolSize', 'norm', 'decayFrom'],
  params: {
    lambdaCycle: { type: 'number', minimum: 0, description: "Weight of each cycle-consistency loss, A->B->A and B->A->B (cyclegan; the paper's 10).", default: 10 },
    lambdaIdentity: { type: 'number', minimum: 0, description: "Weight of the identity loss relative to lambdaCycle (cyclegan; 0.5 = 0.5 * lambdaCycle, as in the paper's code; 0 turns it off).", default: 0.5 },
    poolSize: { type: 'integer', minimum: 0, description: "Size of the history of generated images the cyclegan discriminators are shown (the paper's 50): once full, each fake is swapped for a stored one half of the time. 0 disables it.", default: 50 },
  },
  bench: { dataset: { kind: 'unpaired', pathA: '.', pathB: '.' } },
  applyDefaults(cfg, raw) {
    paperTranslationSizes(cfg, raw);
    const given = givenParams(raw);
    if (cfg.params.norm === 'auto') cfg.params.norm = 'instance';
    // 6 residual blocks for 128x128 images, 9 for 256x256; LR constant for the first half.
    if (given.residualBlocks === undefined) cfg.params.residualBlocks = cfg.imageSize <= 128 ? 6 : 9;
    if (given.decayFrom === undefined) cfg.params.decayFrom = Math.floor(cfg.steps / 2);
  },
  check(cfg, label) {
    const out: string[] = [];
    if (!cycleganInfo.datasets.includes(cfg.dataset.kind)) {
      out.push(`${label}: model "${cfg.model}" needs two image sets ("dataset.kind" "unpaired" with pathA and pathB, or "paired"), got "${cfg.dataset.kind}"`);
    }
    if (cfg.imageSize % 4 !== 0 || cfg.imageSize < 16) {
      out.push(`${label}: "imageSize" ${cfg.imageSize} does not fit model "${cfg.model}": its generator halves the image twice, so the size must be a multiple of 4 (use ${nearestMultiples(cfg.imageSize, 4, 16)}; 64-256 is typical)`);
    }
    return out;
  },
};
