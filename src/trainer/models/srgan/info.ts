// SRGAN's descriptor (what the config, scaffold and menus know without tfjs).
import type { FamilyInfo } from '../familyInfo';

export const srganInfo: FamilyInfo = {
  label: 'SRGAN',
  description: 'Super-resolution x4 from a folder of pictures: SRResNet + VGG-style discriminator',
  enumDescription: 'SRGAN (Ledig et al. 2017) / ESRGAN options: SRResNet or RRDB generator, VGG-style discriminator. Data: sr. imageSize a multiple of 16.',
  latent: false,
  conditional: false,
  superResolution: true,
  datasets: ['sr'],
  example: { layout: 'highRes', painted: 16 },
  paramKeys: ['ngf', 'ndf', 'residualBlocks', 'srBlock', 'srBatchNorm', 'srUpsampler', 'pretrainSteps', 'pixelLoss', 'lambdaPixel', 'lambdaContent', 'lambdaAdv', 'lambdaGrid', 'adversarial', 'initGenerator', 'decayFrom'],
  params: {
    srBlock: { type: 'string', enum: ['resnet', 'rrdb'], description: 'srgan generator blocks: resnet (SRResNet: conv-BN-PReLU-conv-BN + skip) or rrdb (ESRGAN: residual-in-residual dense blocks, no batch norm).', default: 'resnet' },
    srBatchNorm: { type: 'boolean', description: 'srgan: batch norm in the resnet blocks (the SRGAN paper: true; EDSR/ESRGAN drop it, which is better for PSNR).', default: true },
    srUpsampler: { type: 'string', enum: ['shuffle', 'lr'], description: 'srgan upsampling: shuffle (the paper: conv + PixelShuffle(2) stages at high resolution, 9x9 head and tail) or lr (one conv in low-resolution space + PixelShuffle(scale): every conv runs on the small image, several times faster).', default: 'shuffle' },
    pretrainSteps: { type: 'integer', minimum: 0, description: 'srgan: steps of pixel loss only (SRResNet pretraining) before the adversarial phase starts.', default: 1000 },
    pixelLoss: { type: 'string', enum: ['l1', 'l2'], description: 'srgan pixel loss: l1 (sharper, ESRGAN) or l2 (MSE, the SRGAN paper).', default: 'l1' },
    lambdaPixel: { type: 'number', minimum: 0, description: 'srgan: weight of the pixel loss in the adversarial phase (ESRGAN: 0.01).', default: 0.01 },
    lambdaContent: { type: 'number', minimum: 0, description: "srgan: weight of the content loss (L1 between the discriminator's features of SR and HR; replaces VGG features, which cannot be shipped).", default: 1 },
    lambdaAdv: { type: 'number', minimum: 0, description: 'srgan: weight of the adversarial loss (SRGAN: 0.001; ESRGAN: 0.005). 0 = SRResNet only: pixel loss, no discriminator.', default: 0.001 },
    lambdaGrid: { type: 'number', minimum: 0, description: "srgan: weight, in the adversarial phase, of a loss on the error's PixelShuffle grid (the mean of SR - HR at each of the scale x scale output phases, minus their mean): it keeps an LR-space generator's phases from drifting apart into a faint grid. Reads like lambdaPixel. 0 = off.", default: 0 },
    adversarial: { type: 'string', enum: ['standard', 'relativistic'], description: 'srgan adversarial loss: standard (SRGAN) or relativistic average (ESRGAN).', default: 'standard' },
    initGenerator: { type: 'string', minLength: 1, description: "srgan: a saved generator folder (model.json + weights.bin, e.g. a shipped model or <checkpoint>/generator) a new run's generator starts from; same ngf, residualBlocks, srBlock and srUpsampler. Relative to the config file." },
  },
  // templates/srgan/gan.config.json (the SRGAN paper's settings), timed in the GAN phase.
  bench: {
    dataset: { kind: 'sr', path: '.', scale: 4 }, imageSize: 96, batchSize: 16,
    optimizer: { lr: 0.0001, beta1: 0.9, beta2: 0.999 },
    params: { ngf: 64, ndf: 64, residualBlocks: 16, srBatchNorm: true, pixelLoss: 'l2', pretrainSteps: 0 },
  },
  wiring: { alwaysRgb: true, featureOutputs: true },
  check(cfg, label) {
    if (!srganInfo.datasets.includes(cfg.dataset.kind)) return [`${label}: model "${cfg.model}" needs "dataset.kind" "sr" (a folder of high-resolution images), got "${cfg.dataset.kind}"`];
    if (cfg.imageSize % 16 !== 0) return [`${label}: "imageSize" (the side of the high-resolution training crops) must be a multiple of 16 for model "${cfg.model}" (got ${cfg.imageSize})`];
    return [];
  },
};
