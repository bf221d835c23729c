#!/usr/bin/env bash
# scripts/gpu-check.sh: the `webgpu` backend on a real GPU, in one run of at most ~9 minutes.
# Made for a borrowed machine with an NVIDIA GPU, no network and maybe no Node: it runs from the
# kit that scripts/gpu-pack.sh prepared here (gpu-kit/kit.tar.xz; without one it uses this tree's
# dist/ and the `node` on PATH). What it does, each step under a `timeout`:
#   1. the machine: nvidia-smi, the Vulkan devices (vulkaninfo --summary), the adapter Dawn picks
#   2. kernel conformance on webgpu: out/conformance/worker.js, each case against the cpu backend
#      within conformance.test.ts's tolerance
#   3. `gan bench` DCGAN batch 64 on webgpu, native (16 threads) and native (1 thread); then
#      pix2pix and CycleGAN at 256x256 batch 1 on webgpu and native (16 threads)
#   4. the PyTorch references (../shared/bench): the same steps on cuda, on the CPU (16 threads)
#      and DCGAN on 1 thread; recorded as skipped when torch (or CUDA) is missing
# Writes to $OUT (default ./gpu-check-out): summary.md (the table and the ratios), steps.jsonl
# (one line per step: status, seconds, the tool's own JSON line), conformance-webgpu.jsonl,
# machine.txt, adapter.json, logs/<step>.out|.err, gpu-check.log (this output).
#   OUT=/tmp/gc bash scripts/gpu-check.sh
# On the borrowed machine: run `bash scripts/gpu-check.sh` from the repo root with gpu-kit carried
# along (it is git-ignored) and a 600 s limit; rebuild the kit (gpu-pack.sh) just before, so
# that it holds the commit under test.
#   GPU_CHECK_QUICK=1      one step per bench and a short conformance run: checks that it all runs
#                          (the default where there is no hardware GPU: a software renderer such
#                          as llvmpipe would only time out on the full benches; GPU_CHECK_QUICK=0
#                          forces the full run)
#   GPU_CHECK_BUDGET_S=500 seconds for the whole script (steps still to come are skipped after)
#   GPU_CHECK_THREADS=16   the CPU thread count of the native and torch-cpu steps
#   PYTHON=...             the python with torch (default: the first of python3, /usr/bin/python3)
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT=${OUT:-./gpu-check-out}
mkdir -p "$OUT/logs" && OUT=$(cd "$OUT" && pwd)
rm -f "$OUT"/*.jsonl "$OUT"/logs/* "$OUT/summary.md"
exec > >(tee "$OUT/gpu-check.log") 2>&1
QUICK=${GPU_CHECK_QUICK:-auto}
BUDGET=${GPU_CHECK_BUDGET_S:-500}
T=${GPU_CHECK_THREADS:-16}
START=$(date +%s)
BENCH_DIR=${TORCH_BENCH_DIR:-$ROOT/../shared/bench}
[ -d "$BENCH_DIR" ] && BENCH_DIR=$(cd "$BENCH_DIR" && pwd)
STEPS=$OUT/steps.jsonl
: > "$STEPS"

say() { echo "gpu-check [$(( $(date +%s) - START ))s]: $*"; }
# summary.md is always written: by the node summary at the end, else (a failure before it, or
# node itself failing) by this plain one from what steps.jsonl holds so far.
FAILED=""
fail() { FAILED=$*; say "FAILED: $*"; exit 1; }
finish() {
  local rc=$?
  [ -s "$OUT/summary.md" ] && return
  {
    echo "# GAN Studio GPU check, $(date -u '+%Y-%m-%d %H:%M') UTC: INCOMPLETE"
    echo
    echo "- stopped after $(( $(date +%s) - START )) s, exit $rc${FAILED:+: $FAILED}"
    echo "- GPU (nvidia-smi): ${gpu:-none found}"
    echo "- Dawn's adapter: $(cat "$OUT/adapter.json" 2>/dev/null || echo 'not probed')"
    echo
    echo "Steps recorded (steps.jsonl):"
    echo
    sed 's/^/    /' "$STEPS" 2>/dev/null
    echo
    echo "See gpu-check.log and logs/."
  } > "$OUT/summary.md"
  say "wrote the plain $OUT/summary.md"
}
trap finish EXIT
left() { echo $(( BUDGET - ($(date +%s) - START) )); }
# A JSON string from any text (one line; quotes, backslashes and control characters escaped).
jstr() {
  local s
  s=$(printf '%s' "$1" | tr '\n\r\t' '   ' | tr -d '\000-\037')
  s=${s//\\/\\\\}
  printf '"%s"' "${s//\"/\\\"}"
}
# n <normal> <quick>: a step count (or timeout) for the mode.
n() { if [ "$QUICK" = 1 ]; then echo "$2"; else echo "$1"; fi; }

record() { # id group status seconds cmd result-json note
  printf '{"id":%s,"group":%s,"status":%s,"seconds":%s,"cmd":%s,"result":%s,"note":%s}\n' \
    "$(jstr "$1")" "$(jstr "$2")" "$(jstr "$3")" "${4:-0}" "$(jstr "$5")" "${6:-null}" "$(jstr "${7:-}")" >> "$STEPS"
  say "$1: $3${7:+ ($7)}"
}

# step ID GROUP TIMEOUT WANT_BACKEND -- command...: runs it, keeps its last JSON line, records.
step() {
  local id=$1 group=$2 want=$3 backend=$4; shift 5
  local cmd="$*" budget t rc t0 secs json err status note=""
  budget=$(left)
  t=$(( want < budget ? want : budget ))
  if [ "$t" -lt 5 ]; then record "$id" "$group" skipped 0 "$cmd" null "out of time (GPU_CHECK_BUDGET_S=$BUDGET)"; return; fi
  say "$id: $cmd (timeout ${t}s)"
  t0=$(date +%s.%N)
  timeout -k 5 "$t" "$@" > "$OUT/logs/$id.out" 2> "$OUT/logs/$id.err" < /dev/null
  rc=$?
  secs=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
  json=$(grep '^{.*}$' "$OUT/logs/$id.out" | tail -1)
  err=$(grep -v '^\s*$' "$OUT/logs/$id.err" | grep -v 'artificially reduced' | tail -1)
  if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then status=timeout; note="killed after ${t}s"
  elif [ "$rc" = 0 ] && [ -n "$json" ]; then
    status=ok
    if [ -n "$backend" ] && ! printf '%s' "$json" | grep -q "\"backend\":\"$backend\""; then
      status=fallback; note="asked for $backend, ran on another backend: $(grep -i 'not available\|warn' "$OUT/logs/$id.err" | head -1)"
    fi
  elif grep -qi 'unknown option\|must be one of\|unexpected argument\|usage:' "$OUT/logs/$id.err"; then
    status=unsupported; note="not supported yet: $err"
  else status=failed; note="exit $rc: $err"
  fi
  record "$id" "$group" "$status" "$secs" "$cmd" "${json:-null}" "$note"
}

say "OUT=$OUT, quick=$QUICK, budget ${BUDGET}s, threads $T"

# ---- 1. the machine ----
{
  echo "# date"; date -u
  echo "# uname"; uname -a
  echo "# os"; grep PRETTY_NAME /etc/os-release 2>/dev/null
  echo "# glibc"; ldd --version 2>&1 | head -1
  echo "# cpus"; nproc
  echo "# nvidia-smi"; timeout 30 nvidia-smi 2>&1 || echo "(no nvidia-smi)"
  echo "# vulkan loader"; ldconfig -p 2>/dev/null | grep libvulkan || echo "(no libvulkan in ldconfig)"
  echo "# vulkan ICDs"; ls -l /usr/share/vulkan/icd.d /etc/vulkan/icd.d /usr/local/share/vulkan/icd.d 2>&1
  echo "# vulkaninfo --summary"
  if command -v vulkaninfo > /dev/null; then timeout 30 vulkaninfo --summary 2>&1 | head -80; else echo "(no vulkaninfo)"; fi
} > "$OUT/machine.txt" 2>&1
gpu=$(timeout 20 nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader 2>/dev/null | head -1)
say "GPU: ${gpu:-none (nvidia-smi found nothing)}"
sed -n '/^# vulkaninfo/,$p' "$OUT/machine.txt" | grep -i 'deviceName\|driverName\|apiVersion' | sort -u | sed 's/^/  /'

# ---- the kit (or this tree) ----
KIT=$ROOT/gpu-kit/kit.tar.xz
if [ -f "$KIT" ]; then
  APP=${GPU_CHECK_WORK:-${TMPDIR:-/tmp}/gan-gpu-kit}
  rm -rf "$APP" && mkdir -p "$APP"
  if command -v xz > /dev/null; then timeout 180 tar -C "$APP" -xJf "$KIT"
  else timeout 180 python3 -c 'import sys, tarfile; tarfile.open(sys.argv[1], "r:xz").extractall(sys.argv[2])' "$KIT" "$APP"; fi \
    || fail "could not unpack $KIT"
  NODE=$APP/bin/node
  say "kit unpacked to $APP: $(cat "$APP/kit.json")"
else
  APP=$ROOT; NODE=$(command -v node || true)
  [ -n "$NODE" ] && [ -f "$APP/dist/cli.js" ] || fail "no $KIT and no node + dist/cli.js here (run scripts/gpu-pack.sh first)"
  say "no kit: using this tree's dist/ and $NODE"
fi
TOL=$(sed -n 's/.*"tolerance": *\([0-9.e+-]*\).*/\1/p' "$APP/kit.json" 2>/dev/null); TOL=${TOL:-1e-5}
timeout 30 "$NODE" --version > /dev/null 2>&1 || fail "$NODE does not run here: $(timeout 30 "$NODE" --version 2>&1 | head -1)"

