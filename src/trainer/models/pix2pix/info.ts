// pix2pix's descriptor (what the config, scaffold and menus know without tfjs).
import { givenParams, nearestMultiples, type FamilyInfo } from '../familyInfo';
import { paperTranslationSizes } from '../common/params';

export const pix2pixInfo: FamilyInfo = {
  label: 'pix2pix',
  description: 'Paired image-to-image translation: U-Net + PatchGAN (greyscale to colour)',
  enumDescription: 'pix2pix (Isola et al. 2017): U-Net generator + 70x70 PatchGAN, BCE + lambdaL1 * L1. Data: paired. imageSize a multiple of 32.',
  latent: false,
  conditional: false,
  // One generator, for the direction it was trained in; the paper tests with dropout and
  // batch statistics on, on whole images (facades, maps), so they are resized, not tiled.
  translate: { trainedDirectionOnly: true, generator: { AtoB: 'generator', BtoA: 'generator' }, defaultMode: 'resize', paperTestMode: true },
  superResolution: false,
  datasets: ['paired'],
  example: { layout: 'pairs', painted: 24 },
  paramKeys: ['ngf', 'ndf', 'dropout', 'lambdaL1', 'norm', 'decayFrom'],
  params: {
    lambdaL1: { type: 'number', minimum: 0, description: "Weight of the L1 loss between the generated and the target image (pix2pix; the paper's 100).", default: 100 },
  },
  bench: { dataset: { kind: 'paired', path: '.' } },
  wiring: { pairDiscriminator: true },
  applyDefaults(cfg, raw) {
    paperTranslationSizes(cfg, raw);
    if (givenParams(raw).dropout === undefined) cfg.params.dropout = 0.5;
    // The paper's batch norm runs on the statistics of the images at hand, also at inference
    // (one image). At batch size 1 that is instance norm and train and test agree; at larger
    // batches they would not, so instance norm is used outright (measured: held-out L1 0.24
    // with a batch-8 model's batch statistics against 0.28 on single images).
    if (cfg.params.norm === 'auto') cfg.params.norm = cfg.batchSize > 1 ? 'instance' : 'batch';
  },
  check(cfg, label) {
    const out: string[] = [];
    if (!pix2pixInfo.datasets.includes(cfg.dataset.kind)) out.push(`${label}: model "${cfg.model}" needs paired data ("dataset.kind" "paired": A|B images, A/ and B/ folders, or "make" from one folder), got "${cfg.dataset.kind}"`);
    if (cfg.imageSize % 32 !== 0 || cfg.imageSize < 32) {
      out.push(`${label}: "imageSize" ${cfg.imageSize} does not fit model "${cfg.model}": its U-Net halves the image 5 to 8 times, so the size must be a multiple of 32 (use ${nearestMultiples(cfg.imageSize, 32, 32)}; 64-256 is typical)`);
    }
    return out;
  },
};
