// Claims the final name of a finished result without ever replacing a file: a hard link fails
// when the name exists (atomic, unlike "check then rename"), so a file that appeared while the
// job ran (another window, the user) is kept and the result takes the next counter instead.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { MAX_COUNTER, withCounter } from '../../shared/outputNames';

/** A hidden name beside `desired` for the engine to write to (it adds its own .partial step). */
export function stagingNameFor(desired: string, tag: string | number): string {
  return path.join(
    path.dirname(desired),
    `.${path.basename(desired, path.extname(desired))}.${process.pid}-${tag}.staging${path.extname(desired)}`,
  );
}

/** Moves `staging` to the first free counter variant of `desired`; returns the name used. */
export function publishNoOverwrite(staging: string, desired: string): string {
  for (let n = 1; n <= MAX_COUNTER; n++) {
    const target = withCounter(desired, n);
    try {
      fs.linkSync(staging, target);
      fs.rmSync(staging, { force: true });
      return target;
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') continue;
      // File systems without hard links (some network and FAT drives): check, then rename.
      if (code === 'EPERM' || code === 'ENOTSUP' || code === 'EXDEV' || code === 'ENOSYS' || code === 'EMLINK') {
        if (fs.existsSync(target)) continue;
        fs.renameSync(staging, target);
        return target;
      }
      throw e;
    }
  }
  throw new Error(`no free file name for ${desired}`);
}