# The Vulkan loader: the kit's only where the system has none.
if ! ldconfig -p 2>/dev/null | grep -q 'libvulkan\.so\.1 ' && [ -f "$APP/lib/libvulkan.so.1" ]; then
  export LD_LIBRARY_PATH=$APP/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
  say "no system Vulkan loader: using the kit's libvulkan.so.1"
fi
# NVIDIA's Vulkan driver lives in libGLX_nvidia.so.0; a container given the driver without the
# 'graphics' capability may have the library but not its ICD file: write one then.
if ! ls /usr/share/vulkan/icd.d/nvidia* /etc/vulkan/icd.d/nvidia* > /dev/null 2>&1; then
  glx=$(ldconfig -p 2>/dev/null | awk '/libGLX_nvidia\.so\.0 .*x86-64/ { print $NF; exit }')
  if [ -n "$glx" ]; then
    printf '{"file_format_version":"1.0.1","ICD":{"library_path":"%s","api_version":"1.3.0"}}\n' "$glx" > "$OUT/nvidia_icd.json"
    export VK_ICD_FILENAMES=$OUT/nvidia_icd.json VK_DRIVER_FILES=$OUT/nvidia_icd.json
    say "no NVIDIA Vulkan ICD file: wrote $OUT/nvidia_icd.json for $glx"
  fi
