// Which config keys differ between runs: every config flattened to dotted keys
// (`optimizer.lr`), leaves shown as JSON text. Arrays are leaves: `[64, 64]` vs `[32, 32]` is
// one difference, not one per element. Browser-safe and pure: unit-tested.
import { isObj } from './guards';

/** One differing key and its value in each run (null: the run's config has no such key). */
export interface ConfigDiffRow {
  key: string;
  values: (string | null)[];
}

/** `{ a: { b: 1 } }` -> `{ 'a.b': '1' }`. A non-object config flattens to nothing. */
export function flattenConfig(config: unknown, prefix = '', out: Record<string, string> = {}): Record<string, string> {
  if (!isObj(config)) return out;
  for (const [k, v] of Object.entries(config)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (isObj(v) && Object.keys(v).length) flattenConfig(v, key, out);
    else out[key] = JSON.stringify(v) ?? 'undefined';
  }
  return out;
}

/** The keys whose values are not the same in every config, in first-seen order, less `ignore`. */
export function configDiff(configs: readonly unknown[], ignore: readonly string[] = []): ConfigDiffRow[] {
  const flat = configs.map((c) => flattenConfig(c));
  const keys = [...new Set(flat.flatMap((f) => Object.keys(f)))];
  const rows: ConfigDiffRow[] = [];
  for (const key of keys) {
    if (ignore.includes(key)) continue;
    const values = flat.map((f) => (key in f ? f[key] : null));
    if (values.some((v) => v !== values[0])) rows.push({ key, values });
  }
  return rows;
}
