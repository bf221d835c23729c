// gan upscale <in> <out> [--scale N] [--model fidelity|sharp|<file.pth|.safetensors>|<imported>|<checkpoint-dir>] [--ensemble] [--tile N] [--backend B] [--threads N]
// Progress goes to stderr as percent; the result line to stdout.
import * as path from 'node:path';
import { DEFAULT_BACKEND } from '../../shared/backends';
import { initBackend } from '../engine/backend';
import { isShipped, loadSrRunner } from '../infer/srModels';
import { selfEnsemble } from '../infer/selfEnsemble';
import { AbortError } from '../infer/upscale';
import { readInput, upscaleFile } from '../infer/upscaleFile';
import { BACKEND_CHOICES, backendOption, err, heldBackendNotes, intOption, out, parse, UsageError } from './common';

export const UPSCALE_USAGE = `gan upscale <in> <out> [--scale 2|4] [--model fidelity|sharp|<model.pth|model.safetensors>|<imported name or folder>|<checkpoint-dir>] [--ensemble] [--tile N] [--backend ${BACKEND_CHOICES}] [--threads N]`;

/** Percent on one self-overwriting line on a terminal, every 10% otherwise. */
export function progressPrinter(label: string): (done: number, total: number) => void {
  let last = -1;
  const tty = process.stderr.isTTY;
  return (done, total) => {
    const pct = Math.floor((100 * done) / Math.max(1, total));
    if (tty) {
      if (pct !== last) process.stderr.write(`\r${label} ${pct}%${done === total ? '\n' : ''}`);
    } else if (Math.floor(pct / 10) !== Math.floor(last / 10) || (done === total && pct !== last)) {
      err(`${label} ${pct}%`);
    }
    last = pct;
  };
}

export async function upscaleCommand(args: string[]): Promise<number> {
  const { values: v, positionals } = parse(
    'upscale',
    args,
    {
      scale: { type: 'string' },
      model: { type: 'string' },
      ensemble: { type: 'boolean' },
      tile: { type: 'string' },
      backend: { type: 'string' },
      threads: { type: 'string' },
    },
    ['in', 'out'],
  );
  if (positionals.length < 2) throw new UsageError(`need an input and an output file (usage: ${UPSCALE_USAGE})`);
  const [input, output] = positionals;
  // 2 or 4 for our models; an imported model has its own (x1..x8) and --scale only checks it.
  const scale = intOption('upscale', 'scale', v.scale, 1, 8);
  // Unset: the model's own preference, else DEFAULT_TILE (upscale.ts).
  const tile = intOption('upscale', 'tile', v.tile, 0, 4096);
  if (tile !== undefined && tile > 0 && tile < 16)
    throw new UsageError(`--tile must be 0 (no tiling) or at least 16 (got ${tile})`);
  const threads = intOption('upscale', 'threads', v.threads, 1, 1024);
  const backend = backendOption('upscale', v.backend);
  // Bad files are refused before the backend and model load (fast, and nothing is written).
  const pre = readInput(input, output);
  const notes = heldBackendNotes();
  await initBackend(backend ?? DEFAULT_BACKEND, { threads, warn: notes.warn, info: notes.info });
  const spec = v.model ?? 'default';
  const loaded = await loadSrRunner(spec, scale ?? (isShipped(spec) ? 4 : undefined));
  // --ensemble: each tile in 8 orientations, averaged (more exact, 8x the time).
  const model = v.ensemble ? selfEnsemble(loaded) : loaded;
  // Ctrl-C / SIGTERM: stop after the current tile; upscaleFile then removes its temporary file.
  let stop = false;
  const onSignal = () => {
    stop = true;
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const r = await upscaleFile(
      input,
      output,
      model,
      {
        ...(tile !== undefined ? { tile } : {}),
        onProgress: progressPrinter(`upscale ${path.basename(input)}`),
        cancelled: () => stop,
      },
      pre,
    );
    out(
      `wrote ${output} (${r.output.width}x${r.output.height}, x${model.scale}, model ${model.name}, ${r.seconds.toFixed(1)} s)`,
    );
  } catch (e) {
    if (e instanceof AbortError) {
      err(`gan: upscale cancelled, nothing written`);
      return 130;
    }
    throw e;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    model.dispose();
  }
  notes.flush();
  return 0;
}
