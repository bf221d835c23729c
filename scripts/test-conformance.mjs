// Kernel conformance suite: bundles test/conformance (a worker per backend and the node:test
// file that compares them with the cpu reference) into out/conformance and runs it.
import * as esbuild from 'esbuild';
import { spawnSync } from 'node:child_process';

await esbuild.build({
  entryPoints: ['test/conformance/worker.ts', 'test/conformance/conformance.test.ts'],
  outdir: 'out/conformance',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  logLevel: 'warning',
  external: ['onnxruntime-node'],
});
const res = spawnSync(process.execPath, ['--test', 'out/conformance/conformance.test.js'], { stdio: 'inherit' });
process.exit(res.status ?? 1);
