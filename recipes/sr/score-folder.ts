// Scores upscales made by another program (dev-time comparisons such as Upscayl's
// realesrgan-x4plus, which takes the LR crops that crops.ts writes) with eval-sr's protocol:
// PSNR-Y, SSIM-Y and the sharpness ratio, `scale` border pixels cropped, against hr/<name>.
//   npx esbuild recipes/sr/score-folder.ts --bundle --platform=node --outfile=out/score-folder.js --external:onnxruntime-node
//   node out/score-folder.js <crops folder with hr/> <folder of x4 outputs, same names> [--json]
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { readImage } from '../../src/trainer/engine/image/codec';
import { toRgb } from '../../src/trainer/data/srFolder';
import { compareY, sharpnessRatio } from '../../src/trainer/infer/metrics';

const S = 4;
const { values: o, positionals } = parseArgs({ allowPositionals: true, options: { json: { type: 'boolean' } } });
const [crops, outputs] = positionals;
if (!crops || !outputs) {
  console.error('usage: score-folder.js <crops folder with hr/> <outputs folder> [--json]');
  process.exit(2);
}
const rows: { file: string; psnr: number; ssim: number; sharpness: number }[] = [];
const names = fs.readdirSync(path.join(crops, 'hr')).filter((f) => f.endsWith('.png'));
// A slow program may have done only some crops so far: those are scored, and the count said.
const done = names.filter((f) => fs.existsSync(path.join(outputs, f))).sort();
console.error(`${done.length} of ${names.length} crops have an output in ${outputs}`);
for (const file of done) {
  const hr = readImage(path.join(crops, 'hr', file)),
    sr = readImage(path.join(outputs, file));
  if (sr.width !== hr.width || sr.height !== hr.height)
    throw new Error(`${file}: output ${sr.width}x${sr.height}, original ${hr.width}x${hr.height}`);
  const a = toRgb(hr),
    b = toRgb(sr);
  rows.push({
    file,
    ...compareY(a, b, hr.width, hr.height, 3, S),
    sharpness: sharpnessRatio(a, b, hr.width, hr.height, 3, S),
  });
}
const mean = (k: 'psnr' | 'ssim' | 'sharpness') => rows.reduce((s, r) => s + r[k], 0) / rows.length;
if (o.json)
  console.log(
    JSON.stringify(
      { images: rows, mean: { psnr: mean('psnr'), ssim: mean('ssim'), sharpness: mean('sharpness') } },
      null,
      1,
    ),
  );
else {
  for (const r of rows)
    console.log(`${r.file.padEnd(28)} ${r.psnr.toFixed(2)} / ${r.ssim.toFixed(4)} / ${r.sharpness.toFixed(2)}`);
  console.log(
    `${'mean'.padEnd(28)} ${mean('psnr').toFixed(2)} / ${mean('ssim').toFixed(4)} / ${mean('sharpness').toFixed(2)}`,
  );
}