fi

# What Dawn sees: the high-performance adapter (the one the webgpu backend takes).
cd "$APP" || fail "cannot enter $APP"
timeout 60 "$NODE" --input-type=module -e "
import { create } from 'webgpu';
const gpu = create([]);
const a = await gpu.requestAdapter({ powerPreference: 'high-performance' });
console.log(JSON.stringify(a ? { ...Object.fromEntries(['vendor', 'architecture', 'device', 'description'].map((k) => [k, a.info?.[k]])), fallback: a.info?.isFallbackAdapter ?? a.isFallbackAdapter, maxBufferSize: a.limits.maxBufferSize } : { adapter: null }));
process.exit(0);" > "$OUT/adapter.json" 2> "$OUT/logs/adapter.err"
say "Dawn's adapter: $(cat "$OUT/adapter.json" 2>/dev/null) $(grep -v 'artificially reduced' "$OUT/logs/adapter.err" | tail -1)"
# A hardware GPU: a non-fallback adapter whose name is not a CPU renderer's.
HW_GPU=no
if grep -q '"vendor"' "$OUT/adapter.json" 2>/dev/null && ! grep -q '"fallback":true' "$OUT/adapter.json" \
  && ! grep -qiE 'llvmpipe|lavapipe|swiftshader|software|basic render' "$OUT/adapter.json"; then HW_GPU=yes; fi
