// gan sample <checkpoint-dir> --out <dir> [--count N] [--label L|name] [--seed S] [--stats] [--backend B]
// Draws N images from a checkpoint's generator into --out as PNGs. --label is a class number
// or, when the checkpoint has class names (a folder's subfolders), a class name. --stats also
// prints their quality scores (swd: lower is better) against the run's training data.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DEFAULT_BACKEND } from '../../shared/backends';
import { initBackend } from '../engine/backend';
import { writeFileAtomic } from '../engine/files';
import { imagePng } from '../engine/imageGrid';
import { loadModel } from '../engine/modelIO';
import { Rng, unseededRandom } from '../engine/rng';
import { getFamily } from '../models';
import { requireCheckpoint } from '../train/checkpoint';
import { drawingNetwork } from '../train/weightAverage';
import { disposeInput, generateBatch } from '../train/samples';
import { BACKEND_CHOICES, backendOption, err, intOption, out, parse, UsageError } from './common';
import { sampleStats } from './sampleStats';

export const SAMPLE_USAGE = `gan sample <checkpoint-dir> --out <dir> [--count N] [--label L|name] [--seed S] [--stats] [--backend ${BACKEND_CHOICES}]`;

export async function sampleCommand(args: string[]): Promise<number> {
  const { values: v, positionals } = parse(
    'sample',
    args,
    {
      out: { type: 'string' },
      count: { type: 'string' },
      label: { type: 'string' },
      seed: { type: 'string' },
      backend: { type: 'string' },
      stats: { type: 'boolean' },
    },
    ['checkpoint-dir'],
  );
  if (!positionals[0]) throw new UsageError(`missing the checkpoint folder (usage: ${SAMPLE_USAGE})`);
  if (!v.out) throw new UsageError(`missing --out <dir> (usage: ${SAMPLE_USAGE})`);
  // --stats: as many samples as a run's grid by default (fewer make a noisier score).
  const count = intOption('sample', 'count', v.count, 1, 10000) ?? (v.stats ? 64 : 16);
  const seed = intOption('sample', 'seed', v.seed, 0, 0xffffffff) ?? Math.floor(unseededRandom() * 0xffffffff);
  const backend = backendOption('sample', v.backend);

  // A run folder stands for its newest good checkpoint; a damaged one falls back (with a warning).
  const arg = path.resolve(positionals[0]);
  if (!fs.existsSync(arg)) throw new UsageError(`checkpoint folder not found: ${arg}`);
  const { dir, state } = requireCheckpoint(arg, 'not a checkpoint folder', 'state.json and generator/model.json');
  const family = getFamily(state.model);
  if (family.info.translate)
    throw new UsageError(
      `a ${state.model} checkpoint translates images rather than drawing them: use gan translate <in> <out> --checkpoint ${positionals[0]}`,
    );
  if (v.label !== undefined && !family.info.conditional)
    throw new UsageError(`--label needs a conditional model (cgan); this checkpoint is "${state.model}"`);
  const label = labelOption(v.label, state.spec.numClasses, state.spec.classNames);

  const used = await initBackend(backend ?? DEFAULT_BACKEND, { warn: err, info: err });
  // The generator's weight average draws the samples when the run kept one (params.emaDecay).
  const net = drawingNetwork('generator', state.networks);
  const nets = { [net]: await loadModel(path.join(dir, net)) };
  const input = family.sampleInputs(state.spec, new Rng(seed, 3), { count, label });
  const images = await generateBatch(family, nets, input, state.spec);
  disposeInput(input);
  nets[net].dispose();

  fs.mkdirSync(path.resolve(v.out), { recursive: true });
  const perRow = Math.max(1, Math.ceil(count / Math.max(1, state.spec.numClasses)));
  const asked = family.info.conditional
    ? Array.from({ length: images.n }, (_, i) => label ?? Math.min(state.spec.numClasses - 1, Math.floor(i / perRow)))
    : undefined;
  for (let i = 0; i < images.n; i++) {
    const cls = asked?.[i];
    const name = `sample-${String(i + 1).padStart(4, '0')}${cls !== undefined ? `-label-${cls}${classTag(state.spec.classNames?.[cls], cls)}` : ''}.png`;
    writeFileAtomic(path.join(path.resolve(v.out), name), imagePng(images, i));
  }
  out(
    `wrote ${images.n} samples of step ${state.step} (${state.model}, seed ${seed}, backend ${used}) to ${path.resolve(v.out)}`,
  );
  if (v.stats) out(await sampleStats(dir, state, family, images, asked));
  return 0;
}

/** --label as one of the checkpoint's class names (exact, then ignoring case; a name wins over a number), or a class number. */
function labelOption(v: string | undefined, numClasses: number, names: string[] | undefined): number | undefined {
  if (v === undefined || (/^\s*-?\d+\s*$/.test(v) && !names?.includes(v)))
    return intOption('sample', 'label', v, 0, Math.max(0, numClasses - 1));
  let k = names?.indexOf(v) ?? -1;
  if (k < 0) k = names?.findIndex((n) => n.toLowerCase() === v.toLowerCase()) ?? -1;
  if (k >= 0 && k < numClasses) return k;
  if (!names?.length)
    throw new UsageError(
      `--label must be a class number from 0 to ${Math.max(0, numClasses - 1)} (this checkpoint has no class names; got "${v}")`,
    );
  const shown = names
    .slice(0, 20)
    .map((n) => JSON.stringify(n))
    .join(', ');
  throw new UsageError(
    `--label "${v}" is not a class of this checkpoint: use ${shown}${names.length > 20 ? `, ... (${names.length} classes)` : ''} or a number from 0 to ${numClasses - 1}`,
  );
}

/** "-cats" for a file name (none when the name is the number): anything but letters, digits, '.', '_' and '-' as '_'. */
const classTag = (name: string | undefined, k: number) =>
  name && name !== String(k) ? `-${name.replace(/[^\p{L}\p{N}._-]+/gu, '_').slice(0, 40)}` : '';
