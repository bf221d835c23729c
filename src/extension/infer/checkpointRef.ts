// Which translating (pix2pix, CycleGAN) checkpoint a folder is: a checkpoint folder (state.json) or a run
// folder (config.json + checkpoints/latest). Read on the host to label the choice and ask for a
// direction only where there is one; the child checks again before loading. Pure: unit-tested.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ModelKind } from '../../shared/config';
import { isObj } from '../../shared/guards';
import { familyInfo, labelsWhere } from '../../trainer/models/infos';
import { readJsonOrUndefined } from '../util/json';

export interface CheckpointRef {
  dir: string;
  /** A family that translates (its FamilyInfo.translate is set). */
  model: ModelKind;
  label: string;
}

/** "pix2pix or CycleGAN": the families that translate, for prompts and messages. */
export function translatingFamilies(): string {
  return labelsWhere((f) => !!f.translate);
}

/** A checkpoint folder (state.json) or a run folder (config.json + checkpoints/latest), or why not. */
export function resolveCheckpoint(dir: string): CheckpointRef | string {
  const state = readJsonOrUndefined(path.join(dir, 'state.json'));
  const config = readJsonOrUndefined(path.join(dir, 'config.json'));
  const model = isObj(state) ? state.model : isObj(config) ? config.model : undefined;
  if (model === undefined)
    return `${path.basename(dir)} is not a checkpoint or run folder (no state.json or config.json)`;
  const info = familyInfo(model);
  if (!info?.translate)
    return `${path.basename(dir)} is a "${String(model)}" model; translation needs ${translatingFamilies()}`;
  if (!isObj(state) && !fs.existsSync(path.join(dir, 'checkpoints', 'latest', 'state.json')))
    return `${path.basename(dir)} has no saved checkpoint yet`;
  const ck = isObj(state) ? dir : path.join(dir, 'checkpoints', 'latest');
  const run = isObj(state) ? path.basename(path.dirname(path.dirname(dir))) : path.basename(dir);
  return { dir: ck, model: model as ModelKind, label: `${run} (${info.label}, ${path.basename(ck)})` };
}
