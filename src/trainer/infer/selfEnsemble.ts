// Self-ensemble (Timofte et al. 2016, "Seven ways to improve example-based single image
// super resolution"; EDSR's "+" models): each tile is upscaled in the 8 flips/rotations of the
// square, each result is turned back, and the 8 are averaged. The network's errors differ a
// little with orientation, so the mean is closer to the truth; it costs 8 runs of the model.
import { SELF_ENSEMBLE_PASSES as PASSES } from '../../shared/inferProtocol';
import type { SrRunner } from './srModels';
import { eachOrientedPixel } from '../engine/image/symmetry';

/** A [h, w, 3] tile in orientation t, with its new height and width. */
function orient(tile: Float32Array, h: number, w: number, t: number): { data: Float32Array; h: number; w: number } {
  const oh = t & 4 ? w : h,
    ow = t & 4 ? h : w,
    data = new Float32Array(tile.length);
  eachOrientedPixel(oh, ow, t, (d, row, col) => {
    const s = row * w + col;
    data[d * 3] = tile[s * 3];
    data[d * 3 + 1] = tile[s * 3 + 1];
    data[d * 3 + 2] = tile[s * 3 + 2];
  });
  return { data, h: oh, w: ow };
}

/** Adds an upscaled tile made in orientation t (oh x ow) back into `sum`, in the tile's own orientation. */
function addTurnedBack(sum: Float32Array, out: Float32Array, oh: number, ow: number, t: number): void {
  const srcW = t & 4 ? oh : ow;
  eachOrientedPixel(oh, ow, t, (d, row, col) => {
    const s = row * srcW + col;
    sum[s * 3] += out[d * 3];
    sum[s * 3 + 1] += out[d * 3 + 1];
    sum[s * 3 + 2] += out[d * 3 + 2];
  });
}

/** `model` run as a self-ensemble: the same tiles, margins and scale, 8 times the work. */
export function selfEnsemble(model: SrRunner): SrRunner {
  return {
    name: `${model.name} (self-ensemble x${PASSES})`,
    scale: model.scale,
    margin: model.margin,
    tile: model.tile,
    align: model.align,
    async run(tile, h, w, cancelled) {
      const s = model.scale,
        sum = new Float32Array(h * s * w * s * 3);
      for (let t = 0; t < PASSES; t++) {
        const o = orient(tile, h, w, t);
        addTurnedBack(sum, await model.run(o.data, o.h, o.w, cancelled), o.h * s, o.w * s, t);
      }
      for (let i = 0; i < sum.length; i++) sum[i] /= PASSES;
      return sum;
    },
    dispose: () => model.dispose(),
  };
}
