/** Interleaved 8-bit pixels: channels 1 (grey), 2 (grey+alpha), 3 (RGB) or 4 (RGBA). */
export interface RawImage {
  width: number;
  height: number;
  channels: 1 | 2 | 3 | 4;
  data: Uint8Array;
}

/** The formats images are written in. */
export type ImageFormat = 'png' | 'jpeg' | 'webp';

/** A file we cannot read as an image; the message is the reason alone (no file name). */
export class ImageDecodeError extends Error {
  override name = 'ImageDecodeError';
}