if [ "$HW_GPU" = no ]; then
  say "NO HARDWARE GPU: Dawn's adapter is $(grep -qi vendor "$OUT/adapter.json" 2>/dev/null && echo 'a software renderer' || echo 'missing'); nothing measured here is a GPU figure"
fi
if [ "$QUICK" = auto ]; then
  QUICK=$([ "$HW_GPU" = yes ] && echo 0 || echo 1)
  [ "$QUICK" = 1 ] && say "quick mode (no hardware GPU; GPU_CHECK_QUICK=0 forces the full benches)"
fi

# ---- 2. conformance on webgpu ----
# Quick mode stops the worker early: the cases it printed by then are judged.
CT=$(n 150 40)
budget=$(left); [ "$CT" -gt "$budget" ] && CT=$budget
say "conformance: worker.js webgpu (timeout ${CT}s)"
t0=$(date +%s)
timeout -k 5 "$CT" "$NODE" out/conformance/worker.js webgpu > "$OUT/conformance-webgpu.jsonl" 2> "$OUT/logs/conformance.err" < /dev/null
crc=$?
timeout 60 "$NODE" -e '
const fs = require("fs");
const [file, tol, rc, secs, quick] = process.argv.slice(1);
const lines = fs.readFileSync(file, "utf8").split("\n").filter((l) => l.startsWith("{")).map((l) => JSON.parse(l));
const bad = [], backends = new Set();
let worst = 0;
for (const r of lines) {
  backends.add(r.backend);
  if (r.error) { bad.push(`${r.name}: ${r.error}`); continue; }
  const w = Math.max(...r.errors);
  worst = Math.max(worst, w);
  if (!(w <= Number(tol))) bad.push(`${r.name}: relative error ${w.toExponential(2)}`);
}
const killed = rc === "124" || rc === "137";
let status = bad.length || !lines.length ? "failed" : [...backends].join() !== "webgpu" ? "fallback" : rc === "0" ? "ok" : killed && quick === "1" ? "partial" : killed ? "timeout" : "failed";
const result = { cases: lines.length, passed: lines.length - bad.length, worst, tolerance: Number(tol), backends: [...backends], failures: bad.slice(0, 20) };
const note = status === "partial" ? "quick mode: the worker was stopped after " + secs + " s" : status === "timeout" ? "killed after " + secs + " s" : status === "failed" && !lines.length ? "exit " + rc : "";
console.log(JSON.stringify({ id: "conformance-webgpu", group: "conformance", status, seconds: Number(secs), cmd: "node out/conformance/worker.js webgpu", result, note }));
' "$OUT/conformance-webgpu.jsonl" "$TOL" "$crc" "$(( $(date +%s) - t0 ))" "$QUICK" >> "$STEPS"
say "conformance: $(tail -1 "$STEPS")"

# ---- 3 + 4. speed: ours and PyTorch's, most wanted first (later ones give way when time runs short) ----
PY=""
for p in ${PYTHON:-} python3 /usr/bin/python3; do
  if command -v "$p" > /dev/null && "$p" -c 'import torch' > /dev/null 2>&1; then PY=$p; break; fi
