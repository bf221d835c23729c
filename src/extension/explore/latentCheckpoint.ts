// Which gan/dcgan/cgan checkpoint a folder is (a checkpoint folder or a run: its latest), what
// the explorer shows about it, and the names its saved PNGs get: <run>/explore/ with the
// seed(s), the interpolation step and the checkpoint's training step. Read on the host to set
// up the page; the inference child checks the checkpoint again before loading. Pure: unit-tested.
import * as path from 'node:path';
import type { ExploreGrid, ExploreInfo, ExplorePath } from '../../shared/exploreProtocol';
import { isObj, isStr } from '../../shared/guards';
import { familyInfo, labelsWhere } from '../../trainer/models/infos';
import { readJsonOrUndefined } from '../util/json';

export interface LatentCheckpoint {
  /** The checkpoint folder (a run's checkpoints/latest when a run was named). */
  dir: string;
  info: ExploreInfo;
  /** Where saved images go: <run>/explore, or <checkpoint>-explore beside a loose checkpoint. */
  outDir: string;
}

/** "GAN, DCGAN or cGAN": the families the explorer opens, for prompts and messages. */
export function latentFamilies(): string {
  return labelsWhere((f) => f.latent);
}

/** A checkpoint folder (state.json) or a run folder (checkpoints/latest), or why not. */
export function resolveLatentCheckpoint(folder: string): LatentCheckpoint | string {
  const dir = path.resolve(folder);
  const own = readJsonOrUndefined(path.join(dir, 'state.json'));
  const ck = isObj(own) ? dir : path.join(dir, 'checkpoints', 'latest');
  const state = isObj(own) ? own : readJsonOrUndefined(path.join(ck, 'state.json'));
  const config = readJsonOrUndefined(path.join(dir, 'config.json'));
  const model = isObj(state) ? state.model : isObj(config) ? config.model : undefined;
  if (model === undefined)
    return `${path.basename(dir)} is not a checkpoint or run folder (no state.json or config.json)`;
  const fam = familyInfo(model);
  if (!fam?.latent)
    return `${path.basename(dir)} is a "${String(model)}" model; exploring a latent space needs ${latentFamilies()}`;
  if (!isObj(state)) return `${path.basename(dir)} has no saved checkpoint yet`;
  const spec = isObj(state.spec) ? state.spec : {};
  const n =
    fam.conditional && typeof spec.numClasses === 'number'
      ? Math.min(100, Math.max(0, Math.floor(spec.numClasses)))
      : 0;
  const names = Array.isArray(spec.classNames) ? spec.classNames : [];
  const classes = Array.from({ length: n }, (_, k) => (isStr(names[k], 256) && names[k] ? names[k] : String(k)));
  const inRun = path.basename(path.dirname(ck)) === 'checkpoints';
  const runDir = inRun ? path.dirname(path.dirname(ck)) : undefined;
  const step = typeof state.step === 'number' && state.step >= 0 ? Math.floor(state.step) : 0;
  const title = `${runDir ? path.basename(runDir) : path.basename(ck)} · ${path.basename(ck)} (step ${step})`;
  return {
    dir: ck,
    info: { title, family: fam.label, step, classes },
    outDir: runDir ? path.join(runDir, 'explore') : path.join(path.dirname(ck), `${path.basename(ck)}-explore`),
  };
}

/** A class name as a file-name part: letters, digits, '.', '_' and '-' only. */
const safe = (s: string) => s.replace(/[^\p{L}\p{N}._-]+/gu, '_').slice(0, 40);
const classPart = (classes: string[], k: number | undefined) =>
  k === undefined || !classes.length
    ? ''
    : `-class-${k}${classes[k] && classes[k] !== String(k) ? `-${safe(classes[k])}` : ''}`;
const truncPart = (t: number) => (t === 1 ? '' : `-t${Number(t.toFixed(2))}`);

/** One image of a view: its seed (or path ends and position), class, truncation and training step. */
export function imageFileName(shown: ExploreGrid | ExplorePath, index: number, ck: LatentCheckpoint): string {
  const { step, classes } = ck.info;
  if (shown.type === 'grid') {
    const cols = shown.seeds.length;
    const label = shown.labels.length ? shown.labels[Math.floor(index / cols)] : undefined;
    return `seed-${shown.seeds[index % cols]}${classPart(classes, label)}${truncPart(shown.truncation)}-step-${step}.png`;
  }
  return `interp-${shown.from}-to-${shown.to}-${index + 1}of${shown.steps}${classPart(classes, shown.label)}${truncPart(shown.truncation)}-step-${step}.png`;
}

/** The whole view as one grid. */
export function gridFileName(shown: ExploreGrid | ExplorePath, ck: LatentCheckpoint): string {
  const { step, classes } = ck.info;
  if (shown.type === 'grid') {
    const s = shown.seeds;
    const seeds = s.length === 1 ? `seed-${s[0]}` : `seeds-${s[0]}-${s[s.length - 1]}`;
    return `grid-${seeds}${shown.labels.length > 1 ? '-all-classes' : classPart(classes, shown.labels[0])}${truncPart(shown.truncation)}-step-${step}.png`;
  }
  return `interp-${shown.from}-to-${shown.to}-${shown.steps}steps${classPart(classes, shown.label)}${truncPart(shown.truncation)}-step-${step}.png`;
}
