// Conditional GAN (Mirza & Osindero 2014) on the DCGAN networks: G gets the one-hot label
// concatenated to z; D gets it as extra input channels (the one-hot vector broadcast to
// imageSize x imageSize x numClasses planes, concatenated to the image's channels).
// The broadcast is built from standard layers (reshape + upsampling) so the saved
// model.json loads anywhere without custom layers.
import * as tf from '@tensorflow/tfjs';
import { dcganDiscriminatorBody, dcganGeneratorBody } from '../dcgan';
import { latentFamily } from '../common/latentFamily';

export const cgan = latentFamily({
  kind: 'cgan',
  conditional: true,
  buildGenerator(spec) {
    const z = tf.input({ shape: [spec.params.latentDim], name: 'z' });
    const label = tf.input({ shape: [spec.numClasses], name: 'label' });
    const zy = tf.layers.concatenate().apply([z, label]) as tf.SymbolicTensor;
    return tf.model({ inputs: [z, label], outputs: dcganGeneratorBody(zy, spec), name: 'generator' });
  },
  buildDiscriminator(spec) {
    const s = spec.imageSize;
    const img = tf.input({ shape: [s, s, spec.channels], name: 'image' });
    const label = tf.input({ shape: [spec.numClasses], name: 'label' });
    let planes = tf.layers.reshape({ targetShape: [1, 1, spec.numClasses] }).apply(label) as tf.SymbolicTensor;
    planes = tf.layers.upSampling2d({ size: [s, s] }).apply(planes) as tf.SymbolicTensor;
    const x = tf.layers.concatenate({ axis: -1 }).apply([img, planes]) as tf.SymbolicTensor;
    return tf.model({ inputs: [img, label], outputs: dcganDiscriminatorBody(x, spec), name: 'discriminator' });
  },
});
