// Picks the reader for a config's dataset and turns index batches into tensors at the
// configured image size.
import * as tf from '@tensorflow/tfjs';
import type { DatasetConfig } from '../../shared/config';
import { loadSrPool } from './srFolder';
import { DataError, imagesToTensor, labelsToOneHot, loadFashionMnist, loadMnist, type LabelledImages } from './mnist';

export { DataError } from './mnist';
export type { LabelledImages } from './mnist';

/** Loads the images of a resolved dataset config. `configDir` is where package lookups start. */
export function loadDataset(ds: DatasetConfig, configDir: string, opts: { imageSize?: number; seed?: number } = {}): LabelledImages {
  switch (ds.kind) {
    case 'sr':
      // A pool of HR crops at imageSize; the SR family makes the LR inputs from them.
      return loadSrPool(ds.path, { size: opts.imageSize ?? 128, crops: ds.crops, seed: opts.seed ?? 1 });
    case 'mnist':
      return loadMnist(ds.split, ds.limit);
    case 'fashion-mnist':
      return loadFashionMnist({ path: ds.path, split: ds.split, limit: ds.limit, searchFrom: configDir });
    default:
      throw new DataError(`dataset kind "${ds.kind}" is not implemented yet (available: mnist, fashion-mnist, sr)`);
  }
}

/** A training batch: images in [-1, 1] at the model's size, and one-hot labels. */
export interface Batch {
  images: tf.Tensor4D;
  labels: tf.Tensor2D;
}

export function makeBatch(ds: LabelledImages, indices: ArrayLike<number>, imageSize: number): Batch {
  return tf.tidy(() => {
    let images = imagesToTensor(ds, indices);
    if (ds.height !== imageSize || ds.width !== imageSize) {
      images = tf.image.resizeBilinear(images, [imageSize, imageSize], true);
    }
    return { images, labels: labelsToOneHot(ds, indices) };
  });
}
