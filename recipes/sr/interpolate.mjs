// node recipes/sr/interpolate.mjs <fidelity generator dir> <gan generator dir> <alpha> <out dir>
// ESRGAN's network interpolation (Wang et al. 2018, section 3.4): every weight becomes
// (1 - alpha) * fidelity + alpha * gan. It trades the GAN model's invented texture (and its
// faint pixel-shuffle grid on flat areas) against the PSNR model's softness without training.
// Both folders must hold the same architecture (same weights, in order and shape); either may be
// stored as float16 (a shipped model), and the result is float32 (float16.mjs comes last).
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { fail, readWeightsAsFloat32 } from './float32-folder.mjs';

const [fidelityDir, ganDir, alphaText, outDir] = process.argv.slice(2);
const alpha = Number(alphaText);
if (!fidelityDir || !ganDir || !outDir || !(alpha >= 0 && alpha <= 1))
  fail('usage: node recipes/sr/interpolate.mjs <fidelity dir> <gan dir> <alpha 0..1> <out dir>');
const fidelity = readWeightsAsFloat32(fidelityDir),
  gan = readWeightsAsFloat32(ganDir);
const shapes = ({ group }) => JSON.stringify(group.weights.map((w) => [w.shape, w.dtype]));
if (shapes(fidelity) !== shapes(gan)) fail(`${fidelityDir} and ${ganDir} hold different architectures`);
// Same shapes, and each weights.bin holds exactly its declared values: the same length.
const a = fidelity.floats,
  g = gan.floats;
const out = new Float32Array(a.length);
for (let i = 0; i < a.length; i++) out[i] = (1 - alpha) * a[i] + alpha * g[i];
mkdirSync(outDir, { recursive: true });
for (const w of gan.group.weights) delete w.quantization;
writeFileSync(join(outDir, 'model.json'), JSON.stringify(gan.json));
writeFileSync(join(outDir, 'weights.bin'), Buffer.from(out.buffer));
const trained = existsSync(join(ganDir, 'training.json'))
  ? JSON.parse(readFileSync(join(ganDir, 'training.json'), 'utf8'))
  : {};
writeFileSync(
  join(outDir, 'training.json'),
  `${JSON.stringify({ ...trained, interpolation: { alpha, fidelity: fidelityDir, gan: ganDir } }, null, 2)}\n`,
);
console.log(`wrote ${outDir}: ${1 - alpha} x ${fidelityDir} + ${alpha} x ${ganDir}`);
