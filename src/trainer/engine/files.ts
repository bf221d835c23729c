// Durable file writes. Everything a user may open while training runs (sample PNGs,
// loss.png, checkpoints) is written under a temporary name, flushed to disk and renamed,
// so a reader or a kill never sees half a file.
import * as fs from 'node:fs';
import * as path from 'node:path';

let writes = 0;

/**
 * Test-only fault injection (GAN_TEST_FAIL_WRITE_AFTER=n): the (n+1)-th durable write of the
 * process writes half its bytes and fails with ENOSPC, as a full disk would. Inert when unset.
 */
export function injectedWriteFault(): boolean {
  const after = process.env.GAN_TEST_FAIL_WRITE_AFTER;
  return after !== undefined && after !== '' && writes++ >= Number(after);
}

function enospc(file: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`ENOSPC: no space left on device, write '${file}'`), {
    code: 'ENOSPC',
    syscall: 'write',
    path: file,
  });
}

/** Writes and fsyncs one file (no rename). */
export function writeFileSynced(file: string, data: string | Uint8Array): void {
  const fd = fs.openSync(file, 'w');
  try {
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    if (injectedWriteFault()) {
      fs.writeSync(fd, bytes.subarray(0, bytes.length >> 1));
      throw enospc(file);
    }
    fs.writeSync(fd, bytes);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** Appends a line to a log-like file (metrics.jsonl); a failed append is cut off again, so no half line stays. */
export function appendFileChecked(file: string, text: string): void {
  const size = fs.existsSync(file) ? fs.statSync(file).size : 0;
  try {
    if (injectedWriteFault()) {
      fs.appendFileSync(file, text.slice(0, text.length >> 1));
      throw enospc(file);
    }
    fs.appendFileSync(file, text);
  } catch (e) {
    try {
      fs.truncateSync(file, size);
    } catch {
      /* nothing more to undo */
    }
    throw e;
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
  try {
    writeFileSynced(tmp, data);
    fs.renameSync(tmp, file);
  } catch (e) {
    // A failed write (disk full) leaves neither a temporary file nor a changed `file`.
    fs.rmSync(tmp, { force: true });
    throw e;
  }
}
