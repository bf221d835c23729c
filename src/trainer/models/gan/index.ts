// The original GAN (Goodfellow et al. 2014) as MLPs (networks.ts), trained with the
// non-saturating loss.
import { latentFamily } from '../common/latentFamily';
import { ganInfo } from './info';
import { buildGanDiscriminator, buildGanGenerator } from './networks';

export const gan = latentFamily({
  kind: 'gan',
  info: ganInfo,
  buildGenerator: buildGanGenerator,
  buildDiscriminator: buildGanDiscriminator,
});
