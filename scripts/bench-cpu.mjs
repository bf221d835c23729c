// Side-by-side CPU speed (and peak memory) of training steps: `gan bench` (our engine) against
// the PyTorch references in ../shared/bench, in ONE run on this machine, alternating
// PyTorch, ours, PyTorch, ours... so drift hits both. Cases: DCGAN batch 64 (dcgan_torch.py),
// pix2pix 256 batch 1 and CycleGAN 256 batch 1 (translation_torch.py), each at 1 thread (both
// pinned to core 0) and at all cores. Prints the medians and ratios ours/PyTorch as a table,
// then one JSON line per case. Without PyTorch it says so once and prints our side (ratio n/a).
//   npm run bench:cpu [-- --quick] [--repeats 3] [--steps N] [--models dcgan,pix2pix,cyclegan]
//                     [--threads 1,all] [--backends native] [--torch-dir ../shared/bench]
//                     [--size N] [--python /path/to/python3]
// --size: the image size of pix2pix and CycleGAN on both sides (default 256, the papers').
// --python: the interpreter with torch; by default the first of `python3` (PATH) and
//   /usr/bin/python3 (Debian's python3-torch) that can `import torch`.
// --quick: 1 repeat of 1 step (checks that everything runs; the times are not worth quoting).
// Peak RSS: ours from `gan bench` (rssMB), PyTorch's from GNU time when /usr/bin/time exists.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';

const CASES = {
  dcgan: { size: 28, batch: 64, steps: 5, torch: ['dcgan_torch.py'], ours: ['--model', 'dcgan'] },
  pix2pix: {
    size: 256,
    batch: 1,
    steps: 3,
    torch: ['translation_torch.py', 'pix2pix', '--size', '256'],
    ours: ['--model', 'pix2pix', '--size', '256'],
  },
  cyclegan: {
    size: 256,
    batch: 1,
    steps: 3,
    torch: ['translation_torch.py', 'cyclegan', '--size', '256'],
    ours: ['--model', 'cyclegan', '--size', '256'],
  },
};

const { values: o } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    repeats: { type: 'string' },
    steps: { type: 'string' },
    models: { type: 'string', default: Object.keys(CASES).join(',') },
    threads: { type: 'string', default: '1,all' },
    backends: { type: 'string', default: 'native' },
    'torch-dir': { type: 'string', default: '../shared/bench' },
    size: { type: 'string' },
    python: { type: 'string' },
  },
});
const fail = (msg) => {
  console.error(`bench:cpu: ${msg}`);
  process.exit(2);
};
const positive = (name, v) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) fail(`--${name} must be an integer >= 1 (got "${v}")`);
  return n;
};
const repeats = o.repeats !== undefined ? positive('repeats', o.repeats) : o.quick ? 1 : 3;
const stepsOverride = o.steps !== undefined ? positive('steps', o.steps) : o.quick ? 1 : undefined;
const models = o.models.split(',').filter(Boolean);
if (o.size !== undefined) {
  const size = positive('size', o.size);
  for (const c of [CASES.pix2pix, CASES.cyclegan]) {
    c.size = size;
    c.torch[c.torch.indexOf('--size') + 1] = String(size);
    c.ours[c.ours.indexOf('--size') + 1] = String(size);
  }
}
for (const m of models) if (!CASES[m]) fail(`unknown model "${m}" (models: ${Object.keys(CASES).join(', ')})`);
const cores = Math.max(1, os.availableParallelism?.() ?? os.cpus().length);
const threadCounts = [...new Set(o.threads.split(',').map((t) => (t === 'all' ? cores : positive('threads', t))))];
const backends = o.backends.split(',').filter(Boolean);
if (!existsSync('dist/cli.js')) fail('dist/cli.js not found: run `npm run build` first (npm run bench:cpu does)');

const gnuTime = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;
const taskset = existsSync('/usr/bin/taskset') ? '/usr/bin/taskset' : undefined;

