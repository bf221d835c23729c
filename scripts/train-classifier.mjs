// Trains a shipped classifier (models/classifiers/<dataset>/): bundles test/quality/trainClassifier.ts
// into out/quality/ and runs it. A few minutes per data set on a laptop CPU.
//   node scripts/train-classifier.mjs mnist|fashion-mnist [--epochs 4] [--seed 1] [--fashion-path DIR]
import * as esbuild from 'esbuild';
import { spawnSync } from 'node:child_process';

const outfile = 'out/quality/trainClassifier.js';
await esbuild.build({
  entryPoints: ['test/quality/trainClassifier.ts'],
  outfile,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  logLevel: 'warning',
  external: ['onnxruntime-node', '@tensorflow/tfjs-node', 'esbuild', 'webgpu'],
});
const r = spawnSync(process.execPath, [outfile, ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(r.status ?? 1);
