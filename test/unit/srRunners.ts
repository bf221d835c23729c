// SR test runners: a small random generator behind the SrRunner interface (its residual far
// from zero, so tiling or orientation mistakes show), and a whole-image upscale through the tiler.
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { buildSrGenerator } from '../../src/trainer/models/srgan/generator';
import { upscaleImage } from '../../src/trainer/infer/upscale';
import type { SrRunner } from '../../src/trainer/infer/srModels';
import type { RawImage } from '../../src/trainer/engine/image/types';

/** A random generator whose residual is far from zero (so tiling mistakes would show). */
export function runnerFor(scale: number): SrRunner & { model: tf.LayersModel } {
  const model = buildSrGenerator({
    scale,
    channels: 3,
    features: 8,
    blocks: 2,
    block: 'resnet',
    batchNorm: false,
    upsampler: 'lr',
  });
  const last = model.getLayer('to_rgb');
  last.setWeights(
    last.getWeights().map((w, i) => (i === 0 ? tf.mul(tf.randomNormal(w.shape, 0, 1, 'float32', 7), 0.05) : w)),
  );
  return {
    name: 'test',
    scale,
    model,
    async run(t, h, w) {
      return tf.tidy(() => {
        const y = model.predict(tf.sub(tf.div(tf.tensor4d(t, [1, h, w, 3]), 127.5), 1)) as tf.Tensor;
        return tf.mul(tf.add(y, 1), 127.5).dataSync() as Float32Array;
      });
    },
    dispose() {
      model.dispose();
    },
  };
}

export async function upscaleAll(img: RawImage, r: SrRunner, tile: number): Promise<RawImage> {
  const s = r.scale,
    W = img.width * s;
  const rows: Uint8Array[] = [];
  let n = 0;
  await upscaleImage(
    img,
    r,
    (b, count) => {
      rows.push(b.slice());
      n += count;
    },
    { tile },
  );
  const data = new Uint8Array(rows.reduce((a, b) => a + b.length, 0));
  let o = 0;
  for (const b of rows) {
    data.set(b, o);
    o += b.length;
  }
  assert.equal(n, img.height * s);
  assert.equal(data.length, W * img.height * s * img.channels);
  return { width: W, height: img.height * s, channels: img.channels, data };
}
