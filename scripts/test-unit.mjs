// Unit tests of the engine, the config and the CLI: bundles test/unit/*.test.ts (this folder
// only; test/unit/ext has its own runner) with esbuild into out/test/unit/, builds dist/ (the
// CLI tests run dist/cli.js as a user would) and runs them with node's built-in test runner.
//   node scripts/test-unit.mjs [--no-build] [name-filter]
import * as esbuild from 'esbuild';
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

const root = 'test/unit';
const args = process.argv.slice(2);
const filter = args.find((a) => !a.startsWith('--'));
// A filtered run bundles into its own folder, so it never deletes a full run's bundles.
const out = filter ? `out/test/unit-${process.pid}` : 'out/test/unit';
const entries = readdirSync(root)
  .filter((f) => f.endsWith('.test.ts') && (!filter || f.includes(filter)))
  .map((f) => join(root, f));

if (!args.includes('--no-build')) {
  const b = spawnSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
  if (b.status !== 0) process.exit(b.status ?? 1);
}
rmSync(out, { recursive: true, force: true });
await esbuild.build({
  entryPoints: entries,
  outdir: out,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: 'inline',
  logLevel: 'warning',
  external: ['onnxruntime-node', '@tensorflow/tfjs-node', 'esbuild'],
});
const files = readdirSync(out)
  .filter((f) => f.endsWith('.test.js'))
  .map((f) => join(out, f));
const r = spawnSync(process.execPath, ['--test', '--test-concurrency=2', ...files], {
  stdio: 'inherit',
  env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '2' },
});
if (filter) rmSync(out, { recursive: true, force: true });
process.exit(r.status ?? 1);
