// What an imported PyTorch SR network offers the runner: one forward pass on [0, 1] images.
import type * as tf from '@tensorflow/tfjs';

export interface SrNetwork {
  readonly scale: number;
  /** The input's height and width must be multiples of this (the pixel_unshuffle factor). */
  readonly align: number;
  /** Input pixels of context a tile needs on each inner side (see upscale.ts). */
  readonly margin: number;
  /** The tile side it runs best with, when not upscale.ts's default. */
  readonly tile?: number;
  /**
   * [n, h, w, 3] in [0, 1] -> [n, h*scale, w*scale, 3], not clipped. Frees its intermediates;
   * stops with an AbortError between blocks once `cancelled` returns true.
   */
  forward(x: tf.Tensor4D, cancelled?: () => boolean): Promise<tf.Tensor4D>;
  dispose(): void;
}
