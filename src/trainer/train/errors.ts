// Errors that mean "the user's input is wrong" (exit code 2 in the CLI, no stack trace),
// as opposed to bugs or environment failures.
import { ConfigError } from '../../shared/config';
import { DataError } from '../data/mnist';
import { UnknownModelError } from '../models/family';

/** A bad option, path or run folder. */
export class InputError extends Error {
  override name = 'InputError';
}

/** Training produced a NaN or infinite loss. */
export class DivergedError extends Error {
  override name = 'DivergedError';
}

/** A write into the run folder failed (disk full, read-only): nothing half-written is left. */
export class RunWriteError extends Error {
  override name = 'RunWriteError';
}

export function isInputError(e: unknown): e is Error {
  return (
    e instanceof InputError || e instanceof ConfigError || e instanceof DataError || e instanceof UnknownModelError
  );
}
