// EXIF orientation of a JPEG (tag 0x0112 in IFD0 of the APP1 "Exif" segment) and the
// pixel transform that undoes it. Cameras store the sensor's pixels as they were read out
// and record how to turn them; viewers apply it, so we must too or portraits come out sideways.
import type { RawImage } from './types';

/** 1 (as stored) .. 8; 1 when absent or unreadable: a broken EXIF block never fails a decode. */
export function jpegOrientation(buf: Uint8Array): number {
  if (buf.length < 4 || buf[0] !== 0xff || buf[1] !== 0xd8) return 1;
  let p = 2;
  while (p + 4 <= buf.length) {
    if (buf[p] !== 0xff) return 1;
    const marker = buf[p + 1];
    if (marker === 0xd8 || (marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) {
      p += 2;
      continue;
    }
    if (marker === 0xda || marker === 0xd9) return 1; // image data starts: no EXIF before it
    const len = (buf[p + 2] << 8) | buf[p + 3];
    if (len < 2) return 1;
    if (marker === 0xe1 && len >= 16 && String.fromCharCode(...buf.subarray(p + 4, p + 8)) === 'Exif') {
      return tiffOrientation(buf.subarray(p + 10, Math.min(buf.length, p + 2 + len)));
    }
    p += 2 + len;
  }
  return 1;
}

function tiffOrientation(t: Uint8Array): number {
  if (t.length < 8) return 1;
  const le = t[0] === 0x49 && t[1] === 0x49;
  if (!le && !(t[0] === 0x4d && t[1] === 0x4d)) return 1;
  const u16 = (o: number) => (le ? t[o] | (t[o + 1] << 8) : (t[o] << 8) | t[o + 1]);
  const u32 = (o: number) =>
    le
      ? (t[o] | (t[o + 1] << 8) | (t[o + 2] << 16)) + t[o + 3] * 2 ** 24
      : t[o] * 2 ** 24 + ((t[o + 1] << 16) | (t[o + 2] << 8) | t[o + 3]);
  const ifd = u32(4);
  if (ifd + 2 > t.length) return 1;
  const n = u16(ifd);
  for (let i = 0; i < n; i++) {
    const e = ifd + 2 + i * 12;
    if (e + 12 > t.length) return 1;
    if (u16(e) === 0x0112) {
      const v = u16(e + 8);
      return v >= 1 && v <= 8 ? v : 1;
    }
  }
  return 1;
}

/**
 * Applies an EXIF orientation so the result is upright. Orientations 5-8 swap width and
 * height. Mapping: for each output pixel (x, y) the source pixel it comes from.
 */
export function applyOrientation(img: RawImage, o: number): RawImage {
  if (o <= 1 || o > 8) return img;
  const { width: w, height: h, channels: c, data } = img;
  const swap = o >= 5;
  const W = swap ? h : w,
    H = swap ? w : h;
  const out = new Uint8Array(data.length);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      let sx: number, sy: number;
      switch (o) {
        case 2:
          sx = w - 1 - x;
          sy = y;
          break; // mirrored
        case 3:
          sx = w - 1 - x;
          sy = h - 1 - y;
          break; // rotated 180
        case 4:
          sx = x;
          sy = h - 1 - y;
          break; // mirrored vertically
        case 5:
          sx = y;
          sy = x;
          break; // transposed
        case 6:
          sx = y;
          sy = h - 1 - x;
          break; // needs 90 clockwise
        case 7:
          sx = w - 1 - y;
          sy = h - 1 - x;
          break; // transverse
        default:
          sx = w - 1 - y;
          sy = x;
          break; // 8: needs 90 counter-clockwise
      }
      const si = (sy * w + sx) * c,
        di = (y * W + x) * c;
      for (let k = 0; k < c; k++) out[di + k] = data[si + k];
    }
  }
  return { width: W, height: H, channels: c, data: out };
}
