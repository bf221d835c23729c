// The 8 symmetries of the square (flips and quarter turns), used where an image is shown in
// another orientation: SR training crops (augmentation) and the self-ensemble's tiles.

/**
 * Calls fn(dst, row, col) for every pixel of an oh x ow image that shows a source image in
 * orientation t (bit 0: flip left-right, bit 1: flip upside down, bit 2: transpose, so the
 * source is ow x oh): dst is the pixel's index in the oriented image, row and col its place
 * in the source.
 */
export function eachOrientedPixel(
  oh: number,
  ow: number,
  t: number,
  fn: (dst: number, row: number, col: number) => void,
): void {
  for (let y = 0; y < oh; y++) {
    const a = t & 2 ? oh - 1 - y : y;
    for (let x = 0; x < ow; x++) {
      const b = t & 1 ? ow - 1 - x : x;
      if (t & 4) fn(y * ow + x, b, a);
      else fn(y * ow + x, a, b);
    }
  }
}
