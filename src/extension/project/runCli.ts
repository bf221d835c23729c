// Runs the `gan` CLI (dist/cli.js) as a child process for short jobs the host asks of the
// engine (scaffolding a project, checking a data set): the host never loads the trainer
// itself. Same runtime choice as the trainer process (the trainer.nodePath setting).
import { fork } from 'node:child_process';

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  cwd?: string;
  execPath?: string;
  /** Kill the job after this long (ms). */
  timeoutMs?: number;
}

/** Output kept per stream: enough for any report, bounded whatever the child prints. */
const MAX_OUTPUT = 4 * 1024 * 1024;

export function runCli(cliPath: string, args: string[], opts: CliOptions = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = fork(cliPath, args, {
      cwd: opts.cwd,
      execPath: opts.execPath,
      silent: true,
      // VS Code's runtime is Electron: this makes it a plain Node for the child.
      env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
      serialization: 'json',
    });
    let stdout = '',
      stderr = '';
    child.stdout?.setEncoding('utf8').on('data', (d: string) => {
      if (stdout.length < MAX_OUTPUT) stdout += d;
    });
    child.stderr?.setEncoding('utf8').on('data', (d: string) => {
      if (stderr.length < MAX_OUTPUT) stderr += d;
    });
    const timer = opts.timeoutMs ? setTimeout(() => child.kill(), opts.timeoutMs) : undefined;
    child.on('error', (e) => {
      if (timer) clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code) => {
      if (timer) clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** The one-line "gan: ..." message of a failed job, without the prefix. */
export function cliError(r: CliResult): string {
  const line =
    r.stderr
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean)
      .pop() ?? `the gan CLI exited with code ${r.code}`;
  return line.replace(/^gan:\s*/, '');
}
