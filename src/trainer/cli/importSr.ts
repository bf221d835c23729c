// gan import-sr <file> [--name N] [--out STORE] [--backend B] [--threads N]
// Checks a community ESRGAN-family model (.pth/.safetensors: read, detect, build, run once) and
// keeps a copy in the store, where `gan upscale --model <name>` and the editor find it.
import * as path from 'node:path';
import { DEFAULT_BACKEND } from '../../shared/backends';
import { initBackend } from '../engine/backend';
import { cliStore } from '../../shared/importedModels';
import { importSrModel } from '../infer/import';
import { BACKEND_CHOICES, backendOption, heldBackendNotes, intOption, out, parse, UsageError } from './common';

export const IMPORT_SR_USAGE = `gan import-sr <model.pth|model.safetensors> [--name N] [--out STORE] [--backend ${BACKEND_CHOICES}] [--threads N]`;

export async function importSrCommand(args: string[]): Promise<number> {
  const { values: v, positionals } = parse(
    'import-sr',
    args,
    {
      name: { type: 'string' },
      out: { type: 'string' },
      backend: { type: 'string' },
      threads: { type: 'string' },
    },
    ['file'],
  );
  const file = positionals[0];
  if (!file) throw new UsageError(`missing the model file (usage: ${IMPORT_SR_USAGE})`);
  const threads = intOption('import-sr', 'threads', v.threads, 1, 1024);
  const backend = backendOption('import-sr', v.backend);
  const notes = heldBackendNotes();
  await initBackend(backend ?? DEFAULT_BACKEND, { threads, warn: notes.warn, info: notes.info });
  const store = path.resolve(v.out ?? cliStore());
  const m = await importSrModel(file, store, v.name);
  out(`imported "${m.name}": ${m.description} -> ${m.dir}`);
  notes.flush();
  return 0;
}