// Which python has torch? --python, else python3 on PATH, else Debian's /usr/bin/python3 (where
// `apt-get install python3-torch` puts it; a pyenv python3 on PATH does not see it). Asked once;
// without torch our side still runs.
const candidates = o.python ? [o.python] : ['python3', '/usr/bin/python3'];
const tried = [];
let python;
let torchVersion;
for (const py of candidates) {
  const probe = spawnSync(py, ['-c', 'import torch; print(torch.__version__)'], { encoding: 'utf8' });
  if (probe.status === 0) {
    python = py;
    torchVersion = probe.stdout.trim();
    break;
  }
  tried.push(`${py}: ${(probe.stderr || probe.error?.message || `exit ${probe.status}`).trim().split('\n').pop()}`);
}
const missingScripts = models.map((m) => path.join(o['torch-dir'], CASES[m].torch[0])).filter((f) => !existsSync(f));
let torchNote;
if (!torchVersion)
  torchNote = `PyTorch not found (tried ${tried.join('; ')}; apt-get install python3-torch libopenblas0-pthread, or --python): our side only, ratio n/a`;
else if (missingScripts.length)
  torchNote = `PyTorch reference missing: ${[...new Set(missingScripts)].join(', ')}: our side only for it, ratio n/a`;
if (torchNote) console.error(`bench:cpu: ${torchNote}`);

/** Runs one benchmark; its last JSON line plus the peak RSS GNU time saw (MB), or { error }. */
function runJson(cmd, args, threads) {
  const pinned = threads === 1 && taskset ? [taskset, '-c', '0'] : [];
  const timed = gnuTime ? [gnuTime, '-f', 'maxrss-kb=%M'] : [];
  const [exe, ...rest] = [...timed, ...pinned, cmd, ...args];
  const env = {
    ...process.env,
    OMP_NUM_THREADS: String(threads),
    OPENBLAS_NUM_THREADS: String(threads),
    MKL_NUM_THREADS: String(threads),
  };
  const r = spawnSync(exe, rest, { encoding: 'utf8', env, maxBuffer: 64 << 20 });
  const line = (r.stdout ?? '')
    .trim()
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .pop();
  // GNU time's own lines (the RSS, "Command exited with non-zero status N") are not the error.
  const stderr = (r.stderr ?? '')
    .split('\n')
    .filter((l) => l && !l.startsWith('maxrss-kb=') && !/^Command (exited|terminated)/.test(l));
  if (r.status !== 0 || !line)
    return {
      error: `${path.basename(cmd)} ${args.join(' ')}: ${stderr.pop() ?? r.error?.message ?? `exit ${r.status}`}`,
    };
  const kb = Number(/maxrss-kb=(\d+)/.exec(r.stderr ?? '')?.[1]);
  return { ...JSON.parse(line), timeRssMB: Number.isFinite(kb) ? Math.round(kb / 1024) : undefined };
}

const median = (xs) => {
  const v = xs.filter((x) => typeof x === 'number').sort((a, b) => a - b);
  if (!v.length) return null;
  const m = Math.floor(v.length / 2);
  return v.length % 2 ? v[m] : Math.round(((v[m - 1] + v[m]) / 2) * 10) / 10;
};

const date = new Date().toISOString().slice(0, 10);
const cpu = (
  spawnSync('sh', ['-c', "grep -m1 'model name' /proc/cpuinfo | cut -d: -f2"], { encoding: 'utf8' }).stdout ||
  os.cpus()[0]?.model ||
  ''
).trim();
const load = os.loadavg()[0].toFixed(1);
console.error(
  `bench:cpu ${date}: ${cpu}, ${cores} cores, load ${load}; torch ${torchVersion ?? 'none'}${python ? ` (${python})` : ''}; ${repeats} repeat(s); models ${models.join(', ')}; threads ${threadCounts.join(', ')}; backends ${backends.join(', ')}`,
);

