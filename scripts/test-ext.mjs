// Unit tests of the extension side (protocols, runs index, trainer client, webview logic):
// bundles every test/unit/ext/**/*.test.ts (and the fake trainer child the client tests fork)
// with esbuild into out/test/ext/, then runs them with node's built-in test runner.
// The engine (tfjs, the training loop) is never loaded: child.ts imports it lazily and those
// imports are left external here.
import * as esbuild from 'esbuild';
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

const root = 'test/unit/ext';
const out = 'out/test/ext';

function walk(dir) {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}

const files = walk(root);
const entries = files.filter((f) => f.endsWith('.test.ts') || f.endsWith('.child.ts'));

// Lazy engine imports in src/trainer/child.ts: keep them out of the test bundles.
const engineExternal = {
  name: 'engine-external',
  setup(build) {
    build.onResolve({ filter: /(^@tensorflow\/|\/train\/run$|\/engine\/backend$|\/engine\/gpu\/dawn$)/ }, (args) => ({
      path: args.path,
      external: true,
    }));
  },
};

rmSync(out, { recursive: true, force: true });
await esbuild.build({
  entryPoints: entries,
  outdir: out,
  outbase: root,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: 'inline',
  logLevel: 'warning',
  external: ['vscode', 'jsdom'],
  loader: { '.css': 'text' },
  plugins: [engineExternal],
});

// The extension host bundle, built as scripts/build.mjs builds it, for the activation test.
await esbuild.build({
  entryPoints: { extension: 'src/extension/extension.ts' },
  outdir: join(out, 'bundle'),
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  minify: true,
  logLevel: 'warning',
  external: ['vscode'],
});

// The real trainer child, once the training loop exists, for the end-to-end IPC test.
if (existsSync('src/trainer/train/run.ts')) {
  await esbuild.build({
    entryPoints: { trainer: 'src/trainer/child.ts' },
    outdir: join(out, 'bundle'),
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    logLevel: 'warning',
    external: ['onnxruntime-node', '@tensorflow/tfjs-node', 'esbuild'],
  });
}

const tests = walk(out).filter((f) => f.endsWith('.test.js'));
const filter = process.argv.slice(2);
const selected = filter.length ? tests.filter((t) => filter.some((f) => t.includes(f))) : tests;
const res = spawnSync(process.execPath, ['--enable-source-maps', '--test', ...selected], { stdio: 'inherit' });
process.exit(res.status ?? 1);
