// The newest run of a config, for "Open dashboard" on gan.config.json. Runs are folders
// <name>-<yyyymmdd-hhmmss> (the extension's and the CLI's naming), in the workspace's runs
// folder or in runs/ next to the config (where `gan train` puts them). Pure (fs, no vscode).
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { newRunDirName } from '../runIndex/runNames';

/** The config's "name" as the trainer will use it (absent or broken: the folder's name). */
export function configName(text: string, configPath: string): string {
  try {
    const raw = JSON.parse(text) as { name?: unknown };
    if (typeof raw.name === 'string' && raw.name) return raw.name;
  } catch {
    // A broken file still has a folder name.
  }
  return path.basename(path.dirname(configPath));
}

/** The run-folder prefix of a name: what newRunDirName puts before the timestamp. */
export function runPrefix(name: string): string {
  return newRunDirName(name).replace(/-\d{8}-\d{6}$/, '');
}

/** The newest <prefix>-<timestamp> folder holding a run (metrics or checkpoints) in any of `roots`. */
export async function findLastRun(roots: string[], name: string): Promise<string | undefined> {
  const re = new RegExp(`^${runPrefix(name).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}-(\\d{8}-\\d{6})$`);
  let best: { dir: string; stamp: string } | undefined;
  for (const root of [...new Set(roots.map((r) => path.resolve(r)))]) {
    let names: string[];
    try {
      names = await fs.readdir(root);
    } catch {
      continue;
    }
    for (const n of names) {
      const m = re.exec(n);
      if (!m || (best && best.stamp >= m[1])) continue;
      const dir = path.join(root, n);
      const isRun = await Promise.any(
        ['metrics.jsonl', 'checkpoints', 'events.log'].map((f) => fs.access(path.join(dir, f))),
      ).then(
        () => true,
        () => false,
      );
      if (isRun) best = { dir, stamp: m[1] };
    }
  }
  return best?.dir;
}
