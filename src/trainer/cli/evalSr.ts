// gan eval-sr <folder of HR images> [--scale 2|4] [--model M]... [--ensemble] [--json] [--crop N] [--limit N] [--tile N] [--backend B] [--threads N]
// PSNR-Y / SSIM-Y of bicubic and of each model on the same images, one table (or JSON).
import * as fs from 'node:fs';
import { DEFAULT_BACKEND } from '../../shared/backends';
import { initBackend } from '../engine/backend';
import { evalSr, formatEvalTable } from '../infer/evalSr';
import { isShipped, loadSrRunner, UPSCALERJS, type SrRunner } from '../infer/srModels';
import { selfEnsemble } from '../infer/selfEnsemble';
import { BACKEND_CHOICES, backendOption, err, intOption, out, parse, UsageError } from './common';

export const EVAL_SR_USAGE = `gan eval-sr <folder> [--scale 2|4] [--model fidelity|sharp|esrgan-slim|esrgan-medium|<model.pth|model.safetensors>|<imported name or folder>|<checkpoint-dir>]... [--ensemble] [--json] [--crop N] [--limit N] [--tile N] [--backend ${BACKEND_CHOICES}]`;

export async function evalSrCommand(args: string[]): Promise<number> {
  const { values: v, positionals } = parse(
    'eval-sr',
    args,
    {
      scale: { type: 'string' },
      model: { type: 'string', multiple: true },
      ensemble: { type: 'boolean' },
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
  const given = v.scale === undefined ? undefined : Number(v.scale);
  if (given !== undefined && given !== 2 && given !== 4)
    throw new UsageError(`--scale must be 2 or 4 (got "${v.scale}")`);
  const crop = intOption('eval-sr', 'crop', v.crop, 0, 100000);
  const limit = intOption('eval-sr', 'limit', v.limit, 1);
  const tile = intOption('eval-sr', 'tile', v.tile, 0, 4096);
  const threads = intOption('eval-sr', 'threads', v.threads, 1, 1024);
  await initBackend(backendOption('eval-sr', v.backend) ?? DEFAULT_BACKEND, { threads, warn: err, info: err });
  const runners: SrRunner[] = [];
  try {
    const scale = await loadRunners(v.model ?? ['default'], given, runners);
    // Side by side in one run: each model as it is, then as a self-ensemble of the same weights.
    const scored = v.ensemble ? [...runners, ...runners.map(selfEnsemble)] : runners;
    const r = await evalSr(folder, scale, scored, {
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

/**
 * Loads the models in order into `into` and returns the scale they share: --scale, else that of
 * the first model with a scale of its own (a checkpoint, an imported model), else 4.
 */
async function loadRunners(specs: string[], given: number | undefined, into: SrRunner[]): Promise<number> {
  let scale = given;
  if (scale === undefined) {
    for (const m of specs.filter((m) => !isShipped(m) && !(UPSCALERJS as readonly string[]).includes(m))) {
      const r = await loadSrRunner(m);
      r.dispose();
      scale = r.scale;
      break;
    }
  }
  for (const m of specs) into.push(await loadSrRunner(m, scale ?? 4));
  return scale ?? 4;
}
