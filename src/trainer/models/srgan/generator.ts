// The super-resolution generator as a model: the srGenerator block of ../blocks/sr.ts.
import * as tf from '@tensorflow/tfjs';
import { srGenerator, type SrGeneratorOptions } from '../blocks/sr';

export type { SrBlock, SrGeneratorOptions, SrUpsampler } from '../blocks/sr';

export function buildSrGenerator(o: SrGeneratorOptions & { channels?: number }): tf.LayersModel {
  const lr = tf.input({ shape: [null, null, 3], name: 'lr' });
  return tf.model({ inputs: lr, outputs: srGenerator(lr, o), name: `sr_generator_x${o.scale}` });
}