done
CUDA=no
if [ -n "$PY" ]; then
  tinfo=$(timeout 120 "$PY" -c 'import torch; print(torch.__version__, torch.cuda.is_available(), torch.cuda.get_device_name(0) if torch.cuda.is_available() else "")' 2>&1 | tail -1)
  say "torch ($PY): $tinfo"
  case "$tinfo" in *" True "*|*" True") CUDA=yes ;; esac
else
  tinfo=$( (python3 -c 'import torch' 2>&1 || echo "no python3") | tail -1)
  say "no python with torch ($tinfo): the PyTorch steps are recorded as skipped"
fi
[ -f "$BENCH_DIR/dcgan_torch.py" ] || say "no $BENCH_DIR/dcgan_torch.py: the PyTorch steps are recorded as skipped"

gan() { # id group timeout backend -- args
  local id=$1 group=$2 to=$3 backend=$4; shift 5
  step "$id" "$group" "$to" "$backend" -- "$NODE" dist/cli.js bench "$@"
}
torch() { # id group timeout script args...
  local id=$1 group=$2 to=$3 script=$4; shift 4
  if [ -z "$PY" ]; then record "$id" "$group" skipped 0 "$script $*" null "torch not importable: $tinfo"; return; fi
  if [ ! -f "$BENCH_DIR/$script" ]; then record "$id" "$group" skipped 0 "$script $*" null "no $BENCH_DIR/$script"; return; fi
  case " $* " in *" cuda "*) [ "$CUDA" = yes ] || { record "$id" "$group" skipped 0 "$script $*" null "torch has no CUDA device: $tinfo"; return; } ;; esac
  step "$id" "$group" "$to" "" -- "$PY" "$BENCH_DIR/$script" "$@"
}

# Quick mode: DCGAN batch 8 on webgpu and 64x64 translation, so that a software renderer finishes too.
gan   dcgan-webgpu       dcgan 90 webgpu -- --model dcgan --batch "$(n 64 8)" --steps "$(n 20 1)" --backend webgpu
gan   dcgan-native-$T    dcgan 60 native -- --model dcgan --batch 64 --steps "$(n 10 1)" --backend native --threads "$T"
torch dcgan-torch-cuda   dcgan 60 dcgan_torch.py --batch 64 --steps "$(n 100 1)" --device cuda
torch dcgan-torch-cpu-$T dcgan 45 dcgan_torch.py --batch 64 --steps "$(n 10 1)" --threads "$T" --device cpu
gan   dcgan-native-1     dcgan 60 native -- --model dcgan --batch 64 --steps "$(n 5 1)" --backend native --threads 1
torch dcgan-torch-cpu-1  dcgan 45 dcgan_torch.py --batch 64 --steps "$(n 5 1)" --threads 1 --device cpu
S=$(n 256 64)
for m in pix2pix cyclegan; do
  big=$([ $m = cyclegan ] && echo 1 || echo 0)
  gan   $m-webgpu       $m $(( 90 + 30 * big )) webgpu -- --model $m --size "$S" --batch 1 --steps "$(n 10 1)" --backend webgpu
  torch $m-torch-cuda   $m 60 translation_torch.py $m --size "$S" --batch 1 --steps "$(n 50 1)" --device cuda
  gan   $m-native-$T    $m $(( 60 + 30 * big )) native -- --model $m --size "$S" --batch 1 --steps "$(n 5 1)" --backend native --threads "$T"
  torch $m-torch-cpu-$T $m $(( 45 + 15 * big )) translation_torch.py $m --size "$S" --batch 1 --steps "$(n 5 1)" --threads "$T" --device cpu
done

