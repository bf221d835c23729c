// Names of new run directories. Pure: unit-tested.

/** <name>-<yyyymmdd-hhmmss>: sortable, readable, unique per second, safe on every file system. */
export function newRunDirName(name: string, now = new Date()): string {
  const slug =
    name
      .replace(/[^A-Za-z0-9._-]+/g, '-')
      .replace(/^[-.]+|-+$/g, '')
      .slice(0, 60) || 'run';
  const p = (n: number) => String(n).padStart(2, '0');
  return `${slug}-${now.getFullYear()}${p(now.getMonth() + 1)}${p(now.getDate())}-${p(now.getHours())}${p(now.getMinutes())}${p(now.getSeconds())}`;
}
