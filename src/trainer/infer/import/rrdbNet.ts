// RRDBNet (ESRGAN; Real-ESRGAN x4plus / x2plus) for inference, from a detected state dict.
// forward: [optional pixel_unshuffle] -> conv_first -> blocks of 3 residual dense blocks ->
// conv_body, + skip -> (nearest x2, conv, LeakyReLU) per upsampling step -> conv_hr, LeakyReLU
// -> conv_last. Images in [0, 1], NHWC.
import * as tf from '@tensorflow/tfjs';
import type { DetectedSr, RrdbKeys, RrdbParams } from './detect';
import type { StateDict } from './stateDict';
import { conv3, disposeConv, makeConv, nearestUp, pixelUnshuffle, type Conv } from './torchOps';
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
   * whole-image pass. The theoretical receptive field (one pixel per 3x3 conv, ~350 for 23
   * blocks) is far wider than where these networks actually look; see srImport.test.ts.
   */
  get margin(): number {
    return 32;
  }

  forward(x: tf.Tensor4D): tf.Tensor4D {
    const feat = tf.tidy(() => {
      const u = this.params.unshuffle;
      return conv3(u > 1 ? pixelUnshuffle(x, u) : x, this.first);
    });
    // One tidy per block, so only a block's intermediates are alive at once (23 blocks of
    // dense concatenations kept together would take gigabytes on a 256 px tile).
    let cur = feat;
    try {
      for (const block of this.body) {
        const next = tf.tidy(() => rrdb(cur, block));
        if (cur !== feat) cur.dispose();
        cur = next;
      }
      const trunk = cur;
      return tf.tidy(() => {
        let f: tf.Tensor4D = tf.add(feat, conv3(trunk, this.bodyConv));
        for (const up of this.ups) f = conv3(nearestUp(f, 2), up, true);
        return conv3(conv3(f, this.hr, true), this.last);
      });
    } finally {
      if (cur !== feat) cur.dispose();
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
