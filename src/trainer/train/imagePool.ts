// CycleGAN's history of generated images (Shrivastava et al. 2017; CycleGAN sec. 4): the
// discriminators are shown fakes from the last `size` generator versions, not just the
// newest, which damps oscillation. Per image: while the pool fills, the new fake goes in and
// is returned; once full, half the time a random stored fake is returned and the new one takes
// its place, otherwise the new one is returned. Stored as plain floats (no tensors to leak).
// The pool starts empty on resume (as in the reference code, it is not checkpointed).
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../engine/rng';

export class ImagePool {
  private readonly stored: Float32Array[] = [];

  constructor(readonly size: number) {}

  get length(): number {
    return this.stored.length;
  }

  /** The images to show D in place of `images` (each a flattened image). */
  queryArrays(images: Float32Array[], rng: Rng): Float32Array[] {
    if (this.size <= 0) return images;
    return images.map((img) => {
      if (this.stored.length < this.size) {
        this.stored.push(img);
        return img;
      }
      if (rng.random() < 0.5) {
        const i = rng.int(this.size);
        const old = this.stored[i];
        this.stored[i] = img;
        return old;
      }
      return img;
    });
  }

  /** The same for a batch tensor; resolves to a new tensor (the caller disposes both). */
  async query(batch: tf.Tensor4D, rng: Rng): Promise<tf.Tensor4D> {
    if (this.size <= 0) return tf.clone(batch); // no pool: nothing to read back
    const [n, h, w, c] = batch.shape;
    const per = h * w * c;
    const data = (await batch.data()) as Float32Array;
    const images = Array.from({ length: n }, (_, i) => data.slice(i * per, (i + 1) * per));
    const out = new Float32Array(n * per);
    this.queryArrays(images, rng).forEach((img, i) => out.set(img, i * per));
    return tf.tensor4d(out, [n, h, w, c]);
  }
}
