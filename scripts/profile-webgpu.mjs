// Where a training step's time goes on the webgpu backend, kernel by kernel, and the step time
// of kernel variants side by side in one process (alternating, so load drift hits all alike).
//   node scripts/profile-webgpu.mjs [--model dcgan|gan|cgan] [--batch 16] [--rounds 3]
//        [--variants tfjs,mm-input,ours] [--detail Conv2DBackpropFilter,...]
// Variants: `tfjs` = tfjs-backend-webgpu's own kernels (its naive Conv2DBackpropFilter and
// Conv2DBackpropInput shaders); `mm-input` = the same with WEBGPU_USE_NAIVE_CONV2D_TRANSPOSE false
// (its tiled Conv2DBackpropInput); `ours` = what useWebgpu installs (gpu/convGrads.ts).
// Step time: wall clock of unprofiled steps (after one warm-up step per variant, which compiles
// the shaders), median over the rounds. Then one profiled step per variant (tf.profile): GPU time
// per kernel from timestamp queries (the adapter must offer 'timestamp-query'; llvmpipe does),
// its calls, and under it the shader programs it ran; --detail lists each call of the named
// kernels with its shapes. Each profiled kernel is submitted on its own and, on llvmpipe, its
// time includes the CPU time other processes take from it, so the GPU times are for comparing
// kernels and variants, and their sum can exceed a step's wall time. Last line: all as JSON.
import * as esbuild from 'esbuild';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const outfile = path.join(root, 'out/profile-webgpu/profile.js');

