// DCGAN's two sets of networks (choice: paperNetworks below, from params.networks / imageSize):
//  - the TensorFlow DCGAN tutorial's MNIST layers (any multiple of 4; at imageSize 28, ngf 64,
//    ndf 64, latentDim 100 exactly the tutorial's), with the tutorial's initialisation, the
//    framework default (Glorot normal; tfjs' batch-norm defaults);
//  - the DCGAN paper's (Radford et al. 2016) for 32, 64 and 128 px: G projects z to 4x4 and
//    doubles the size with 4x4 stride-2 transposed convs, halving the channels down to ngf;
//    D mirrors it with 4x4 stride-2 convs up to 4x4 and one logit. Batch norm everywhere but
//    D's input layer and G's output layer, ReLU in G, LeakyReLU 0.2 in D, tanh out, no
//    pooling, weights N(0, 0.02). At 64 px with ngf 128: 1024-512-256-128, the paper's figure.
// cGAN builds on the bodies.
import * as tf from '@tensorflow/tfjs';
import type { ModelSpec } from '../family';
import { deconv, dense, conv, flatten, reshape } from '../blocks/convBlocks';
import { PAPER_SIZES, usesPaperNetworks } from './sizes';

/** The tutorial's LeakyReLU slope (Keras' default); the paper uses 0.2. */
const leak = 0.3;

/** Whether these spec's networks are the paper's (else the tutorial's). */
export const paperNetworks = (spec: ModelSpec): boolean => usesPaperNetworks(spec.imageSize, spec.params.networks);

/** Tutorial generator body: z-like vector -> image in [-1, 1]. Spatial size starts at imageSize / 4. */
export function tutorialGeneratorBody(x: tf.SymbolicTensor, spec: ModelSpec): tf.SymbolicTensor {
  const s = spec.imageSize / 4;
  const { ngf } = spec.params;
  const o = { norm: 'batch', activation: 'leakyRelu', leak, init: 'glorot' } as const;
  let h = reshape(dense(x, { units: s * s * ngf * 4, ...o }), [s, s, ngf * 4]);
  for (const [filters, strides] of [[ngf * 2, 1], [ngf, 2]]) h = deconv(h, { filters, kernelSize: 5, strides, ...o });
  return deconv(h, { filters: spec.channels, kernelSize: 5, strides: 2, useBias: false, activation: 'tanh', init: 'glorot' });
}

/** Tutorial discriminator body: image (plus any extra channels) -> one logit. */
export function tutorialDiscriminatorBody(x: tf.SymbolicTensor, spec: ModelSpec): tf.SymbolicTensor {
  const { ndf, dropout } = spec.params;
  let h = x;
  for (const filters of [ndf, ndf * 2]) h = conv(h, { filters, kernelSize: 5, strides: 2, activation: 'leakyRelu', leak, dropout, init: 'glorot' });
  return dense(flatten(h), { units: 1, init: 'glorot' });
}

function paperSize(spec: ModelSpec): number {
  if (!PAPER_SIZES.includes(spec.imageSize)) throw new Error(`the DCGAN paper's networks take imageSize ${PAPER_SIZES.join(', ')} (got ${spec.imageSize})`);
  return spec.imageSize;
}

/** Up-sampling stages from 4x4: 3 at 32 px, 4 at 64, 5 at 128. */
const stages = (size: number) => Math.log2(size / 4);

/** Paper generator body: z-like vector -> image in [-1, 1]. */
export function paperGeneratorBody(x: tf.SymbolicTensor, spec: ModelSpec): tf.SymbolicTensor {
  const n = stages(paperSize(spec));
  const { ngf } = spec.params;
  const o = { kernelSize: 4, strides: 2, norm: 'batch', activation: 'relu' } as const;
  // Project and reshape: z as a 1x1 image, a 4x4 transposed conv to 4x4 x (ngf * 2^(n-1)).
  let h = deconv(reshape(x, [1, 1, x.shape[1] as number]), { ...o, filters: ngf * 2 ** (n - 1), strides: 1, padding: 'valid' });
  for (let i = n - 2; i >= 0; i--) h = deconv(h, { ...o, filters: ngf * 2 ** i });
  return deconv(h, { filters: spec.channels, kernelSize: 4, strides: 2, useBias: false, activation: 'tanh' });
}

/** Paper discriminator body: image (plus any extra channels) -> one logit. */
export function paperDiscriminatorBody(x: tf.SymbolicTensor, spec: ModelSpec): tf.SymbolicTensor {
  const n = stages(paperSize(spec));
  const { ndf, dropout } = spec.params;
  const o = { kernelSize: 4, strides: 2, activation: 'leakyRelu', leak: 0.2, dropout } as const;
  let h = conv(x, { ...o, filters: ndf, useBias: false });
  for (let i = 1; i < n; i++) h = conv(h, { ...o, filters: ndf * 2 ** i, norm: 'batch' });
  // 4x4 x (ndf * 2^(n-1)) -> one logit: a 4x4 valid conv, i.e. a dense layer on the 4x4 map.
  return flatten(conv(h, { filters: 1, kernelSize: 4, padding: 'valid', useBias: false }));
}

export function dcganGeneratorBody(x: tf.SymbolicTensor, spec: ModelSpec): tf.SymbolicTensor {
  return paperNetworks(spec) ? paperGeneratorBody(x, spec) : tutorialGeneratorBody(x, spec);
}

export function dcganDiscriminatorBody(x: tf.SymbolicTensor, spec: ModelSpec): tf.SymbolicTensor {
  return paperNetworks(spec) ? paperDiscriminatorBody(x, spec) : tutorialDiscriminatorBody(x, spec);
}

export function buildDcganGenerator(spec: ModelSpec): tf.LayersModel {
  const z = tf.input({ shape: [spec.params.latentDim], name: 'z' });
  return tf.model({ inputs: z, outputs: dcganGeneratorBody(z, spec), name: 'generator' });
}

export function buildDcganDiscriminator(spec: ModelSpec): tf.LayersModel {
  const img = tf.input({ shape: [spec.imageSize, spec.imageSize, spec.channels], name: 'image' });
  return tf.model({ inputs: img, outputs: dcganDiscriminatorBody(img, spec), name: 'discriminator' });
}
