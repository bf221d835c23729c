// The conditional GAN's networks (Mirza & Osindero 2014) on the DCGAN bodies: G gets the
// one-hot label concatenated to z; D gets it as extra input channels (labelPlanes: standard
// layers only, so the saved model.json loads anywhere without custom layers). The bodies are
// the tutorial's or the paper's, as for dcgan (params.networks, imageSize).
import * as tf from '@tensorflow/tfjs';
import type { ModelSpec } from '../family';
import { concat, labelPlanes } from '../blocks/convBlocks';
import { dcganDiscriminatorBody, dcganGeneratorBody } from '../dcgan/networks';

export function buildCganGenerator(spec: ModelSpec): tf.LayersModel {
  const z = tf.input({ shape: [spec.params.latentDim], name: 'z' });
  const label = tf.input({ shape: [spec.numClasses], name: 'label' });
  return tf.model({ inputs: [z, label], outputs: dcganGeneratorBody(concat([z, label]), spec), name: 'generator' });
}

export function buildCganDiscriminator(spec: ModelSpec): tf.LayersModel {
  const s = spec.imageSize;
  const img = tf.input({ shape: [s, s, spec.channels], name: 'image' });
  const label = tf.input({ shape: [spec.numClasses], name: 'label' });
  const x = concat([img, labelPlanes(label, s)]);
  return tf.model({ inputs: [img, label], outputs: dcganDiscriminatorBody(x, spec), name: 'discriminator' });
}
