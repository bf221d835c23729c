// Fault-injection suite (issue 9): kills during training and checkpointing, injected write
// failures, NaN injection, fuzzing of the config and message validators, a bad-file corpus.
// Bundles test/reliability/main.ts with esbuild, builds dist/ (the CLI is run as a user would)
// and prints a summary of what was tried and what held; exit 1 if anything did not hold.
//   node scripts/test-reliability.mjs [--no-build] [section ...]   sections: kills writes nan warnings fuzz files
import * as esbuild from 'esbuild';
import { spawnSync } from 'node:child_process';

const args = process.argv.slice(2);
if (!args.includes('--no-build')) {
  const b = spawnSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
  if (b.status !== 0) process.exit(b.status ?? 1);
}
await esbuild.build({
  entryPoints: ['test/reliability/main.ts'],
  outfile: 'out/test/reliability/main.js',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: 'inline',
  logLevel: 'warning',
  external: ['onnxruntime-node', '@tensorflow/tfjs-node', 'esbuild'],
});
const r = spawnSync(process.execPath, ['out/test/reliability/main.js', ...args.filter((a) => !a.startsWith('--'))], {
  stdio: 'inherit',
  env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '2' },
});
process.exit(r.status ?? 1);