const entry = `
import * as tf from '@tensorflow/tfjs';
import { parseArgs } from 'node:util';
import { initBackend } from './src/trainer/engine/backend';
import { releaseGpu } from './src/trainer/engine/gpu/webgpu';
import { installConvGrads, uninstallConvGrads } from './src/trainer/engine/gpu/convGrads';
import { resolveConfig } from './src/shared/config';
import { getFamily } from './src/trainer/models';
import { installAsMathRandom, Rng } from './src/trainer/engine/rng';
import { oneHot } from './src/trainer/models/common/latentFamily';

const { values: o } = parseArgs({ options: {
  model: { type: 'string', default: 'dcgan' }, batch: { type: 'string', default: '16' },
  rounds: { type: 'string', default: '3' }, variants: { type: 'string', default: 'tfjs,mm-input,ours' },
  detail: { type: 'string', default: '' },
} });
const detail = new Set(o.detail.split(',').filter(Boolean));
const model = o.model;
if (!['gan', 'dcgan', 'cgan'].includes(model)) {
  console.error('profile-webgpu: --model must be gan, dcgan or cgan (the latent families)');
  process.exit(2);
}
const batch = Number(o.batch);
const rounds = Number(o.rounds);
const variants = o.variants.split(',');

function setVariant(v) {
  if (v === 'ours') {
    tf.env().set('WEBGPU_USE_NAIVE_CONV2D_TRANSPOSE', true);
    installConvGrads();
  } else if (v === 'tfjs' || v === 'mm-input') {
    uninstallConvGrads();
    tf.env().set('WEBGPU_USE_NAIVE_CONV2D_TRANSPOSE', v === 'tfjs');
  } else throw new Error('unknown variant ' + v);
}

async function main() {
  const used = await initBackend('webgpu', { warn: (m) => console.error('warning: ' + m) });
  if (used !== 'webgpu') throw new Error('webgpu did not start');
  const rng = new Rng(0);
  installAsMathRandom(rng);
  const family = getFamily(model);
  const cfg = resolveConfig({ model }, process.cwd(), 'profile');
  const spec = { imageSize: cfg.imageSize, channels: 1, numClasses: family.conditional ? 10 : 0, params: cfg.params };
  const nets = family.build(spec);
  const optimizers = Object.fromEntries(family.networkNames.map((n) => [n, tf.train.adam(cfg.optimizer.lr, cfg.optimizer.beta1, cfg.optimizer.beta2)]));
  const S = spec.imageSize;
  const images = tf.tensor4d(Float32Array.from({ length: batch * S * S }, () => rng.random() * 2 - 1), [batch, S, S, 1]);
  const labels = oneHot(Array.from({ length: batch }, () => rng.int(10)), 10);
  const step = () => family.trainStep({ nets, optimizers, spec, rng }, { images, labels });

  const times = Object.fromEntries(variants.map((v) => [v, []]));
  for (const v of variants) { setVariant(v); await step(); }
  for (let r = 0; r < rounds; r++) {
    for (const v of variants) {
      setVariant(v);
      const t0 = performance.now();
      await step();
      times[v].push(performance.now() - t0);
    }
  }
  const median = (a) => { const s = [...a].sort((x, y) => x - y); return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2; };
  const report = { model, batch, rounds, variants: {} };
  for (const v of variants) {
    setVariant(v);
    const info = await tf.profile(step);
    const byKernel = new Map();
    for (const k of info.kernels) {
      const e = byKernel.get(k.name) ?? { ms: 0, calls: 0, programs: new Map() };
      e.ms += k.kernelTimeMs;
      e.calls++;
      for (const part of String(k.extraInfo ?? '').split(', ').filter(Boolean)) {
        const i = part.lastIndexOf(': ');
        const name = part.slice(0, i);
        const p = e.programs.get(name) ?? { ms: 0, runs: 0 };
        p.ms += Number(part.slice(i + 2));
        p.runs++;
        e.programs.set(name, p);
      }
      byKernel.set(k.name, e);
      if (detail.has(k.name)) {
        console.log('  ' + k.name + ' ' + k.inputShapes.map((x) => '[' + x + ']').join(' ') + ' -> [' + k.outputShapes[0] + ']: ' +
          Math.round(k.kernelTimeMs) + ' ms (' + k.extraInfo + ')');
      }
    }
    const kernels = [...byKernel.entries()].sort((a, b) => b[1].ms - a[1].ms);
    const gpuMs = kernels.reduce((s, [, e]) => s + e.ms, 0);
    report.variants[v] = {
      stepMs: times[v].map((t) => Math.round(t)), medianMs: Math.round(median(times[v])), gpuMs: Math.round(gpuMs),
      kernels: Object.fromEntries(kernels.map(([n, e]) => [n, { ms: Math.round(e.ms), calls: e.calls,
        programs: Object.fromEntries([...e.programs.entries()].sort((a, b) => b[1].ms - a[1].ms).map(([p, x]) => [p, Math.round(x.ms)])) }])),
    };
    console.log('== ' + v + ': step ' + report.variants[v].medianMs + ' ms (median of ' + times[v].map((t) => Math.round(t)).join(', ') +
      '), profiled step: GPU time ' + Math.round(gpuMs) + ' ms in ' + info.kernels.length + ' kernels');
    for (const [n, e] of kernels) {
      if (e.ms < gpuMs * 0.005) continue;
      console.log('  ' + n.padEnd(28) + String(Math.round(e.ms)).padStart(8) + ' ms ' + (100 * e.ms / gpuMs).toFixed(1).padStart(5) + '%  ' + e.calls + ' calls');
      for (const [p, x] of [...e.programs.entries()].sort((a, b) => b[1].ms - a[1].ms)) {
        if (x.ms >= gpuMs * 0.005) console.log('      ' + p.padEnd(30) + String(Math.round(x.ms)).padStart(8) + ' ms  ' + x.runs + ' runs');
      }
    }
  }
  console.log(JSON.stringify(report));
  tf.dispose([images, labels]);
  releaseGpu();
}
main().catch((e) => { console.error(e); process.exit(1); });
`;

await esbuild.build({
  stdin: { contents: entry, resolveDir: root, sourcefile: 'profile-webgpu-entry.ts', loader: 'ts' },
  outfile,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  logLevel: 'warning',
  external: ['onnxruntime-node', 'webgpu', 'esbuild'],
});
const res = spawnSync(process.execPath, [outfile, ...process.argv.slice(2)], { stdio: 'inherit', cwd: root });
process.exit(res.status ?? 1);
