// One esbuild script for every bundle: the extension host, the trainer child process,
// the CLI and the webviews. tfjs is bundled; onnxruntime-node stays external because it
// loads a native binary from its own package folder, and so do esbuild (the trainer compiles
// users' model files with it at run time) and sharp (image input/output: libvips from its
// @img/sharp-<platform> packages, found at run time in the node_modules beside dist/).
import * as esbuild from 'esbuild';
import { cpSync, mkdirSync, existsSync, readdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');

const node = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
  external: ['vscode', 'onnxruntime-node', '@tensorflow/tfjs-node', 'esbuild', 'webgpu', 'sharp'],
};

const builds = [
  { ...node, entryPoints: { extension: 'src/extension/extension.ts' }, outdir: 'dist' },
  {
    ...node,
    entryPoints: { cli: 'src/trainer/cli.ts', trainer: 'src/trainer/child.ts', gpuProbe: 'src/trainer/gpuProbe.ts' },
    outdir: 'dist',
    banner: { js: '#!/usr/bin/env node' },
  },
];
const webviewEntries = existsSync('webview')
  ? Object.fromEntries(
      readdirSync('webview')
        .filter((f) => /^[a-z][\w-]*\.ts$/.test(f) && !f.endsWith('.test.ts'))
        .map((f) => [f.replace(/\.ts$/, ''), `webview/${f}`]),
    )
  : {};
if (Object.keys(webviewEntries).length) {
  builds.push({
    bundle: true,
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    sourcemap: !production,
    minify: production,
    logLevel: 'warning',
    entryPoints: webviewEntries,
    outdir: 'dist/webview',
    loader: { '.css': 'text' },
  });
}

// Entry points that do not exist yet are skipped so the build works while the tree grows.
const present = (b) => Object.values(b.entryPoints).every((p) => existsSync(p));

mkdirSync('dist', { recursive: true });
// The wasm backend loads its .wasm binaries from next to the bundle (setWasmPaths).
for (const f of ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm-threaded-simd.wasm']) {
  cpSync(`node_modules/@tensorflow/tfjs-backend-wasm/dist/${f}`, `dist/${f}`);
}
// The schema's family parts come from the registry (scripts/gen-schema.mjs); the bundles embed it.
const gen = spawnSync(process.execPath, ['scripts/gen-schema.mjs'], { stdio: 'inherit' });
if (gen.status !== 0) process.exit(gen.status ?? 1);
const ready = builds.filter(present);
if (watch) {
  for (const b of ready) await (await esbuild.context(b)).watch();
} else {
  await Promise.all(ready.map((b) => esbuild.build(b)));
}
