// Path containment for paths that arrive from the trainer or a webview (host side only).
import * as path from 'node:path';

/**
 * True when `p` is an absolute path inside `root` (or root itself when allowRoot).
 * Rejects relative paths, `..` escapes, NUL bytes and sibling prefixes (/runs/a vs /runs/ab).
 */
export function isInsideDir(root: string, p: unknown, allowRoot = false): p is string {
  if (typeof p !== 'string' || p.length === 0 || p.length > 4096 || p.includes('\0')) return false;
  if (!path.isAbsolute(p) || !path.isAbsolute(root)) return false;
  const rel = path.relative(path.resolve(root), path.resolve(p));
  if (rel === '') return allowRoot;
  return rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel);
}
