// The original GAN (Goodfellow et al. 2014) as MLPs, trained with the non-saturating loss.
// Widths scale with ngf/ndf: at 64 the generator is 256-512-1024 and the discriminator
// 1024-512-256, the usual MNIST MLP-GAN.
import * as tf from '@tensorflow/tfjs';
import { latentFamily } from '../common/latentFamily';

const lrelu = () => tf.layers.leakyReLU({ alpha: 0.2 });

export const gan = latentFamily({
  kind: 'gan',
  conditional: false,
  buildGenerator(spec) {
    const { ngf, latentDim } = spec.params;
    const m = tf.sequential({ name: 'generator' });
    m.add(tf.layers.inputLayer({ inputShape: [latentDim], name: 'z' }));
    for (const units of [ngf * 4, ngf * 8, ngf * 16]) {
      m.add(tf.layers.dense({ units }));
      m.add(lrelu());
    }
    m.add(tf.layers.dense({ units: spec.imageSize * spec.imageSize * spec.channels, activation: 'tanh' }));
    m.add(tf.layers.reshape({ targetShape: [spec.imageSize, spec.imageSize, spec.channels] }));
    return m;
  },
  buildDiscriminator(spec) {
    const { ndf, dropout } = spec.params;
    const m = tf.sequential({ name: 'discriminator' });
    m.add(tf.layers.inputLayer({ inputShape: [spec.imageSize, spec.imageSize, spec.channels], name: 'image' }));
    m.add(tf.layers.flatten());
    for (const units of [ndf * 16, ndf * 8, ndf * 4]) {
      m.add(tf.layers.dense({ units }));
      m.add(lrelu());
      m.add(tf.layers.dropout({ rate: dropout }));
    }
    m.add(tf.layers.dense({ units: 1 }));
    return m;
  },
});
