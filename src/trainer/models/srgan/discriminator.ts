// The SRGAN discriminator (Ledig et al. 2017): VGG-style conv stacks, channel width doubling
// as the stride-2 convs halve the size, BN + LeakyReLU(0.2), then Dense(16*ndf) and one logit.
// One change: global average pooling before the dense layers instead of flattening, so D
// works at any patch size and its dense layer stays small (flattening a 128-px patch at
// ndf 64 would be a 33M-weight layer).
// Besides the logit, D returns two intermediate feature maps: the shippable content loss
// (see srgan.ts) compares SR and HR there.
import * as tf from '@tensorflow/tfjs';

type S = tf.SymbolicTensor;
const ap = (layer: tf.layers.Layer, x: S) => layer.apply(x) as S;

export function buildSrDiscriminator(size: number, ndf: number, batchNorm = true): tf.LayersModel {
  const img = tf.input({ shape: [size, size, 3], name: 'image' });
  const block = (x: S, filters: number, strides: number, bn: boolean) => {
    let h = ap(tf.layers.conv2d({ filters, kernelSize: 3, strides, padding: 'same', useBias: !bn }), x);
    if (bn) h = ap(tf.layers.batchNormalization({ momentum: 0.9 }), h);
    return ap(tf.layers.leakyReLU({ alpha: 0.2 }), h);
  };
  let h = block(img, ndf, 1, false);
  const features: S[] = [];
  const plan: [number, number][] = [[ndf, 2], [ndf * 2, 1], [ndf * 2, 2], [ndf * 4, 1], [ndf * 4, 2], [ndf * 8, 1], [ndf * 8, 2]];
  plan.forEach(([f, s], i) => {
    h = block(h, f, s, batchNorm);
    if (i === 2 || i === 4) features.push(h); // after the 2nd and 3rd downsampling
  });
  h = ap(tf.layers.globalAveragePooling2d({}), h);
  h = ap(tf.layers.dense({ units: ndf * 16 }), h);
  h = ap(tf.layers.leakyReLU({ alpha: 0.2 }), h);
  const logit = ap(tf.layers.dense({ units: 1, name: 'logit' }), h);
  return tf.model({ inputs: img, outputs: [logit, ...features], name: 'sr_discriminator' });
}