const results = [];
let oursFailed = false;
for (const model of models) {
  const c = CASES[model];
  const steps = stepsOverride ?? c.steps;
  for (const threads of threadCounts) {
    const torchScript = path.join(o['torch-dir'], c.torch[0]);
    const withTorch = !!torchVersion && existsSync(torchScript);
    const loadStart = os.loadavg()[0].toFixed(1);
    const runs = { pytorch: [], ...Object.fromEntries(backends.map((b) => [b, []])) };
    for (let r = 0; r < repeats; r++) {
      const said = [];
      if (withTorch) {
        const t = runJson(
          python,
          [
            torchScript,
            ...c.torch.slice(1),
            '--batch',
            String(c.batch),
            '--steps',
            String(steps),
            '--threads',
            String(threads),
          ],
          threads,
        );
        if (t.error) console.error(`  PyTorch failed: ${t.error}`);
        runs.pytorch.push(t);
        said.push(`pytorch ${t.msPerStep ?? 'failed'} ms`);
      }
      for (const b of backends) {
        const u = runJson(
          process.execPath,
          [
            'dist/cli.js',
            'bench',
            ...c.ours,
            '--batch',
            String(c.batch),
            '--steps',
            String(steps),
            '--threads',
            String(threads),
            '--backend',
            b,
          ],
          threads,
        );
        if (u.error) {
          console.error(`  ours failed: ${u.error}`);
          oursFailed = true;
        }
        runs[b].push(u);
        said.push(`${b} ${u.msPerStep ?? 'failed'} ms`);
      }
      console.error(
        `${model} ${c.size}px b${c.batch} ${threads} thread(s), repeat ${r + 1}/${repeats}: ${said.join(', ')} (load ${os.loadavg()[0].toFixed(1)})`,
      );
    }
    const torchMs = withTorch ? median(runs.pytorch.map((x) => x.msPerStep)) : null;
    const torchRss = withTorch ? median(runs.pytorch.map((x) => x.timeRssMB)) : null;
    const caseLoad = `${loadStart}-${os.loadavg()[0].toFixed(1)}`; // 1-minute load average at the case's start and end
    for (const b of backends) {
      const ms = median(runs[b].map((x) => x.msPerStep));
      const rss = median(runs[b].map((x) => x.rssMB ?? x.timeRssMB));
      results.push({
        date,
        model,
        size: c.size,
        batch: c.batch,
        threads,
        backend: runs[b].find((x) => x.backend)?.backend ?? b,
        steps,
        repeats,
        oursMsPerStep: ms,
        pytorchMsPerStep: torchMs,
        ratio: ms !== null && torchMs ? +(ms / torchMs).toFixed(2) : 'n/a',
        oursRssMB: rss,
        pytorchRssMB: torchRss,
        rssRatio: rss !== null && torchRss ? +(rss / torchRss).toFixed(2) : 'n/a',
        torch: withTorch ? torchVersion : null,
        cpu,
        load: caseLoad,
        ...(runs[b].some((x) => x.error) ? { oursError: runs[b].find((x) => x.error).error } : {}),
        ...(runs.pytorch.some((x) => x.error) ? { pytorchError: runs.pytorch.find((x) => x.error).error } : {}),
      });
    }
  }
}

const cell = (v) => (v === null || v === undefined ? 'n/a' : String(v));
const head = [
  'model',
  'size',
  'batch',
  'threads',
  'backend',
  'ours ms/step',
  'PyTorch ms/step',
  'ratio',
  'ours RSS MB',
  'PyTorch RSS MB',
  'RSS ratio',
  'load',
];
const rows = results.map((x) =>
  [
    x.model,
    x.size,
    x.batch,
    x.threads,
    x.backend,
    x.oursMsPerStep,
    x.pytorchMsPerStep,
    x.ratio,
    x.oursRssMB,
    x.pytorchRssMB,
    x.rssRatio,
    x.load,
  ].map(cell),
);
console.log(`| ${head.join(' | ')} |`);
console.log(`|${head.map(() => '---').join('|')}|`);
for (const r of rows) console.log(`| ${r.join(' | ')} |`);
if (torchNote) console.log(`(${torchNote})`);
for (const x of results)
  if (x.oursError) console.log(`(${x.model} ${x.threads} thread(s) ${x.backend}: ${x.oursError})`);
for (const x of results) console.log(JSON.stringify(x));
process.exit(oursFailed ? 1 : 0);
