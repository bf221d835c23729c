// npm run bench:sr -- [--folder DIR] [--scale 4] [--crop N] [--limit N] [--time-limit N]
// Our shipped SR model against UpscalerJS's esrgan-slim / esrgan-medium on held-out photos,
// in one run on this machine:
//  1. quality: `gan eval-sr` on the native backend (PSNR-Y / SSIM-Y vs bicubic, per image);
//  2. speed: seconds per input megapixel, ours on the default backend (native) vs esrgan-slim
//     on tfjs-wasm (how UpscalerJS runs without tfjs-node) and, for reference, on native too.
// Prints one table (and writes it as JSON with --json FILE).
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

const { values: o } = parseArgs({
  options: {
    folder: { type: 'string', default: 'recipes/sr/data/mate-nature' },
    scale: { type: 'string', default: '4' },
    crop: { type: 'string', default: '0' },
    limit: { type: 'string', default: '100' },
    'time-limit': { type: 'string', default: '3' },
    json: { type: 'string' },
    'no-build': { type: 'boolean' },
  },
});
if (!existsSync(o.folder)) {
  console.error(
    `bench:sr: ${o.folder} not found: run recipes/sr/eval-data.sh (held-out photos from Debian's mate-backgrounds)`,
  );
  process.exit(2);
}
if (!o['no-build']) spawnSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });

function evalSr(models, backend, extra = []) {
  const args = [
    'dist/cli.js',
    'eval-sr',
    o.folder,
    '--scale',
    o.scale,
    '--json',
    '--backend',
    backend,
    ...models.flatMap((m) => ['--model', m]),
    ...extra,
  ];
  const t0 = Date.now();
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.status !== 0) {
    console.error(r.stderr);
    process.exit(1);
  }
  console.error(`  (${((Date.now() - t0) / 1000).toFixed(0)} s: ${models.join(', ')} on ${backend})`);
  return JSON.parse(r.stdout);
}

const date = new Date().toISOString().slice(0, 10);
console.error(`bench:sr x${o.scale} on ${o.folder} (${date})`);
const quality = evalSr(['default', 'esrgan-slim', 'esrgan-medium'], 'native', ['--crop', o.crop, '--limit', o.limit]);
// Speed on the first images only (esrgan-slim on wasm is slow), full size.
const speedNative = evalSr(['default', 'esrgan-slim'], 'native', ['--limit', o['time-limit']]);
const speedWasm = evalSr(['esrgan-slim'], 'wasm', ['--limit', o['time-limit']]);

const q = quality.mean,
  fmt = (x, d = 2) => x.toFixed(d);
const rows = [
  ['bicubic', fmt(q.bicubic.psnr), fmt(q.bicubic.ssim, 4), '', '', ''],
  ...['default', 'esrgan-slim', 'esrgan-medium'].map((m) => [
    m === 'default' ? 'ours (default)' : m,
    fmt(q.models[m].psnr),
    fmt(q.models[m].ssim, 4),
    `${q.models[m].gainDb >= 0 ? '+' : ''}${fmt(q.models[m].gainDb)}`,
    m === 'esrgan-medium' ? '' : fmt(speedNative.mean.models[m].secondsPerMP, 1),
    m === 'esrgan-slim' ? fmt(speedWasm.mean.models[m].secondsPerMP, 1) : '',
  ]),
];
const head = ['model', 'PSNR-Y', 'SSIM-Y', 'gain dB', 's/MP native', 's/MP wasm'];
const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
const line = (c) =>
  c
    .map((x, i) => x.padEnd(w[i]))
    .join('  ')
    .trimEnd();
const ratio = speedNative.mean.models.default.secondsPerMP / speedWasm.mean.models['esrgan-slim'].secondsPerMP;
console.log(
  `x${o.scale}, ${quality.images.length} held-out photos from ${o.folder}${o.crop !== '0' ? ` (centre crops ${o.crop}px)` : ''}, ${date}; ${quality.protocol}`,
);
console.log(line(head));
for (const r of rows) console.log(line(r));
console.log(
  `time per input MP: ours (native) / esrgan-slim (wasm) = ${fmt(ratio)}; speed on the first ${speedWasm.images.length} photos, full size`,
);
if (o.json) writeFileSync(o.json, JSON.stringify({ date, quality, speedNative, speedWasm, ratio }, null, 2));
