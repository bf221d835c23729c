// Decoded images of an image-to-image set, resized once to the load size and kept as bytes.
// Decoding is lazy (the first batch that needs an image reads it), cached up to a memory
// budget, and a file that cannot be read is remembered with its reason instead of failing
// the run: the batch takes another image and the run's log counts it.
import { readImage, ImageDecodeError, resizeImage, type RawImage } from '../engine/image/codec';
import { refName, type ImageRef } from './pairedFiles';
import { toRgb } from './srFolder';
import { makeInput } from './synthPairs';

/** Default cache size: ~3,500 images at 286x286 (the papers' load size for 256). */
export const DEFAULT_CACHE_BYTES = 1 << 30;

const refKey = (r: ImageRef) => `${r.file}\u0000${r.half ?? ''}\u0000${r.make ?? ''}`;

export class ImageStore {
  private readonly cache = new Map<string, Uint8Array>();
  private cached = 0;
  /** Files that could not be used, with the reason (one line, no file name). */
  readonly failures = new Map<string, string>();
  /** Width x height of every file decoded so far (for the dataset check). */
  readonly sizes = new Map<string, [number, number]>();
  /** Called once for each file that turns out unusable. */
  onFailure?: (file: string, reason: string) => void;

  /** `square`: keep the aspect, i.e. resize on the shorter side and crop the centre square (folder data). */
  constructor(
    readonly side: number,
    private readonly budget = DEFAULT_CACHE_BYTES,
    private readonly square = false,
  ) {}

  /** side x side RGB bytes of the image, or undefined when its file cannot be used. */
  get(ref: ImageRef): Uint8Array | undefined {
    const k = refKey(ref);
    const hit = this.cache.get(k);
    if (hit) return hit;
    if (this.failures.has(ref.file)) return undefined;
    if (ref.make) {
      // Made inputs derive from the photo at load size, so both sides line up pixel for pixel.
      const photo = this.get({ file: ref.file });
      if (!photo) return undefined;
      return this.keep(k, makeInput(ref.make, photo, this.side, this.side));
    }
    const img = this.decode(ref.file);
    if (!img) return undefined;
    if (!ref.half)
      return this.keep(
        k,
        this.square ? this.fit(centreSquare(img), 0, Math.min(img.w, img.h)) : this.fit(img, 0, img.w),
      );
    if (img.w < 1.5 * img.h || img.w < 2) {
      this.fail(ref.file, `not an A|B image: ${img.w}x${img.h}, expected about twice as wide as high`);
      return undefined;
    }
    // Side-by-side: both halves are made from one decode.
    const half = Math.floor(img.w / 2);
    const left = this.fit(img, 0, half),
      right = this.fit(img, half, half);
    this.keep(refKey({ ...ref, half: 'left' }), left);
    this.keep(refKey({ ...ref, half: 'right' }), right);
    return ref.half === 'left' ? left : right;
  }

  /** Whether the file has already been found unusable. */
  failed(ref: ImageRef): boolean {
    return this.failures.has(ref.file);
  }

  private decode(file: string): { w: number; h: number; rgb: Uint8Array } | undefined {
    let img: RawImage;
    try {
      img = readImage(file);
    } catch (e) {
      if (!(e instanceof ImageDecodeError)) throw e;
      this.fail(file, e.message);
      return undefined;
    }
    this.sizes.set(file, [img.width, img.height]);
    return { w: img.width, h: img.height, rgb: toRgb(img) };
  }

  private fail(file: string, reason: string): void {
    if (this.failures.has(file)) return;
    this.failures.set(file, reason);
    this.onFailure?.(file, reason);
  }

  /** Columns [x0, x0 + w) of the image resized to side x side (aspect not kept, as in the papers' loaders). */
  private fit(img: { w: number; h: number; rgb: Uint8Array }, x0: number, w: number): Uint8Array {
    let src = img.rgb;
    if (x0 !== 0 || w !== img.w) {
      src = new Uint8Array(w * img.h * 3);
      for (let y = 0; y < img.h; y++)
        src.set(img.rgb.subarray((y * img.w + x0) * 3, (y * img.w + x0 + w) * 3), y * w * 3);
    }
    return resizeImage({ width: w, height: img.h, channels: 3, data: src }, this.side, this.side).data;
  }

  private keep(k: string, bytes: Uint8Array): Uint8Array {
    if (this.cached + bytes.length <= this.budget) {
      this.cache.set(k, bytes);
      this.cached += bytes.length;
    }
    return bytes;
  }
}

/** The centre min(w, h) square of an image (resized to the side later: shorter side, centre crop). */
function centreSquare(img: { w: number; h: number; rgb: Uint8Array }): { w: number; h: number; rgb: Uint8Array } {
  const n = Math.min(img.w, img.h);
  if (img.w === img.h) return img;
  const x0 = Math.floor((img.w - n) / 2),
    y0 = Math.floor((img.h - n) / 2),
    rgb = new Uint8Array(n * n * 3);
  for (let y = 0; y < n; y++)
    rgb.set(img.rgb.subarray(((y0 + y) * img.w + x0) * 3, ((y0 + y) * img.w + x0 + n) * 3), y * n * 3);
  return { w: n, h: n, rgb };
}

export { refName };
