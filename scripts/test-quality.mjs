// Quality checks that take minutes, not part of `npm test` (CI's 90 minutes can't hold a
// 20-minute training): bundles test/quality/*.ts into out/quality/ and runs one.
//   npm run test:quality -- cgan [--minutes 20]    cGAN digits recognised by a separate classifier
import * as esbuild from 'esbuild';
import { spawnSync } from 'node:child_process';

const checks = { cgan: 'test/quality/cganDigits.ts' };
const [name = 'cgan', ...rest] = process.argv.slice(2);
if (!(name in checks)) {
  console.error(`test:quality: unknown check "${name}" (one of ${Object.keys(checks).join(', ')})`);
  process.exit(2);
}
const b = spawnSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
if (b.status !== 0) process.exit(b.status ?? 1);
const outfile = `out/quality/${name}.js`;
await esbuild.build({
  entryPoints: [checks[name]],
  outfile,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  logLevel: 'warning',
  external: ['onnxruntime-node', '@tensorflow/tfjs-node', 'esbuild'],
});
const args = rest.length ? rest : ['--minutes', '20'];
const r = spawnSync(process.execPath, [outfile, ...args], { stdio: 'inherit' });
process.exit(r.status ?? 1);
