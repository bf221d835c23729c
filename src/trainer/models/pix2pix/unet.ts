// The pix2pix generator as a model: the U-Net block of ../blocks/unet.ts.
import * as tf from '@tensorflow/tfjs';
import { unet, type UnetOptions } from '../blocks/unet';

export { unetDepth, UNET_MAX_DEPTH, UNET_MIN_DEPTH } from '../blocks/unet';

export function buildUnet(o: UnetOptions & { imageSize: number; inChannels: number }): tf.LayersModel {
  const input = tf.input({ shape: [o.imageSize, o.imageSize, o.inChannels], name: 'input' });
  return tf.model({ inputs: input, outputs: unet(input, o), name: 'unet_generator' });
}
