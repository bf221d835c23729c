// Kernel conformance suite: bundles test/conformance (a worker per backend and the node:test
// file that compares them with the cpu reference, and the whole-step check that trains each
// family on every backend through dist/cli.js: build first) into out/conformance and runs it.
// The webgpu backend needs a Vulkan driver on Linux: test/conformance/setup-vulkan.sh installs
// Mesa's software one on Debian when missing (apt-get: root or sudo the first time).
import * as esbuild from 'esbuild';
import { spawnSync } from 'node:child_process';

if (process.platform === 'linux') {
  const vulkan = spawnSync('bash', ['test/conformance/setup-vulkan.sh'], { stdio: 'inherit' });
  if (vulkan.status !== 0) process.exit(vulkan.status ?? 1);
}

await esbuild.build({
  entryPoints: [
    'test/conformance/worker.ts',
    'test/conformance/conformance.test.ts',
    'test/conformance/training.test.ts',
  ],
  outdir: 'out/conformance',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  logLevel: 'warning',
  external: ['onnxruntime-node', 'webgpu'],
});
const res = spawnSync(
  process.execPath,
  ['--test', 'out/conformance/conformance.test.js', 'out/conformance/training.test.js'],
  { stdio: 'inherit' },
);
process.exit(res.status ?? 1);
