// `gan export`: one network of a checkpoint (or of a run: its newest good checkpoint, or a bare
// model folder with model.json) as ONNX or as a TensorFlow.js layers model.
// The default network is the one the app itself uses: the generator's weight average when the
// run kept one (latent families draw samples with it), the AtoB generator of a CycleGAN (the
// trained direction of a pix2pix), srgan's generator.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type * as tf from '@tensorflow/tfjs';
import { writeFileAtomic } from '../engine/files';
import { loadModel } from '../engine/modelIO';
import { familyInfo } from '../models/infos';
import { readCheckpointState, requireCheckpoint, type CheckpointState } from '../train/checkpoint';
import { InputError } from '../train/errors';
import { drawingNetwork } from '../train/weightAverage';
import { toOnnx, type OnnxPort } from './onnx';
import { writeTfjs } from './tfjs';
// The custom layers a checkpoint may hold, registered for deserialisation.
import '../models/blocks/alwaysDropout';
import '../models/blocks/instanceNorm';
import '../models/blocks/pixelShuffle';
import '../models/blocks/reflectionPad';

export type ExportFormat = 'onnx' | 'tfjs';
export const EXPORT_FORMATS: readonly ExportFormat[] = ['onnx', 'tfjs'];

export interface ExportSource {
  /** The folder holding the network's model.json. */
  dir: string;
  network: string;
  /** Absent for a bare model folder. */
  state?: CheckpointState;
  checkpointDir?: string;
}

/** The network a checkpoint's app features use (sample, translate, upscale). */
export function defaultNetwork(state: CheckpointState): string {
  const translate = familyInfo(state.model)?.translate;
  if (translate) {
    const direction = translate.trainedDirectionOnly ? (state.spec.direction ?? 'AtoB') : 'AtoB';
    return translate.generator[direction];
  }
  return drawingNetwork('generator', state.networks);
}

/** Resolves `arg` (checkpoint, run or model folder) and --network to a network folder. */
export function resolveExportSource(arg: string, network?: string): ExportSource {
  const p = path.resolve(arg);
  if (!fs.existsSync(p)) throw new InputError(`checkpoint folder not found: ${p}`);
  if (fs.existsSync(path.join(p, 'model.json')) && !fs.existsSync(path.join(p, 'state.json'))) {
    if (network) throw new InputError(`--network needs a checkpoint or run folder; ${p} is one network (model.json)`);
    // A network folder inside a checkpoint still tells its family.
    const state = readCheckpointState(path.dirname(p)) ?? undefined;
    return { dir: p, network: path.basename(p), state, checkpointDir: state ? path.dirname(p) : undefined };
  }
  const { dir, state } = requireCheckpoint(
    p,
    'not a checkpoint folder',
    'state.json and the network folders, or model.json',
  );
  const net = network ?? defaultNetwork(state);
  if (!state.networks.includes(net) || !fs.existsSync(path.join(dir, net, 'model.json'))) {
    throw new InputError(
      `this ${state.model} checkpoint has no network "${net}" (it has ${state.networks.join(', ')})`,
    );
  }
  return { dir: path.join(dir, net), network: net, state, checkpointDir: dir };
}

export interface ExportResult {
  format: ExportFormat;
  /** The file (onnx) or folder (tfjs) written. */
  out: string;
  files: string[];
  inputs?: OnnxPort[];
  outputs?: OnnxPort[];
  customClasses?: string[];
  notes: string[];
}

/** Writes `model` to `out` in `format`. */
export async function exportNetwork(
  model: tf.LayersModel,
  format: ExportFormat,
  out: string,
  src?: ExportSource,
): Promise<ExportResult> {
  if (format === 'onnx') {
    if (fs.existsSync(out) && fs.statSync(out).isDirectory())
      throw new InputError(
        `--out ${out} is a folder; the onnx format writes one file (e.g. ${path.join(out, 'model.onnx')})`,
      );
    const metadata: Record<string, string> = { network: src?.network ?? model.name };
    if (src?.state) {
      metadata.family = src.state.model;
      metadata.step = String(src.state.step);
      metadata.imageSize = String(src.state.spec.imageSize);
    }
    const r = await toOnnx(model, {
      doc: 'Exported by GAN Studio (gan export). Images are NCHW, values in [-1, 1]; the batch dimension is dynamic.',
      metadata,
    });
    fs.mkdirSync(path.dirname(out), { recursive: true });
    writeFileAtomic(out, r.bytes);
    return { format, out, files: [out], inputs: r.inputs, outputs: r.outputs, notes: r.notes };
  }
  if (fs.existsSync(out) && !fs.statSync(out).isDirectory())
    throw new InputError(`--out ${out} is a file; the tfjs format writes a folder (model.json, weights.bin)`);
  const r = await writeTfjs(model, out);
  const notes = r.customClasses.length
    ? [
        `a page must register ${r.customClasses.join(', ')}: load gan-studio-layers.js (written beside model.json) after TensorFlow.js`,
      ]
    : [];
  return { format, out, files: r.files, customClasses: r.customClasses, notes };
}

/** The whole job: resolve, load, write. */
export async function exportModel(
  arg: string,
  format: ExportFormat,
  out: string,
  network?: string,
): Promise<ExportResult & { source: ExportSource }> {
  const source = resolveExportSource(arg, network);
  const model = await loadModel(source.dir);
  try {
    return { ...(await exportNetwork(model, format, path.resolve(out), source)), source };
  } finally {
    model.dispose();
  }
}
