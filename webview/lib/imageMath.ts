// PSNR of two RGBA pixel buffers on the luma channel Y (ITU-R BT.601, as the engine's eval-sr
// measures it), peak 255. Pure: unit-tested.

export function lumaPsnr(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length || a.length % 4 !== 0 || a.length === 0)
    throw new RangeError('PSNR needs two RGBA buffers of one size');
  let se = 0;
  const n = a.length / 4;
  for (let i = 0; i < a.length; i += 4) {
    const ya = 0.256788 * a[i] + 0.504129 * a[i + 1] + 0.097906 * a[i + 2];
    const yb = 0.256788 * b[i] + 0.504129 * b[i + 1] + 0.097906 * b[i + 2];
    const d = ya - yb;
    se += d * d;
  }
  const mse = se / n;
  return mse === 0 ? Infinity : 10 * Math.log10((255 * 255) / mse);
}

/** The size both images are compared at: the smaller one's (the larger is scaled down to it). */
export function compareSize(
  a: { w: number; h: number },
  b: { w: number; h: number },
): { w: number; h: number; resized: 'none' | 'a' | 'b' } {
  if (a.w === b.w && a.h === b.h) return { w: a.w, h: a.h, resized: 'none' };
  return a.w * a.h > b.w * b.h ? { w: b.w, h: b.h, resized: 'a' } : { w: a.w, h: a.h, resized: 'b' };
}

export function formatPsnr(db: number): string {
  return Number.isFinite(db) ? `${db.toFixed(2)} dB` : '∞ (identical)';
}
