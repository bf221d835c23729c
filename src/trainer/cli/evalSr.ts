// gan eval-sr <folder of HR images> [--scale 2|4] [--model M]... [--json] [--crop N] [--limit N] [--tile N] [--backend B] [--threads N]
// PSNR-Y / SSIM-Y of bicubic and of each model on the same images, one table (or JSON).
import * as fs from 'node:fs';
import { DEFAULT_BACKEND } from '../../shared/backends';
import { initBackend } from '../engine/backend';
import { evalSr, formatEvalTable } from '../infer/evalSr';
import { loadSrRunner, type SrRunner } from '../infer/srModels';
import { BACKEND_CHOICES, backendOption, err, intOption, out, parse, UsageError } from './common';

export const EVAL_SR_USAGE = `gan eval-sr <folder> [--scale 2|4] [--model default|default-sharp|esrgan-slim|esrgan-medium|<checkpoint-dir>]... [--json] [--crop N] [--limit N] [--tile N] [--backend ${BACKEND_CHOICES}]`;

export async function evalSrCommand(args: string[]): Promise<number> {
  const { values: v, positionals } = parse(
    'eval-sr',
    args,
    {
      scale: { type: 'string' },
      model: { type: 'string', multiple: true },
      json: { type: 'boolean' },
      crop: { type: 'string' },
      limit: { type: 'string' },
      tile: { type: 'string' },
      backend: { type: 'string' },
      threads: { type: 'string' },
    },
    ['folder'],
  );
  const folder = positionals[0];
  if (!folder) throw new UsageError(`missing the folder of high-resolution images (usage: ${EVAL_SR_USAGE})`);
  if (!fs.existsSync(folder) || !fs.statSync(folder).isDirectory()) throw new UsageError(`not a folder: ${folder}`);
  const scale = Number(v.scale ?? 4);
  if (scale !== 2 && scale !== 4) throw new UsageError(`--scale must be 2 or 4 (got "${v.scale}")`);
  const crop = intOption('eval-sr', 'crop', v.crop, 0, 100000);
  const limit = intOption('eval-sr', 'limit', v.limit, 1);
  const tile = intOption('eval-sr', 'tile', v.tile, 0, 4096);
  const threads = intOption('eval-sr', 'threads', v.threads, 1, 1024);
  await initBackend(backendOption('eval-sr', v.backend) ?? DEFAULT_BACKEND, { threads, warn: err, info: err });
  const runners: SrRunner[] = [];
  try {
    for (const m of v.model ?? ['default']) runners.push(await loadSrRunner(m, scale));
    const r = await evalSr(folder, scale, runners, {
      crop,
      limit,
      tile,
      onImage: v.json ? undefined : (im, i, n) => err(`eval-sr ${i + 1}/${n} ${im.file}`),
    });
    for (const s of r.skipped) err(`gan: ${s.file}: skipped (${s.reason})`);
    if (!r.images.length) throw new UsageError(`no readable PNG or JPEG images in ${folder}`);
    out(v.json ? JSON.stringify(r, null, 2) : formatEvalTable(r));
  } finally {
    for (const m of runners) m.dispose();
  }
  return 0;
}
