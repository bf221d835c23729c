// RRDBNet (ESRGAN; Real-ESRGAN x4plus / x2plus) for inference, from a detected state dict.
// forward: [optional pixel_unshuffle] -> conv_first -> blocks of 3 residual dense blocks ->
// conv_body, + skip -> (nearest x2, conv, LeakyReLU) per upsampling step -> conv_hr, LeakyReLU
// -> conv_last. Images in [0, 1], NHWC.
import * as tf from '@tensorflow/tfjs';
import type { DetectedSr, RrdbKeys, RrdbParams } from './detect';
import type { StateDict } from './stateDict';
import { chain, conv3, disposeConv, makeConv, nearestUp, pixelUnshuffle, type Conv } from './torchOps';
import type { SrNetwork } from './network';

type RrdbDetected = Extract<DetectedSr, { arch: 'RRDBNet' }>;

export class RrdbNet implements SrNetwork {
  private readonly first: Conv;
  /** [block][rdb][conv]; conv5 carries the dense block's 0.2 residual scale in its weights. */
  private readonly body: Conv[][][];
  private readonly bodyConv: Conv;
  private readonly ups: Conv[];
  private readonly hr: Conv;
  private readonly last: Conv;
  readonly params: RrdbParams;
  readonly scale: number;

  constructor(sd: StateDict, d: RrdbDetected) {
    const k: RrdbKeys = d.keys;
    const c = (key: { weight: string; bias: string }, scale = 1) =>
      makeConv(sd.get(key.weight)!, sd.get(key.bias)!, scale);
    this.params = d.params;
    this.scale = d.scale;
    this.first = c(k.first);
    this.body = k.body.map((rrdb) => rrdb.map((rdb) => rdb.map((key, i) => c(key, i === 4 ? 0.2 : 1))));
    this.bodyConv = c(k.bodyConv);
    this.ups = k.ups.map((u) => c(u));
    this.hr = c(k.hr);
    this.last = c(k.last);
  }

  /** The input side a tile must be a multiple of. */
  get align(): number {
    return this.params.unshuffle;
  }

  /**
   * Context (input pixels) a tile needs so that tiled output stays within a grey level of a
   * whole-image pass: the receptive field (one feature pixel per 3x3 conv, 15 a block; a
   * feature pixel is `unshuffle` input pixels) capped at 60 feature pixels, plus the cross-fade.
   * The cap is measured, not the theoretical ~350 of 23 blocks: with Real-ESRGAN x4plus's
   * weights, tiles differ from one pass by at most 5 grey levels at margin 32, 2 at 40, 1 at 48
   * and 64 (mean 0.011 and 0.0013; 2026-11-30, a 240x32 photo strip, tiles of 48); in 2-D (a
   * 160x160 photo against its 128x128 corner) pixels 32, 40 and 48+ from the cut differ by 6, 2, 1.
   */
  get margin(): number {
    return Math.min(4 + 15 * this.params.blocks, 60) * this.params.unshuffle + 4;
  }

  /** Tiles of 256 feature pixels, so that the margin costs 2.3x rather than 2.8x at 192. */
  get tile(): number {
    return 256 * this.params.unshuffle;
  }

  async forward(x: tf.Tensor4D, cancelled?: () => boolean): Promise<tf.Tensor4D> {
    const u = this.params.unshuffle;
    const feat = tf.tidy(() => conv3(u > 1 ? pixelUnshuffle(x, u) : x, this.first));
    let trunk: tf.Tensor4D | undefined;
    try {
      // One tidy per block and per tail step: only one step's intermediates are alive at once.
      trunk = await chain(
        feat,
        this.body.map((block) => (t: tf.Tensor4D) => rrdb(t, block)),
        cancelled,
      );
      const skip = trunk;
      return await chain(
        skip,
        [
          (t) => tf.add(feat, conv3(t, this.bodyConv)),
          ...this.ups.map((up) => (t: tf.Tensor4D) => conv3(nearestUp(t, 2), up, true)),
          (t) => conv3(t, this.hr, true),
          (t) => conv3(t, this.last),
        ],
        cancelled,
      );
    } finally {
      if (trunk !== feat) trunk?.dispose();
      feat.dispose();
    }
  }

  dispose(): void {
    for (const c of [this.first, ...this.body.flat(2), this.bodyConv, ...this.ups, this.hr, this.last]) disposeConv(c);
  }
}

/** x1 = lrelu(conv1(x)), x2 = lrelu(conv2([x, x1])), ... x + 0.2 * conv5([x, x1..x4]). */
function denseBlock(x: tf.Tensor4D, convs: Conv[]): tf.Tensor4D {
  const feats: tf.Tensor4D[] = [x];
  for (let i = 0; i < 4; i++) feats.push(conv3(feats.length === 1 ? x : tf.concat(feats, 3), convs[i], true));
  return tf.add(x, conv3(tf.concat(feats, 3), convs[4]));
}

/** Three dense blocks and the block's own 0.2 residual scale. */
function rrdb(x: tf.Tensor4D, rdbs: Conv[][]): tf.Tensor4D {
  let y = x;
  for (const convs of rdbs) y = denseBlock(y, convs);
  return tf.add(x, tf.mul(y, 0.2));
}
