// node recipes/sr/interpolate.mjs <fidelity generator dir> <gan generator dir> <alpha> <out dir>
// ESRGAN's network interpolation (Wang et al. 2018, section 3.4): every weight becomes
// (1 - alpha) * fidelity + alpha * gan. It trades the GAN model's invented texture (and its
// faint pixel-shuffle grid on flat areas) against the PSNR model's softness without training.
// Both folders must hold the same architecture (same weights, in order and shape).
import { copyFileSync, mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';

const [fidelityDir, ganDir, alphaText, outDir] = process.argv.slice(2);
const alpha = Number(alphaText);
if (!fidelityDir || !ganDir || !outDir || !(alpha >= 0 && alpha <= 1)) {
  console.error('usage: node recipes/sr/interpolate.mjs <fidelity dir> <gan dir> <alpha 0..1> <out dir>');
  process.exit(2);
}
const manifest = (dir) => JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')).weightsManifest[0].weights;
const shapes = (dir) => JSON.stringify(manifest(dir).map((w) => [w.shape, w.dtype]));
// weights.bin is read as raw float32 below: a float16 folder would be read as garbage.
for (const dir of [fidelityDir, ganDir])
  if (manifest(dir).some((w) => w.quantization)) {
    console.error(`${dir} stores quantized (float16) weights: interpolate before recipes/sr/float16.mjs`);
    process.exit(2);
  }
if (shapes(fidelityDir) !== shapes(ganDir)) {
  console.error(`${fidelityDir} and ${ganDir} hold different architectures`);
  process.exit(2);
}
const floats = (dir) => {
  const b = readFileSync(join(dir, 'weights.bin'));
  return new Float32Array(b.buffer, b.byteOffset, b.byteLength / 4);
};
const a = floats(fidelityDir),
  g = floats(ganDir);
if (a.length !== g.length) {
  console.error('the two weights.bin files differ in length');
  process.exit(2);
}
const out = new Float32Array(a.length);
for (let i = 0; i < a.length; i++) out[i] = (1 - alpha) * a[i] + alpha * g[i];
mkdirSync(outDir, { recursive: true });
copyFileSync(join(ganDir, 'model.json'), join(outDir, 'model.json'));
writeFileSync(join(outDir, 'weights.bin'), Buffer.from(out.buffer));
const trained = existsSync(join(ganDir, 'training.json'))
  ? JSON.parse(readFileSync(join(ganDir, 'training.json'), 'utf8'))
  : {};
writeFileSync(
  join(outDir, 'training.json'),
  `${JSON.stringify({ ...trained, interpolation: { alpha, fidelity: fidelityDir, gan: ganDir } }, null, 2)}\n`,
);
console.log(`wrote ${outDir}: ${1 - alpha} x ${fidelityDir} + ${alpha} x ${ganDir}`);
