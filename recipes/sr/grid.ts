// The faint 4-pixel grid an LR-space x4 network can paint when its 16 PixelShuffle phases
// drift apart (models/README.md, "The sharp x4 model"): for each PNG of a folder, the Y plane
// minus its 5x5 box blur (the image's own detail averages out over positions), averaged per
// phase (x mod 4, y mod 4); the RMS of the 16 phase means in grey levels. An image with no
// grid scores near 0; the folders compare.ts --save writes are its usual input.
//   npx esbuild recipes/sr/grid.ts --bundle --platform=node --outfile=out/grid.js --external:sharp
//   node out/grid.js <folder> [<folder> ...]
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readImage } from '../../src/trainer/engine/image/codec';
import { toRgb } from '../../src/trainer/data/srFolder';
import { lumaY } from '../../src/trainer/infer/metrics';

const S = 4,
  R = 2;

export function gridRms(y: Float32Array, w: number, h: number): number {
  const sum = new Float64Array(S * S),
    count = new Float64Array(S * S);
  for (let j = R; j < h - R; j++)
    for (let i = R; i < w - R; i++) {
      let box = 0;
      for (let dj = -R; dj <= R; dj++) for (let di = -R; di <= R; di++) box += y[(j + dj) * w + i + di];
      const k = (j % S) * S + (i % S);
      sum[k] += y[j * w + i] - box / ((2 * R + 1) * (2 * R + 1));
      count[k]++;
    }
  const means = Array.from(sum, (s, k) => s / count[k]);
  const mean = means.reduce((a, b) => a + b, 0) / means.length;
  return Math.sqrt(means.reduce((a, m) => a + (m - mean) ** 2, 0) / means.length);
}

for (const dir of process.argv.slice(2)) {
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.png'));
  const scores = files.map((f) => {
    const img = readImage(path.join(dir, f));
    return gridRms(lumaY(toRgb(img), img.width, img.height, 3), img.width, img.height);
  });
  const mean = scores.reduce((a, b) => a + b, 0) / Math.max(1, scores.length);
  console.log(
    `${dir}: grid RMS ${mean.toFixed(3)} grey levels (mean of ${files.length}; max ${Math.max(...scores).toFixed(3)})`,
  );
}
