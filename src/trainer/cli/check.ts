// gan check <config> [--json]: the dataset check (src/trainer/data/check.ts). Prints the
// report; exit 0 when training can start (warnings allowed), 2 when it cannot.
import * as path from 'node:path';
import { loadConfig } from '../../shared/config';
import { checkDataset, formatReport } from '../data/check';
import { InputError } from '../train/errors';
import { out, parse, UsageError } from './common';

export const CHECK_USAGE = 'gan check <config.json> [--json]';

/** Training cannot start: the report is already printed, so the final line only sums it up. */
export class DatasetNotReady extends InputError {
  override name = 'DatasetNotReady';
}

export async function checkCommand(args: string[]): Promise<number> {
  const { values: v, positionals } = parse('check', args, { json: { type: 'boolean' } }, ['config']);
  if (!positionals[0]) throw new UsageError(`missing the config file (usage: ${CHECK_USAGE})`);
  const configPath = path.resolve(positionals[0]);
  const cfg = loadConfig(configPath);
  const report = checkDataset(cfg, path.dirname(configPath));
  if (v.json) out(JSON.stringify(report, null, 2));
  else formatReport(report, configPath).forEach((l) => out(l));
  if (!report.ok) throw new DatasetNotReady(`training cannot start: ${report.problems[0]}`);
  return 0;
}
