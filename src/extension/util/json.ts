// Reading a JSON file the user may have broken or removed: absent and unparsable are the same.
import * as fs from 'node:fs';

/** The parsed file, or undefined when it is missing or not JSON. */
export function readJsonOrUndefined(p: string): unknown {
  try {
    return JSON.parse(fs.readFileSync(p, 'utf8'));
  } catch {
    return undefined;
  }
}
