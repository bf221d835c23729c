// Picks the reader for a config's dataset and turns index batches into tensors at the
// configured image size.
import * as tf from '@tensorflow/tfjs';
import type { DatasetConfig } from '../../shared/config';
import type { Rng } from '../engine/rng';
import { isFolderDataset, loadFolderData } from './folder';
import { isSrPool, loadSrPool, srPoolBatch } from './srFolder';
import { isTranslationDataset, loadTranslationData } from './translationData';
import { DataError, imagesToTensor, labelsToOneHot, loadFashionMnist, loadMnist, type LabelledImages } from './mnist';

export { DataError } from './mnist';
export type { LabelledImages } from './mnist';

/** Loads the images of a resolved dataset config. `configDir` is where package lookups start. */
export function loadDataset(
  ds: DatasetConfig,
  configDir: string,
  opts: { imageSize?: number; seed?: number } = {},
): LabelledImages {
  switch (ds.kind) {
    case 'sr':
      // A pool of HR crops at imageSize; the SR family makes the LR inputs from them.
      return loadSrPool(ds.path, { size: opts.imageSize ?? 128, crops: ds.crops, seed: opts.seed ?? 1, flip: ds.flip });
    case 'paired':
    case 'unpaired':
      // Image-to-image sets: listed now, decoded lazily at imageSize * 286/256 (jitter).
      return loadTranslationData(ds, opts.imageSize ?? 256);
    case 'mnist':
      return loadMnist(ds.split, ds.limit);
    case 'fashion-mnist':
      return loadFashionMnist({ path: ds.path, split: ds.split, limit: ds.limit, searchFrom: configDir });
    case 'folder':
      // The user's images: listed now, decoded lazily, resized on the shorter side and cropped.
      return loadFolderData(ds, opts.imageSize ?? 28);
    default:
      throw new DataError(`unknown dataset kind "${(ds as { kind: string }).kind}"`);
  }
}

/** A training batch: images in [-1, 1] at the model's size, and one-hot labels. */
export interface Batch {
  images: tf.Tensor4D;
  labels: tf.Tensor2D;
  /** Image-to-image sets: the B images (images holds A). */
  targets?: tf.Tensor4D;
}

/** `rng`: the run's generator, for data sets that augment at random (jitter and flip). */
export function makeBatch(ds: LabelledImages, indices: ArrayLike<number>, imageSize: number, rng?: Rng): Batch {
  if (isTranslationDataset(ds)) {
    if (!rng) throw new Error('makeBatch: image-to-image data needs the run generator');
    return ds.makeBatch(indices, rng);
  }
  if (isFolderDataset(ds)) return ds.makeBatch(indices, rng);
  if (isSrPool(ds) && ds.width === imageSize) return srPoolBatch(ds, indices, rng);
  return tf.tidy(() => {
    let images = imagesToTensor(ds, indices);
    if (ds.height !== imageSize || ds.width !== imageSize) {
      images = tf.image.resizeBilinear(images, [imageSize, imageSize], true);
    }
    return { images, labels: labelsToOneHot(ds, indices) };
  });
}

export function disposeBatch(b: Batch): void {
  tf.dispose([b.images, b.labels, ...(b.targets ? [b.targets] : [])]);
}
