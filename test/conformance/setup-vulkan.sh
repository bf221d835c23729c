#!/usr/bin/env bash
# Installs what the webgpu backend's tests need on a Debian machine without a GPU driver: the
# Vulkan loader and Mesa's software Vulkan driver (llvmpipe/lavapipe), which Dawn (npm `webgpu`)
# runs on. tfjs-backend-webgpu needs Mesa >= 24: Debian 13 has it, Debian 12 (bookworm) gets it
# from bookworm-backports (the source is added when missing). Idempotent: one line when present.
# Elsewhere (not Linux, no dpkg: macOS/Windows use Metal/D3D12) it does nothing.
#
# Environment:
#   GAN_STUDIO_SKIP_APT=1  never call apt-get (fail if the driver is missing or too old)
set -euo pipefail

MESA_MIN_MAJOR=24
PACKAGES=(mesa-vulkan-drivers libvulkan1)
BACKPORTS_FILE=/etc/apt/sources.list.d/bookworm-backports.sources

log() { printf '[vulkan] %s\n' "$*" >&2; }
die() { printf '[vulkan] FAILED: %s\n' "$*" >&2; exit 1; }

if [[ "$(uname -s)" != Linux ]] || ! command -v dpkg-query >/dev/null; then
  log "not a Debian system: nothing to install (the webgpu tests need a WebGPU-capable driver)"
  exit 0
fi

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }
# Major version of a Debian version string (epoch dropped): 1:25.0.7-2~bpo12+1 -> 25.
major() { local v="${1#*:}"; v="${v%%.*}"; [[ "$v" =~ ^[0-9]+$ ]] && echo "$v" || echo 0; }
mesa_installed() { installed mesa-vulkan-drivers && dpkg-query -W -f='${Version}' mesa-vulkan-drivers; }
ready() {
  local v
  v="$(mesa_installed)" || return 1
  installed libvulkan1 && (($(major "$v") >= MESA_MIN_MAJOR))
}

if ready; then
  log "Mesa Vulkan $(mesa_installed) present"
  exit 0
fi

have="$(mesa_installed || echo none)"
[[ "${GAN_STUDIO_SKIP_APT:-}" == 1 ]] \
  && die "Mesa's Vulkan driver >= $MESA_MIN_MAJOR is needed (installed: $have) and GAN_STUDIO_SKIP_APT=1"
SUDO=""
if [[ $(id -u) != 0 ]]; then
  command -v sudo >/dev/null \
    || die "Mesa's Vulkan driver >= $MESA_MIN_MAJOR is needed (installed: $have) and this is not root: install ${PACKAGES[*]}"
  SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
LOG="$(mktemp)"
trap 'rm -f "$LOG"' EXIT
apt_get() { $SUDO apt-get "$@" >"$LOG" 2>&1 || { tail -20 "$LOG" >&2; die "apt-get $*"; }; }

apt_get update -qq
candidate="$(apt-cache policy mesa-vulkan-drivers | awk '/Candidate:/ { print $2 }')"
target=()
if (($(major "$candidate") < MESA_MIN_MAJOR)); then
  codename="$(. /etc/os-release && echo "${VERSION_CODENAME:-}")"
  [[ "$codename" == bookworm ]] \
    || die "this system's Mesa is ${candidate:-not available} (< $MESA_MIN_MAJOR) and no backports source is known for '${codename:-unknown}': install Mesa >= $MESA_MIN_MAJOR's mesa-vulkan-drivers"
  if ! grep -rqs --include='*.list' --include='*.sources' -E '^[^#]*bookworm-backports' /etc/apt/sources.list /etc/apt/sources.list.d/; then
    log "adding the bookworm-backports source ($BACKPORTS_FILE)"
    printf '%s\n' 'Types: deb' 'URIs: http://deb.debian.org/debian' 'Suites: bookworm-backports' 'Components: main' \
      'Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg' | $SUDO tee "$BACKPORTS_FILE" >/dev/null \
      || die "cannot write $BACKPORTS_FILE"
    apt_get update -qq
  fi
  target=(-t bookworm-backports)
fi
log "apt-get install ${target[*]:+${target[*]} }${PACKAGES[*]}"
apt_get install -y -qq --no-install-recommends "${target[@]}" "${PACKAGES[@]}"
ready || die "after apt-get install, mesa-vulkan-drivers is $(mesa_installed || echo 'not installed') (need >= $MESA_MIN_MAJOR)"
log "Mesa Vulkan $(mesa_installed) installed"
