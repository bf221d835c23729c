// The SRGAN discriminator as a model: the srDiscriminator block of ../blocks/sr.ts. Besides
// the logit it returns two intermediate feature maps: the shippable content loss (see
// index.ts) compares SR and HR there.
import * as tf from '@tensorflow/tfjs';
import { srDiscriminator } from '../blocks/sr';

export function buildSrDiscriminator(size: number, ndf: number, batchNorm = true): tf.LayersModel {
  const img = tf.input({ shape: [size, size, 3], name: 'image' });
  return tf.model({ inputs: img, outputs: srDiscriminator(img, { ndf, batchNorm }), name: 'sr_discriminator' });
}
