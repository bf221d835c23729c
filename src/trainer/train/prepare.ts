// The checks a run makes before it writes anything: the config (and a model file) loads, the
// run folder is a new one, or, on --resume, one with a checkpoint this config can continue.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadConfig, type GanConfig } from '../../shared/config';
import { runPaths } from '../../shared/runDir';
import { userModelFamily } from '../usermodel/family';
import { getFamily, type ModelFamily } from '../models';
import type { TrainOptions } from './api';
import { damagedCheckpointsNote, findResumeCheckpoint, type FoundCheckpoint } from './checkpoint';
import { InputError } from './errors';

export interface PreparedRun {
  cfg: GanConfig;
  family: ModelFamily;
  runDir: string;
  resume?: FoundCheckpoint;
  /** The run folder did not exist before this call (removed again if a write fails before the first checkpoint). */
  created: boolean;
}

function timestamp(d = new Date()): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}-${p(d.getHours())}${p(d.getMinutes())}${p(d.getSeconds())}`;
}

/** The newest run of this config under <config folder>/runs that has a checkpoint. */
function newestRun(configDir: string, name: string): string | undefined {
  const runs = path.join(configDir, 'runs');
  if (!fs.existsSync(runs)) return undefined;
  return fs
    .readdirSync(runs)
    .filter((n) => n.startsWith(`${name}-`) && findResumeCheckpoint(path.join(runs, n)))
    .sort()
    .map((n) => path.join(runs, n))
    .at(-1);
}

/** Keys that fix the networks' shapes: a resume with other values cannot load the checkpoint. */
function architectureKeys(cfg: GanConfig): Record<string, unknown> {
  const { latentDim, ngf, ndf } = cfg.params;
  return {
    model: cfg.model,
    imageSize: cfg.imageSize,
    'dataset.kind': cfg.dataset.kind,
    'params.latentDim': latentDim,
    'params.ngf': ngf,
    'params.ndf': ndf,
  };
}

function checkSameArchitecture(now: GanConfig, runConfigFile: string): void {
  if (!fs.existsSync(runConfigFile)) return;
  const before = architectureKeys(JSON.parse(fs.readFileSync(runConfigFile, 'utf8')) as GanConfig);
  const after = architectureKeys(now);
  const changed = Object.keys(after).filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]));
  if (changed.length) {
    throw new InputError(
      `cannot resume: ${changed.map((k) => `"${k}" changed from ${JSON.stringify(before[k])} to ${JSON.stringify(after[k])}`).join(', ')} since the run started`,
    );
  }
}

/** The run to continue (--resume): its folder and the newest checkpoint this config can load. */
function prepareResume(opts: TrainOptions, cfg: GanConfig, family: ModelFamily, configDir: string): PreparedRun {
  const runDir = opts.runDir ? path.resolve(opts.runDir) : newestRun(configDir, cfg.name);
  if (!runDir)
    throw new InputError(
      `nothing to resume: no run of "${cfg.name}" with a checkpoint in ${path.join(configDir, 'runs')}`,
    );
  if (!fs.existsSync(runDir)) throw new InputError(`run folder not found: ${runDir}`);
  const resume = findResumeCheckpoint(runDir);
  if (!resume)
    throw new InputError(`nothing to resume: ${runDir} has no complete checkpoint${damagedCheckpointsNote(runDir)}`);
  if (resume.state.model !== cfg.model)
    throw new InputError(
      `cannot resume: the run in ${runDir} trains "${resume.state.model}", the config says "${cfg.model}"`,
    );
  checkSameArchitecture(cfg, runPaths(runDir).config);
  return { cfg, family, runDir, resume, created: false };
}

/** Everything that can fail on bad input, checked before a single file is written. */
export function prepareRun(opts: TrainOptions): PreparedRun {
  const configPath = path.resolve(opts.configPath);
  const cfg = loadConfig(configPath);
  if (opts.seed !== undefined) cfg.seed = opts.seed;
  // A model file is compiled here: its syntax errors and missing exports stop the run early.
  const family = cfg.modelFile ? userModelFamily(getFamily(cfg.model), cfg.modelFile) : getFamily(cfg.model);
  const configDir = path.dirname(configPath);
  if (opts.resume) return prepareResume(opts, cfg, family, configDir);
  const runDir = opts.runDir ? path.resolve(opts.runDir) : path.join(configDir, 'runs', `${cfg.name}-${timestamp()}`);
  const p = runPaths(runDir);
  if (fs.existsSync(p.checkpoints) || fs.existsSync(p.metrics)) {
    throw new InputError(`${runDir} already holds a run: add --resume to continue it, or choose another --run-dir`);
  }
  return { cfg, family, runDir, created: !fs.existsSync(runDir) };
}
