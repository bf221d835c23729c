// DCGAN (Radford et al. 2015) with the TensorFlow DCGAN tutorial's MNIST networks as the
// default: at imageSize 28, ngf 64, ndf 64, latentDim 100 these are exactly the tutorial's
// layers (and the PyTorch reference in ../shared/bench). The networks: networks.ts.
import { latentFamily } from '../common/latentFamily';
import { dcganInfo } from './info';
import { buildDcganDiscriminator, buildDcganGenerator } from './networks';

export { dcganDiscriminatorBody, dcganGeneratorBody } from './networks';

export const dcgan = latentFamily({
  kind: 'dcgan',
  info: dcganInfo,
  buildGenerator: buildDcganGenerator,
  buildDiscriminator: buildDcganDiscriminator,
});
