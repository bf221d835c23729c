// The `gan` command as a user runs it (dist/cli.js in a subprocess), for every test suite.
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

export const CLI = path.resolve('dist/cli.js');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  cwd?: string;
  /** Added to this process's environment. */
  env?: Record<string, string>;
  timeout?: number;
}

export function runGan(args: string[], o: CliOptions = {}): CliResult {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    cwd: o.cwd,
    encoding: 'utf8',
    timeout: o.timeout ?? 120_000,
    env: o.env ? { ...process.env, ...o.env } : process.env,
  });
  return { code: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}
