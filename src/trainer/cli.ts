// The `gan` command: a thin dispatcher over src/trainer/cli/<subcommand>.ts.
// Bad input exits 2 with one line "gan: <problem>" on stderr; other failures exit 1, also
// with one line (GAN_DEBUG=1 adds the stack trace).
import { benchCommand, BENCH_USAGE } from './cli/bench';
import { err, out } from './cli/common';
import { sampleCommand, SAMPLE_USAGE } from './cli/sample';
import { trainCommand, TRAIN_USAGE } from './cli/train';
import { upscaleCommand, UPSCALE_USAGE } from './cli/upscale';
import { evalSrCommand, EVAL_SR_USAGE } from './cli/evalSr';
import { importSrCommand, IMPORT_SR_USAGE } from './cli/importSr';
import { checkCommand, CHECK_USAGE } from './cli/check';
import { translateCommand, TRANSLATE_USAGE } from './cli/translate';
import { initCommand, INIT_USAGE } from './cli/init';
import { exportCommand, EXPORT_USAGE } from './cli/export';
import { isInputError } from './train/errors';
import { explainFailure, releaseGpu } from './engine/gpu/webgpu';

const COMMANDS: Record<string, (args: string[]) => Promise<number>> = {
  train: trainCommand,
  sample: sampleCommand,
  bench: benchCommand,
  upscale: upscaleCommand,
  'eval-sr': evalSrCommand,
  'import-sr': importSrCommand,
  check: checkCommand,
  translate: translateCommand,
  init: initCommand,
  export: exportCommand,
};
const USAGE = [
  'usage:',
  `  ${TRAIN_USAGE}`,
  `  ${SAMPLE_USAGE}`,
  `  ${BENCH_USAGE}`,
  `  ${UPSCALE_USAGE}`,
  `  ${EVAL_SR_USAGE}`,
  `  ${IMPORT_SR_USAGE}`,
  `  ${CHECK_USAGE}`,
  `  ${TRANSLATE_USAGE}`,
  `  ${INIT_USAGE}`,
  `  ${EXPORT_USAGE}`,
].join('\n');

/** "gan: ..." once, whatever the message already starts with. */
function oneLine(message: string): string {
  const first = message.split('\n');
  const line = first[0].replace(/^gan:\s*/, '');
  return `gan: ${line}${first.length > 1 ? ` (and ${first.length - 1} more problem${first.length > 2 ? 's' : ''})` : ''}`;
}

async function main(argv: string[]): Promise<number> {
  const [command, ...args] = argv;
  if (command === undefined) {
    err(USAGE);
    return 2;
  }
  if (command === '--help' || command === '-h' || command === 'help') {
    out(USAGE);
    return 0;
  }
  const run = COMMANDS[command];
  if (!run) {
    err(`gan: unknown command "${command}" (commands: ${Object.keys(COMMANDS).join(', ')}; gan --help)`);
    return 2;
  }
  if (args.includes('--help') || args.includes('-h')) {
    out(USAGE);
    return 0;
  }
  return run(args);
}

// Exit once output is flushed even if a native thread pool keeps the event loop alive.
const finish = (code: number) => {
  releaseGpu();
  process.exitCode = code;
  setTimeout(() => process.exit(code), 500).unref();
};

main(process.argv.slice(2)).then(
  (code) => finish(code),
  async (e: unknown) => {
    // A GPU that was lost or ran out of memory is named as the cause, not the read that failed.
    const explained = await explainFailure(e);
    const error = explained instanceof Error ? explained : new Error(String(explained));
    err(oneLine(error.message));
    if (process.env.GAN_DEBUG) err(error.stack ?? '');
    finish(isInputError(error) ? 2 : 1);
  },
);