# ---- the summary ----
timeout 60 "$NODE" - "$STEPS" "$OUT/summary.md" "$T" "$QUICK" "${gpu:-}" "$(cat "$OUT/adapter.json" 2>/dev/null)" "$(cat "$APP/kit.json" 2>/dev/null)" "$tinfo" "$(( $(date +%s) - START ))" "$S" "$HW_GPU" << 'EOF'
const fs = require('fs');
const [stepsFile, md, T, quick, gpu, adapter, kit, torchInfo, total, size, hwGpu] = process.argv.slice(2);
const steps = fs.readFileSync(stepsFile, 'utf8').split('\n').filter(Boolean).map((l) => {
  try {
    return JSON.parse(l);
  } catch {
    return { id: l.slice(0, 60), status: 'unreadable line in steps.jsonl', seconds: 0 };
  }
});
const by = Object.fromEntries(steps.map((s) => [s.id, s]));
const by_ = (id) => by[id]?.result ?? {};
const ms = (id) => (by[id]?.status === 'ok' ? by[id].result?.msPerStep : undefined);
const fmt = (v) => (v === undefined ? '–' : v >= 100 ? v.toFixed(0) : v.toPrecision(3));
// A ratio of two steps, only where both ran the same batch (quick mode runs webgpu on a smaller one).
const ratio = (x, y) => {
  const a = ms(x), b = ms(y);
  if (a === undefined || b === undefined) return '–';
  const [bx, by] = [by_(x).batch, by_(y).batch];
  return bx !== undefined && by !== undefined && bx !== by ? `(batch ${bx} vs ${by})` : (a / b).toFixed(2);
};
const L = [];
L.push(`# GAN Studio GPU check, ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC${quick === '1' ? ' (QUICK mode: 1 step each, not a measurement)' : ''}`, '');
if (hwGpu !== 'yes')
  L.push('**No hardware GPU here**: Dawn\'s adapter is a software renderer or missing, so the webgpu rows are not GPU figures.', '');
L.push(`- GPU (nvidia-smi): ${gpu || 'none'}`);
L.push(`- Dawn's adapter: ${adapter || 'none'}`);
L.push(`- kit: ${kit || 'none (this tree)'}`);
L.push(`- torch: ${torchInfo || 'none'}`);
L.push(`- whole check: ${total} s`, '');
const conf = by['conformance-webgpu'];
if (conf) {
  const r = conf.result ?? {};
  L.push(`## Conformance on webgpu: ${conf.status}`, '');
  L.push(`${r.passed ?? 0} of ${r.cases ?? 0} cases within ${r.tolerance} of the cpu backend (largest relative error ${r.worst ? r.worst.toExponential(2) : '–'}; ran on ${(r.backends ?? []).join(', ') || '–'})${conf.note ? `; ${conf.note}` : ''}`);
  for (const f of r.failures ?? []) L.push(`- ${f}`);
  L.push('');
}
L.push('## Steps', '', '| step | status | ms/step | wall s | note |', '| --- | --- | ---: | ---: | --- |');
for (const s of steps.filter((s) => s.group !== 'conformance')) {
  L.push(`| ${s.id} | ${s.status} | ${fmt(s.result?.msPerStep)} | ${s.seconds} | ${(s.note || '').replace(/\|/g, '/').slice(0, 200)} |`);
}
L.push('', `## Ratios: time per step, first / second (below 1: the first is faster)`, '');
L.push(`| model | webgpu / native ${T} threads | webgpu / torch cuda | native ${T} / torch cpu ${T} | native 1 / torch cpu 1 |`, '| --- | ---: | ---: | ---: | ---: |');
for (const m of ['dcgan', 'pix2pix', 'cyclegan']) {
  const [w, n, tc, tp] = [`${m}-webgpu`, `${m}-native-${T}`, `${m}-torch-cuda`, `${m}-torch-cpu-${T}`];
  L.push(`| ${m}${m === 'dcgan' ? ' b64' : ` ${size} b1`} | ${ratio(w, n)} | ${ratio(w, tc)} | ${ratio(n, tp)} | ${m === 'dcgan' ? ratio('dcgan-native-1', 'dcgan-torch-cpu-1') : '–'} |`);
}
L.push('', 'Raw: steps.jsonl (every tool\'s JSON line in "result"), conformance-webgpu.jsonl, logs/.', '');
fs.writeFileSync(md, L.join('\n'));
process.stdout.write(L.join('\n'));
EOF
say "done in $(( $(date +%s) - START ))s: $OUT/summary.md"
