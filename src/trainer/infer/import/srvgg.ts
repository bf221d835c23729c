// SRVGGNetCompact (Real-ESRGAN's compact models, e.g. realesr-general-x4v3) for inference:
// conv + PReLU repeated at low resolution, a last conv to 3*s*s channels, pixel_shuffle(s),
// plus the input upsampled by nearest neighbour. Images in [0, 1], NHWC.
import * as tf from '@tensorflow/tfjs';
import type { DetectedSr, SrvggParams } from './detect';
import type { StateDict } from './stateDict';
import { chain, conv3, disposeConv, makeConv, nearestUp, pixelShuffle, type Conv } from './torchOps';
import type { SrNetwork } from './network';

type SrvggDetected = Extract<DetectedSr, { arch: 'SRVGGNetCompact' }>;

/** Half-width of the cross-fade between tiles (upscale.ts's default blend). */
const BLEND = 4;

export class SrvggNet implements SrNetwork {
  private readonly convs: Conv[];
  /** PyTorch's PReLU(num_parameters=nf): one slope per channel, broadcast over NHWC. */
  private readonly slopes: tf.Tensor4D[];
  readonly params: SrvggParams;
  readonly scale: number;
  readonly align = 1;

  constructor(sd: StateDict, d: SrvggDetected) {
    this.params = d.params;
    this.scale = d.scale;
    this.convs = d.keys.convs.map((k) => makeConv(sd.get(k.weight)!, sd.get(k.bias)!));
    this.slopes = d.keys.prelus.map((k) => tf.tensor4d(sd.get(k)!.data, [1, 1, 1, d.params.nf]));
  }

  /** One pixel per 3x3 conv at input resolution, plus the cross-fade: tiles then match exactly. */
  get margin(): number {
    return this.convs.length + BLEND;
  }

  forward(x: tf.Tensor4D, cancelled?: () => boolean): Promise<tf.Tensor4D> {
    const n = this.convs.length;
    const act = (t: tf.Tensor4D, i: number) => (this.slopes.length ? tf.prelu(t, this.slopes[i]) : tf.relu(t));
    return chain(
      x,
      [
        ...this.convs.slice(0, n - 1).map((c, i) => (t: tf.Tensor4D) => act(conv3(t, c), i)),
        (t) => tf.add(pixelShuffle(conv3(t, this.convs[n - 1]), this.scale), nearestUp(x, this.scale)),
      ],
      cancelled,
    );
  }

  dispose(): void {
    for (const c of this.convs) disposeConv(c);
    for (const s of this.slopes) s.dispose();
  }
}
