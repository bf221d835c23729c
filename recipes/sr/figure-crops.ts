// The README's sharp-vs-fidelity figure: held-out crops (crops.ts) in rows; in columns bicubic,
// each model, any folder of precomputed upscales (Upscayl's x4plus, dev-time) and the original.
// Each panel is the crop's centre `--view` pixels shown at `--zoom` (2x, nearest), so halos and
// checkerboards would be visible; PSNR-Y and sharpness of the whole crop are printed.
//   npx esbuild recipes/sr/figure-crops.ts --bundle --platform=node --outfile=out/figure-crops.js --external:onnxruntime-node
//   node out/figure-crops.js <crops folder> <out.png> --crop A.png --crop B.png \
//     --model fidelity=models/sr-x4 --model sharp=models/sr-x4-sharp [--outputs x4plus=<folder>] [--view 128]
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { initBackend } from '../../src/trainer/engine/backend';
import { readImage } from '../../src/trainer/engine/image/codec';
import { resizeBytes, toBytes } from '../../src/trainer/engine/image/resize';
import { encodePng } from '../../src/trainer/engine/imageGrid';
import { toRgb } from '../../src/trainer/data/srFolder';
import { compareY, sharpnessRatio } from '../../src/trainer/infer/metrics';
import { loadSrRunner } from '../../src/trainer/infer/srModels';
import { drawText, GLYPH_H } from '../../src/trainer/train/pixelFont';

const S = 4,
  Z0 = 2,
  PAD = 8;
const {
  values: o,
  positionals: [cropsDir, outFile],
} = parseArgs({
  allowPositionals: true,
  options: {
    crop: { type: 'string', multiple: true, default: [] },
    model: { type: 'string', multiple: true, default: [] },
    outputs: { type: 'string', multiple: true, default: [] },
    view: { type: 'string', default: '128' },
    zoom: { type: 'string', default: String(Z0) },
  },
});
if (!cropsDir || !outFile || !o.crop.length) throw new Error('usage: figure-crops.js <crops> <out.png> --crop NAME...');
const Z = Number(o.zoom);
const split = (s: string) => [s.slice(0, s.indexOf('=')), s.slice(s.indexOf('=') + 1)] as const;

async function panelsFor(name: string): Promise<{ hr: Uint8Array; n: number; panels: [string, Uint8Array][] }> {
  const img = readImage(path.join(cropsDir!, 'hr', name)),
    n = img.width,
    hr = toRgb(img);
  const lr = resizeBytes(hr, n, n, 3, n / S, n / S);
  const panels: [string, Uint8Array][] = [['bicubic', resizeBytes(lr, n / S, n / S, 3, n, n)]];
  for (const [label, dir] of o.model.map(split)) {
    const m = await loadSrRunner(dir, S);
    panels.push([label, toBytes(await m.run(Float32Array.from(lr), n / S, n / S))]);
    m.dispose();
  }
  for (const [label, dir] of o.outputs.map(split)) panels.push([label, toRgb(readImage(path.join(dir, name)))]);
  for (const [label, sr] of panels) {
    const q = compareY(hr, sr, n, n, 3, S);
    console.log(
      `${name} ${label}: PSNR-Y ${q.psnr.toFixed(2)} dB, sharpness ${sharpnessRatio(hr, sr, n, n, 3, S).toFixed(2)}`,
    );
  }
  panels.push(['original', hr]);
  return { hr, n, panels };
}

async function main(): Promise<void> {
  await initBackend('native');
  const view = Number(o.view),
    cell = view * Z + PAD,
    label = GLYPH_H * 2 + 2 * PAD;
  const rows = [];
  for (const c of o.crop) rows.push(await panelsFor(c));
  const cols = rows[0].panels.length;
  const W = cols * cell + PAD,
    H = label + rows.length * cell + PAD;
  const rgba = new Uint8Array(W * H * 4).fill(255);
  rows[0].panels.forEach(([name], p) =>
    drawText(name.toUpperCase(), PAD + p * cell, PAD, 2, (x, y) => {
      if (x < W && y < H) rgba.fill(0, (y * W + x) * 4, (y * W + x) * 4 + 3);
    }),
  );
  rows.forEach(({ n, panels }, r) => {
    const off = (n - view) / 2;
    panels.forEach(([, data], p) => {
      const px = PAD + p * cell,
        py = label + r * cell;
      for (let j = 0; j < view * Z; j++)
        for (let i = 0; i < view * Z; i++) {
          const src = ((off + ((j / Z) | 0)) * n + off + ((i / Z) | 0)) * 3;
          rgba.set(data.subarray(src, src + 3), ((py + j) * W + px + i) * 4);
        }
    });
  });
  fs.writeFileSync(outFile!, encodePng(W, H, rgba));
  console.log(`wrote ${outFile} (${W}x${H})`);
}

main().catch((e) => {
  console.error(`figure-crops: ${(e as Error).message}`);
  process.exit(1);
});
