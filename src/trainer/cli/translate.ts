// gan translate <in> <out> --checkpoint <dir> [--direction AtoB|BtoA] [--mode resize|tile] [--seed S] [--backend B] [--threads N]
// Bad input (missing or corrupt image, wrong checkpoint, unknown option) exits 2 with one line
// and writes nothing; the output appears only when complete (temporary name, then renamed).
import * as path from 'node:path';
import { DEFAULT_BACKEND } from '../../shared/backends';
import type { Direction } from '../../shared/config';
import { initBackend } from '../engine/backend';
import { installAsMathRandom, Rng } from '../engine/rng';
import { loadTranslator, resolveTranslator, translateFile, type TranslateMode } from '../infer/translate';
import { readInput } from '../infer/upscaleFile';
import { BACKEND_CHOICES, backendOption, heldBackendNotes, intOption, out, parse, UsageError } from './common';
import { progressPrinter } from './upscale';

export const TRANSLATE_USAGE = `gan translate <in> <out> --checkpoint <dir> [--direction AtoB|BtoA] [--mode resize|tile] [--seed S] [--backend ${BACKEND_CHOICES}] [--threads N]`;

export async function translateCommand(args: string[]): Promise<number> {
  const { values: v, positionals } = parse(
    'translate',
    args,
    {
      checkpoint: { type: 'string' },
      direction: { type: 'string' },
      mode: { type: 'string' },
      seed: { type: 'string' },
      backend: { type: 'string' },
      threads: { type: 'string' },
    },
    ['in', 'out'],
  );
  if (positionals.length < 2) throw new UsageError(`need an input and an output file (usage: ${TRANSLATE_USAGE})`);
  if (!v.checkpoint)
    throw new UsageError(
      `missing --checkpoint <dir> (a pix2pix or cyclegan run or checkpoint folder; usage: ${TRANSLATE_USAGE})`,
    );
  if (v.direction !== undefined && v.direction !== 'AtoB' && v.direction !== 'BtoA')
    throw new UsageError(`--direction must be AtoB or BtoA (got "${v.direction}")`);
  if (v.mode !== undefined && v.mode !== 'resize' && v.mode !== 'tile')
    throw new UsageError(`--mode must be resize or tile (got "${v.mode}")`);
  const seed = intOption('translate', 'seed', v.seed, 0, 0xffffffff);
  const threads = intOption('translate', 'threads', v.threads, 1, 1024);
  const backend = backendOption('translate', v.backend);
  const [input, output] = positionals;
  // Everything that can be wrong with the input is found before the backend and model load.
  const ck = resolveTranslator(v.checkpoint, v.direction as Direction | undefined);
  const pre = readInput(input, output);
  const notes = heldBackendNotes();
  await initBackend(backend ?? DEFAULT_BACKEND, { threads, warn: notes.warn, info: notes.info });
  // pix2pix's dropout is its noise: --seed makes the output repeatable.
  const restore = seed !== undefined ? installAsMathRandom(new Rng(seed, 4)) : () => {};
  const t = await loadTranslator(ck, v.mode as TranslateMode | undefined);
  try {
    const r = await translateFile(
      input,
      output,
      t,
      { onProgress: progressPrinter(`translate ${path.basename(input)}`) },
      pre,
    );
    out(
      `wrote ${output} (${r.output.width}x${r.output.height}, ${ck.model} ${ck.direction}, step ${ck.state.step}, ${t.mode}, ${r.seconds.toFixed(1)} s)`,
    );
  } finally {
    t.dispose();
    restore();
  }
  notes.flush();
  return 0;
}
