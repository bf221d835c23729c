// A community ESRGAN-family model file (.pth, .safetensors) as an upscaler: read the state
// dict (nothing in the file is executed), detect the network, build it in tfjs, and wrap it in
// the SrRunner every upscale path uses.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { InputError } from '../../train/errors';
import { takeFloats } from '../../engine/read';
import type { SrRunner } from '../srModels';
import { detectSrModel, MAX_MODEL_BYTES, unwrapStateDict, weightCount, type DetectedSr } from './detect';
import type { SrNetwork } from './network';
import { RrdbNet } from './rrdbNet';
import { SrvggNet } from './srvgg';
import { readStateDict } from './stateDict';
import { padToMultiple } from './torchOps';

/** File names a model file may have (the content decides how it is read). */
export const MODEL_FILE_RE = /\.(pth|pt|safetensors)$/i;

export interface LoadedSrNetwork {
  detected: DetectedSr;
  net: SrNetwork;
  /** Weights the network uses. */
  weights: number;
}

/** Reads, detects and builds; every problem with the file is one InputError line naming it. */
export function loadSrNetwork(file: string): LoadedSrNetwork {
  let st: fs.Stats;
  try {
    st = fs.statSync(file);
  } catch {
    throw new InputError(`model file not found: ${file}`);
  }
  if (!st.isFile()) throw new InputError(`not a model file: ${file}`);
  if (st.size > MAX_MODEL_BYTES)
    throw new InputError(`${file}: ${(st.size / 1024 ** 3).toFixed(1)} GB; models over 4 GB are not supported`);
  try {
    const sd = unwrapStateDict(readStateDict(file));
    const detected = detectSrModel(sd);
    const net = detected.arch === 'RRDBNet' ? new RrdbNet(sd, detected) : new SrvggNet(sd, detected);
    return { detected, net, weights: weightCount(detected) };
  } catch (e) {
    if (e instanceof InputError && !e.message.includes(path.basename(file)))
      throw new InputError(`${path.basename(file)}: ${e.message}`);
    throw e;
  }
}

/** "RRDBNet x4 (23 blocks, 64 features, 16.7M weights)" */
export function describeNetwork(d: DetectedSr, weights: number): string {
  const w = weights >= 1e6 ? `${(weights / 1e6).toFixed(1)}M` : `${(weights / 1e3).toFixed(1)}k`;
  const what =
    d.arch === 'RRDBNet'
      ? `${d.params.blocks} block${d.params.blocks === 1 ? '' : 's'}, ${d.params.nf} features`
      : `${d.params.numConv} convs, ${d.params.nf} features, ${d.params.act === 'prelu' ? 'PReLU' : 'ReLU'}`;
  return `${d.arch} x${d.scale} (${what}, ${w} weights)`;
}

/** An imported network behind the SrRunner interface: 0..255 in and out, like every runner. */
export class TorchSrRunner implements SrRunner {
  readonly scale: number;
  readonly margin: number;
  readonly align: number;
  readonly tile?: number;
  constructor(
    readonly name: string,
    private readonly net: SrNetwork,
  ) {
    this.scale = net.scale;
    this.margin = net.margin;
    this.align = net.align;
    this.tile = net.tile;
  }
  async run(tile: Float32Array, h: number, w: number, cancelled?: () => boolean): Promise<Float32Array> {
    const s = this.scale;
    // Sides not a multiple of the unshuffle factor are reflected out and cropped back.
    const x = tf.tidy(() => padToMultiple(tf.div(tf.tensor4d(tile, [1, h, w, 3]), 255), this.align));
    let y: tf.Tensor4D;
    try {
      y = await this.net.forward(x, cancelled);
    } finally {
      x.dispose();
    }
    const out = tf.tidy(() => {
      const crop = y.shape[1] === h * s && y.shape[2] === w * s ? y : tf.slice(y, [0, 0, 0, 0], [1, h * s, w * s, 3]);
      return tf.mul(crop, 255);
    });
    y.dispose();
    return takeFloats(out);
  }
  dispose(): void {
    this.net.dispose();
  }
}

/** A .pth/.safetensors file run directly (no import). */
export function loadTorchSrRunner(file: string, name = path.basename(file)): TorchSrRunner {
  return new TorchSrRunner(name, loadSrNetwork(file).net);
}
