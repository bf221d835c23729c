// The README's before/after crop: a held-out photo's region is bicubic-downscaled x4 (the
// eval-sr protocol), then brought back by bicubic, by the shipped model and by UpscalerJS's
// esrgan-slim, next to the original. Each panel is shown at 2x with nearest neighbour so the
// pixels are visible. PSNR-Y of each panel's crop is printed.
//   npx esbuild recipes/sr/figure.ts --bundle --platform=node --outfile=out/figure.js --external:onnxruntime-node
//   node out/figure.js <photo> <out.png> [--x X --y Y --size 128]
import * as fs from 'node:fs';
import { parseArgs } from 'node:util';
import { initBackend } from '../../src/trainer/engine/backend';
import { readImage } from '../../src/trainer/engine/image/codec';
import { resizeBytes, toBytes } from '../../src/trainer/engine/image/resize';
import { encodePng } from '../../src/trainer/engine/imageGrid';
import { compareY } from '../../src/trainer/infer/metrics';
import { loadSrRunner } from '../../src/trainer/infer/srModels';
import { drawText, GLYPH_H } from '../../src/trainer/train/pixelFont';

const {
  values: o,
  positionals: [photo, outFile],
} = parseArgs({
  allowPositionals: true,
  options: {
    x: { type: 'string', default: '0' },
    y: { type: 'string', default: '0' },
    size: { type: 'string', default: '128' },
  },
});
if (!photo || !outFile) throw new Error('usage: figure.js <photo> <out.png> [--x X --y Y --size N]');

const S = 4,
  size = Number(o.size),
  x0 = Number(o.x),
  y0 = Number(o.y);
// The LR input is made from a larger context so the crop has no border effects.
const ctx = size * 2,
  cx0 = Math.max(0, x0 - size / 2),
  cy0 = Math.max(0, y0 - size / 2);

function crop(data: Uint8Array, w: number, c: number, x: number, y: number, cw: number, ch: number): Uint8Array {
  const out = new Uint8Array(cw * ch * 3);
  for (let j = 0; j < ch; j++)
    for (let i = 0; i < cw; i++)
      for (let k = 0; k < 3; k++) {
        out[(j * cw + i) * 3 + k] = data[((y + j) * w + x + i) * c + Math.min(k, c - 1)];
      }
  return out;
}

async function main(): Promise<void> {
  await initBackend('native');
  const img = readImage(photo!);
  const hr = crop(img.data, img.width, img.channels, cx0, cy0, ctx, ctx);
  const lr = resizeBytes(hr, ctx, ctx, 3, ctx / S, ctx / S);
  const bicubic = resizeBytes(lr, ctx / S, ctx / S, 3, ctx, ctx);
  const run = async (name: string) => {
    const m = await loadSrRunner(name, S);
    const f = new Float32Array(lr.length);
    for (let i = 0; i < lr.length; i++) f[i] = lr[i];
    const y = toBytes(await m.run(f, ctx / S, ctx / S));
    m.dispose();
    return y;
  };
  const panels: Array<[string, Uint8Array]> = [
    [
      'input (x4 smaller)',
      (() => {
        // nearest-neighbour view of the LR pixels
        const n = new Uint8Array(ctx * ctx * 3);
        for (let j = 0; j < ctx; j++)
          for (let i = 0; i < ctx; i++)
            for (let k = 0; k < 3; k++) n[(j * ctx + i) * 3 + k] = lr[((j >> 2) * (ctx / S) + (i >> 2)) * 3 + k];
        return n;
      })(),
    ],
    ['bicubic', bicubic],
    ['esrgan-slim', await run('esrgan-slim')],
    ['gan studio', await run('default')],
    ['original', hr],
  ];
  const ox = x0 - cx0,
    oy = y0 - cy0,
    Z = 2,
    pad = 8,
    label = GLYPH_H * 2 + 8;
  const W = panels.length * (size * Z + pad) + pad,
    H = size * Z + label + pad * 2;
  const rgba = new Uint8Array(W * H * 4).fill(255);
  panels.forEach(([name, data], p) => {
    const c = crop(data, ctx, 3, ox, oy, size, size);
    const px = pad + p * (size * Z + pad);
    if (name !== 'original' && !name.startsWith('input')) {
      console.log(
        `${name}: PSNR-Y ${compareY(crop(hr, ctx, 3, ox, oy, size, size), c, size, size, 3, 0).psnr.toFixed(2)} dB on the crop`,
      );
    }
    for (let j = 0; j < size * Z; j++)
      for (let i = 0; i < size * Z; i++)
        for (let k = 0; k < 3; k++) {
          rgba[((pad + j) * W + px + i) * 4 + k] = c[(((j / Z) | 0) * size + ((i / Z) | 0)) * 3 + k];
        }
    drawText(name.toUpperCase(), px, pad * 2 + size * Z, 2, (x, y) => {
      if (x < W && y < H) rgba.fill(0, (y * W + x) * 4, (y * W + x) * 4 + 3);
    });
  });
  fs.writeFileSync(outFile!, encodePng(W, H, rgba));
}

main().catch((e) => {
  console.error(`figure: ${(e as Error).message}`);
  process.exit(1);
});
