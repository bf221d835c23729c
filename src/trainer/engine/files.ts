// Durable file writes. Everything a user may open while training runs (sample PNGs,
// loss.png, checkpoints) is written under a temporary name, flushed to disk and renamed,
// so a reader or a kill never sees half a file.
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Writes and fsyncs one file (no rename). */
export function writeFileSynced(file: string, data: string | Uint8Array): void {
  const fd = fs.openSync(file, 'w');
  try {
    fs.writeSync(fd, typeof data === 'string' ? Buffer.from(data, 'utf8') : data);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** fsync a directory so a rename inside it survives a crash (a no-op where unsupported). */
export function fsyncDir(dir: string): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
  } catch {
    // Windows cannot open directories; its renames are durable enough for us.
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/** Replaces `file` atomically: temp file in the same folder, fsync, rename. */
export function writeFileAtomic(file: string, data: string | Uint8Array): void {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  writeFileSynced(tmp, data);
  fs.renameSync(tmp, file);
}
