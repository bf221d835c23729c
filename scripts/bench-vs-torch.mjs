// Side-by-side speed of one DCGAN training step: `gan bench` (our engine) against the PyTorch
// reference in ../shared/bench/dcgan_torch.py, in ONE run on this machine, one thread each,
// both pinned to the same core, alternating A B A B so drift hits both. Prints the medians and
// the ratio ours/PyTorch for every backend asked for.
//   node scripts/bench-vs-torch.mjs [--backends native,wasm] [--batch 64] [--steps 5] [--rounds 3]
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';

const { values: o } = parseArgs({
  options: {
    backends: { type: 'string', default: 'native,wasm' },
    batch: { type: 'string', default: '64' },
    steps: { type: 'string', default: '5' },
    rounds: { type: 'string', default: '3' },
    torch: { type: 'string', default: '../shared/bench/dcgan_torch.py' },
  },
});
const python = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
const pin = existsSync('/usr/bin/taskset') ? ['taskset', '-c', '0'] : [];

function runJson(cmd, args) {
  const [exe, ...rest] = [...pin, cmd, ...args];
  const r = spawnSync(exe, rest, { encoding: 'utf8', env: { ...process.env, OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1' } });
  const line = r.stdout.trim().split('\n').filter((l) => l.startsWith('{')).pop();
  if (r.status !== 0 || !line) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr.trim().split('\n').pop()}`);
  return JSON.parse(line);
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const backends = o.backends.split(',');
const times = { pytorch: [], ...Object.fromEntries(backends.map((b) => [b, []])) };
let torchVersion = '';
for (let round = 0; round < Number(o.rounds); round++) {
  const t = runJson(python, [o.torch, '--batch', o.batch, '--steps', o.steps, '--threads', '1']);
  torchVersion = t.torch;
  times.pytorch.push(t.msPerStep);
  for (const b of backends) {
    const r = runJson(process.execPath, ['dist/cli.js', 'bench', '--model', 'dcgan', '--batch', o.batch, '--steps', o.steps, '--threads', '1', '--backend', b]);
    times[b].push(r.msPerStep);
  }
  process.stderr.write(`round ${round + 1}/${o.rounds}: ${Object.entries(times).map(([k, v]) => `${k} ${v.at(-1)} ms`).join(', ')}\n`);
}
const torchMs = median(times.pytorch);
const result = {
  date: new Date().toISOString().slice(0, 10),
  cpu: (spawnSync('sh', ['-c', "grep -m1 'model name' /proc/cpuinfo | cut -d: -f2"], { encoding: 'utf8' }).stdout || '').trim(),
  batch: Number(o.batch), threads: 1, torch: torchVersion,
  pytorchMsPerStep: torchMs,
  ours: Object.fromEntries(backends.map((b) => [b, { msPerStep: median(times[b]), ratio: +(median(times[b]) / torchMs).toFixed(2) }])),
};
console.log(JSON.stringify(result, null, 2));
