// Shared by the CLI subcommands: option parsing with one-line errors, number checks.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { BACKEND_NAMES, isBackendName, type BackendName } from '../../shared/backends';
import { InputError } from '../train/errors';

/** Bad command-line usage: printed as one line, exit code 2. */
export class UsageError extends InputError {
  override name = 'UsageError';
}

type Options = NonNullable<ParseArgsConfig['options']>;

export function parse<O extends Options>(command: string, args: string[], options: O, positionals: string[]) {
  try {
    const r = parseArgs({ args, options, allowPositionals: true, strict: true });
    if (r.positionals.length > positionals.length) {
      throw new UsageError(`unexpected argument "${r.positionals[positionals.length]}"`);
    }
    return r;
  } catch (e) {
    if (e instanceof UsageError) throw e;
    const err = e as NodeJS.ErrnoException;
    const names = Object.keys(options)
      .map((k) => `--${k}`)
      .join(', ');
    if (err.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
      const opt = /'([^']+)'/.exec(err.message)?.[1] ?? '?';
      throw new UsageError(`unknown option ${opt} for "gan ${command}" (options: ${names})`);
    }
    if (err.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
      throw new UsageError(
        `${err.message.split('\n')[0].replace(/^Option '([^']+)'.*argument.*$/, 'option $1 needs a value')}`,
      );
    }
    throw new UsageError(`${err.message.split('\n')[0]}`);
  }
}

/** An integer option in [min, max], or undefined when absent. */
export function intOption(
  command: string,
  name: string,
  v: string | undefined,
  min: number,
  max = Number.MAX_SAFE_INTEGER,
): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!/^\s*-?\d+\s*$/.test(v) || !Number.isSafeInteger(n) || n < min || n > max) {
    throw new UsageError(
      `--${name} must be an integer ${max < Number.MAX_SAFE_INTEGER ? `from ${min} to ${max}` : `>= ${min}`} (got "${v}")`,
    );
  }
  return n;
}

/** The backends a usage line offers (`tfjs-node` is still accepted, and says why it cannot load). */
export const BACKEND_CHOICES = BACKEND_NAMES.filter((b) => b !== 'tfjs-node').join('|');

export function backendOption(command: string, v: string | undefined): BackendName | undefined {
  if (v === undefined) return undefined;
  if (!isBackendName(v)) throw new UsageError(`--backend must be one of ${BACKEND_NAMES.join(', ')} (got "${v}")`);
  return v;
}

export const out = (line: string) => process.stdout.write(`${line}\n`);
export const err = (line: string) => process.stderr.write(`${line}\n`);

/**
 * What initBackend says (auto's choice, a fallback), held back until the command has done its
 * work: a command refusing bad input still answers in exactly one line.
 */
export function heldBackendNotes() {
  const lines: string[] = [];
  const hold = (line: string) => {
    lines.push(line);
  };
  return { warn: hold, info: hold, flush: () => lines.splice(0).forEach(err) };
}
