// Translating an image of any size with a pix2pix or CycleGAN checkpoint. The generators
// take imageSize x imageSize images, so an image is either
//   resize: resized to imageSize, translated, resized back (the model sees the whole scene,
//           as pix2pix models trained on whole images - facades, maps - expect), or
//   tile:   translated at its own resolution in imageSize windows with overlapping margins,
//           cross-faded (models of textures or styles: CycleGAN, or pix2pix trained on crops).
// Either way the output has the input's size; alpha is kept and grey inputs come out in colour.
// Tiling reuses the SR upscaler's machinery at scale 1 (same seams handling, streamed PNG,
// temp file + rename, nothing written on failure).
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import type { Direction, ModelKind } from '../../shared/config';
import type { RawImage } from '../engine/image/types';
import { resizeFloat } from '../engine/image/resize';
import { loadModel } from '../engine/modelIO';
import { takeFloats } from '../engine/read';
import { getFamily } from '../models';
import { runGenerator } from '../models/common/imageToImage';
import { familyInfo, kindsWhere, type FamilyInfo } from '../models/infos';
import { requireCheckpoint, type CheckpointState } from '../train/checkpoint';
import { InputError } from '../train/errors';
import type { SrRunner } from './srModels';
import { readInput, upscaleFile, type UpscaleFileResult } from './upscaleFile';

export type TranslateMode = 'resize' | 'tile';

export interface TranslatorCheckpoint {
  dir: string;
  state: CheckpointState;
  model: ModelKind;
  /** What its family says about translating (direction, default mode, test mode). */
  translate: NonNullable<FamilyInfo['translate']>;
  direction: Direction;
  /** The network folder that translates this way. */
  network: string;
}

/** Finds the checkpoint (a checkpoint folder, or a run: its newest) and the generator for `direction`. */
export function resolveTranslator(dirArg: string, direction?: Direction): TranslatorCheckpoint {
  const arg = path.resolve(dirArg);
  if (!fs.existsSync(arg)) throw new InputError(`checkpoint folder not found: ${arg}`);
  const { dir, state } = requireCheckpoint(arg, 'not a checkpoint folder', 'state.json and the generator folders');
  const model = state.model;
  const translate = familyInfo(model)?.translate;
  if (!translate)
    throw new InputError(
      `${dir} is a "${model}" checkpoint; gan translate needs a ${kindsWhere((f) => !!f.translate).join(' or ')} one`,
    );
  const trained = state.spec.direction ?? 'AtoB';
  if (translate.trainedDirectionOnly && direction && direction !== trained) {
    throw new InputError(
      `this ${model} model translates ${trained} only (it was trained with dataset.direction "${trained}"); train another with "${direction}"`,
    );
  }
  const d = direction ?? (translate.trainedDirectionOnly ? trained : 'AtoB');
  const network = translate.generator[d];
  if (!fs.existsSync(path.join(dir, network, 'model.json')))
    throw new InputError(`${dir} has no ${network}/model.json`);
  return { dir, state, model, translate, direction: d, network };
}

/** Symmetric (mirror) index, valid for any overhang. */
function mirror(i: number, n: number): number {
  const period = 2 * n;
  i = ((i % period) + period) % period;
  return i < n ? i : period - 1 - i;
}

/** h x w RGB floats padded (mirrored) to size x size. */
function padTo(src: Float32Array, h: number, w: number, size: number): Float32Array {
  if (h === size && w === size) return src;
  const out = new Float32Array(size * size * 3);
  const ox = Math.floor((size - w) / 2),
    oy = Math.floor((size - h) / 2);
  for (let y = 0; y < size; y++) {
    const sy = mirror(y - oy, h);
    for (let x = 0; x < size; x++) {
      const s = (sy * w + mirror(x - ox, w)) * 3,
        d = (y * size + x) * 3;
      out[d] = src[s];
      out[d + 1] = src[s + 1];
      out[d + 2] = src[s + 2];
    }
  }
  return out;
}

function cropFrom(src: Float32Array, size: number, h: number, w: number): Float32Array {
  if (h === size && w === size) return src;
  const out = new Float32Array(h * w * 3);
  const ox = Math.floor((size - w) / 2),
    oy = Math.floor((size - h) / 2);
  for (let y = 0; y < h; y++)
    out.set(src.subarray(((y + oy) * size + ox) * 3, ((y + oy) * size + ox + w) * 3), y * w * 3);
  return out;
}

export interface Translator extends SrRunner {
  readonly checkpoint: TranslatorCheckpoint;
  readonly imageSize: number;
  readonly mode: TranslateMode;
}

/** Loads the generator; `run` maps an h x w RGB window (0..255 floats) to its translation. */
export async function loadTranslator(ck: TranslatorCheckpoint, mode?: TranslateMode): Promise<Translator> {
  getFamily(ck.model); // registers the custom layers the generator is made of
  const G = await loadModel(path.join(ck.dir, ck.network));
  const S = ck.state.spec.imageSize;
  const m = mode ?? ck.translate.defaultMode;
  const paperTestMode = ck.translate.paperTestMode;
  const net = (x: Float32Array): Promise<Float32Array> =>
    takeFloats(
      tf.tidy(() => {
        const t = tf.sub(tf.div(tf.tensor4d(x, [1, S, S, 3]), 127.5), 1) as tf.Tensor4D;
        return tf.mul(tf.add(runGenerator(G, t, paperTestMode), 1), 127.5);
      }),
    );
  return {
    name: `${ck.model} ${ck.direction}`,
    scale: 1,
    checkpoint: ck,
    imageSize: S,
    mode: m,
    async run(win, h, w) {
      if (m === 'resize') {
        const small = h === S && w === S ? win : resizeFloat(win, w, h, 3, S, S);
        const y = await net(small);
        return h === S && w === S ? y : resizeFloat(y, S, S, 3, w, h);
      }
      return cropFrom(await net(padTo(win, h, w, S)), S, h, w);
    },
    dispose: () => G.dispose(),
  };
}

/** Grey stays in colour space (a colourising model's output is colour); alpha is kept. */
export function asColour(img: RawImage): RawImage {
  if (img.channels >= 3) return img;
  const n = img.width * img.height,
    c = img.channels === 2 ? 4 : 3,
    data = new Uint8Array(n * c);
  for (let i = 0; i < n; i++) {
    const g = img.data[i * img.channels];
    data[i * c] = data[i * c + 1] = data[i * c + 2] = g;
    if (c === 4) data[i * c + 3] = img.data[i * 2 + 1];
  }
  return { width: img.width, height: img.height, channels: c, data };
}

export async function translateFile(
  input: string,
  output: string,
  t: Translator,
  opts: { onProgress?(done: number, total: number): void; cancelled?(): boolean } = {},
  pre?: ReturnType<typeof readInput>,
): Promise<UpscaleFileResult> {
  const r = pre ?? readInput(input, output);
  const img = asColour(r.img);
  // Tile: windows of exactly imageSize (the generator's input), a margin of an eighth each side.
  const margin = Math.max(4, t.imageSize / 8);
  const tile = t.mode === 'resize' ? 0 : t.imageSize - 2 * margin;
  return upscaleFile(input, output, t, { tile, margin, blend: margin, ...opts }, { img, format: r.format });
}
