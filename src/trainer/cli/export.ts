// gan export <checkpoint> --format onnx|tfjs --out <path> [--network NAME] [--json]
// One network of a checkpoint (a run folder: its newest good one) for use outside GAN Studio:
// an ONNX file (opset 17, NCHW images, dynamic batch) or a TensorFlow.js layers model folder.
// --json prints the result as one JSON object (the extension's "Export Model…" reads it).
import * as path from 'node:path';
import { initBackend } from '../engine/backend';
import { EXPORT_FORMATS, exportModel, type ExportFormat } from '../export';
import { heldBackendNotes, out, parse, UsageError } from './common';

export const EXPORT_USAGE =
  'gan export <checkpoint-dir> --format onnx|tfjs --out <file.onnx|dir> [--network NAME] [--json]';

export async function exportCommand(args: string[]): Promise<number> {
  const { values: v, positionals } = parse(
    'export',
    args,
    {
      format: { type: 'string' },
      out: { type: 'string' },
      network: { type: 'string' },
      json: { type: 'boolean' },
    },
    ['checkpoint-dir'],
  );
  if (!positionals[0]) throw new UsageError(`missing the checkpoint folder (usage: ${EXPORT_USAGE})`);
  if (!v.format) throw new UsageError(`missing --format onnx|tfjs (usage: ${EXPORT_USAGE})`);
  if (!EXPORT_FORMATS.includes(v.format as ExportFormat))
    throw new UsageError(`--format must be ${EXPORT_FORMATS.join(' or ')} (got "${v.format}")`);
  if (!v.out) throw new UsageError(`missing --out <path> (usage: ${EXPORT_USAGE})`);
  const format = v.format as ExportFormat;
  // Exporting reads weights only: the plain CPU backend is enough and always there.
  const notes = heldBackendNotes();
  await initBackend('cpu', { warn: notes.warn, info: notes.info });
  const r = await exportModel(positionals[0], format, v.out, v.network);
  if (v.json) {
    const s = r.source.state;
    out(
      JSON.stringify({
        format,
        out: r.out,
        files: r.files,
        network: r.source.network,
        family: s?.model,
        step: s?.step,
        inputs: r.inputs,
        outputs: r.outputs,
        customClasses: r.customClasses,
        notes: r.notes,
      }),
    );
    return 0;
  }
  const what = r.source.state
    ? `${r.source.state.model} ${r.source.network}, step ${r.source.state.step}`
    : r.source.network;
  const ports = (ps: { name: string; shape: (number | string)[] }[] | undefined) =>
    ps?.map((p) => `${p.name} [${p.shape.join(', ')}]`).join(', ');
  const io = format === 'onnx' ? ` (inputs ${ports(r.inputs)}; outputs ${ports(r.outputs)})` : '';
  const note = r.notes.length ? `; note: ${r.notes.join('; ')}` : '';
  out(`exported ${what} as ${format} to ${path.resolve(r.out)}${io}${note}`);
  return 0;
}
