// The CycleGAN generator as a model: the ResNet generator block of ../blocks/resnet.ts.
import * as tf from '@tensorflow/tfjs';
import { resnetGenerator, type ResnetGeneratorOptions } from '../blocks/resnet';

export function buildResnetGenerator(o: Omit<ResnetGeneratorOptions, 'outChannels'> & { imageSize: number; channels: number; name?: string }): tf.LayersModel {
  const input = tf.input({ shape: [o.imageSize, o.imageSize, o.channels], name: 'input' });
  return tf.model({ inputs: input, outputs: resnetGenerator(input, { ...o, outChannels: o.channels }), name: o.name ?? 'resnet_generator' });
}

/** Residual blocks of a built generator (counts the blocks' skip additions). */
export const residualBlockCount = (m: tf.LayersModel) => m.layers.filter((l) => /^res_\d+_add$/.test(l.name)).length;
