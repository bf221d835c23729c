// The quick held-out set: fixed 256x256 crops of whole photos, listed with their coordinates
// in a committed JSON file, written as PNGs that `gan eval-sr` scores like any folder. Small
// textured crops behave differently from large smooth wallpapers (issue 17), and they run in
// seconds. Also writes each crop's x4 bicubic reduction (the eval-sr protocol's LR input) for
// tools that take the small image themselves (Upscayl's realesrgan-ncnn-vulkan, dev-time only).
//   npx esbuild recipes/sr/crops.ts --bundle --platform=node --outfile=out/crops.js --external:onnxruntime-node
//   node out/crops.js pick <photo folder> <list.json> [--per 2] [--median 0]   chooses the crops once
//   node out/crops.js cut <photo folder> <list.json> <out folder>  writes <out>/hr/<name>.png + <out>/lr-x4/<name>.png
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { readImage } from '../../src/trainer/engine/image/codec';
import { resizeBytes } from '../../src/trainer/engine/image/resize';
import { encodePng } from '../../src/trainer/engine/imageGrid';
import { toRgb, listImages } from '../../src/trainer/data/srFolder';
import { lumaY, meanGradient } from '../../src/trainer/infer/metrics';

const SIZE = 256,
  S = 4;
interface Crop {
  file: string;
  x: number;
  y: number;
}

function cropRgb(rgb: Uint8Array, w: number, x: number, y: number, n: number): Uint8Array {
  const out = new Uint8Array(n * n * 3);
  for (let j = 0; j < n; j++) out.set(rgb.subarray(((y + j) * w + x) * 3, ((y + j) * w + x + n) * 3), j * n * 3);
  return out;
}

const rgba = (rgb: Uint8Array) => {
  const out = new Uint8Array((rgb.length / 3) * 4).fill(255);
  for (let i = 0; i < rgb.length / 3; i++) out.set(rgb.subarray(i * 3, i * 3 + 3), i * 4);
  return out;
};

/**
 * The `per` most textured windows of a photo on a 128-px grid, not overlapping, then `median`
 * windows of middling texture (the nearest to the median gradient): smooth skies and
 * out-of-focus areas are where a GAN invents texture that is not there.
 */
function pick(file: string, per: number, median: number): Crop[] {
  const img = readImage(file),
    rgb = toRgb(img);
  const chosen: Crop[] = [];
  const all: { x: number; y: number; g: number }[] = [];
  for (let y = 0; y + SIZE <= img.height; y += 128)
    for (let x = 0; x + SIZE <= img.width; x += 128)
      all.push({ x, y, g: meanGradient(lumaY(cropRgb(rgb, img.width, x, y, SIZE), SIZE, SIZE, 3), SIZE, SIZE) });
  all.sort((a, b) => b.g - a.g);
  const overlaps = (c: { x: number; y: number }) =>
    chosen.some((s) => Math.abs(s.x - c.x) < SIZE && Math.abs(s.y - c.y) < SIZE);
  const take = (order: typeof all, n: number) => {
    for (const c of order) {
      if (n <= 0) break;
      if (overlaps(c)) continue;
      chosen.push({ file: path.basename(file), x: c.x, y: c.y });
      n--;
    }
  };
  take(all, per);
  const mid = all[all.length >> 1].g;
  take(
    [...all].sort((a, b) => Math.abs(a.g - mid) - Math.abs(b.g - mid)),
    median,
  );
  return chosen;
}

function cut(folder: string, list: Crop[], outDir: string): void {
  for (const sub of ['hr', `lr-x${S}`]) fs.mkdirSync(path.join(outDir, sub), { recursive: true });
  const byFile = new Map<string, Crop[]>();
  for (const c of list) byFile.set(c.file, [...(byFile.get(c.file) ?? []), c]);
  for (const [file, crops] of byFile) {
    const img = readImage(path.join(folder, file)),
      rgb = toRgb(img);
    for (const c of crops) {
      const hr = cropRgb(rgb, img.width, c.x, c.y, SIZE);
      const lr = resizeBytes(hr, SIZE, SIZE, 3, SIZE / S, SIZE / S);
      const name = `${path.parse(file).name}-${c.x}-${c.y}.png`;
      fs.writeFileSync(path.join(outDir, 'hr', name), encodePng(SIZE, SIZE, rgba(hr)));
      fs.writeFileSync(path.join(outDir, `lr-x${S}`, name), encodePng(SIZE / S, SIZE / S, rgba(lr)));
    }
  }
  console.log(`${list.length} crops of ${SIZE}x${SIZE} in ${outDir}/hr (their x${S} reductions in lr-x${S})`);
}

const { values: o, positionals } = parseArgs({
  allowPositionals: true,
  options: { per: { type: 'string', default: '2' }, median: { type: 'string', default: '0' } },
});
const [cmd, folder, listFile, outDir] = positionals;
if (cmd === 'pick' && folder && listFile) {
  const list = listImages(folder).flatMap((f) => pick(f, Number(o.per), Number(o.median)));
  fs.writeFileSync(listFile, `${JSON.stringify(list, null, 1)}\n`);
  console.log(`${list.length} crops listed in ${listFile}`);
} else if (cmd === 'cut' && folder && listFile && outDir) {
  cut(folder, JSON.parse(fs.readFileSync(listFile, 'utf8')) as Crop[], outDir);
} else {
  console.error('usage: crops.js pick <photos> <list.json> [--per N] | cut <photos> <list.json> <out folder>');
  process.exit(2);
}
