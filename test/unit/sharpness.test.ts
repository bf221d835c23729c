// The sharpness ratio of gan eval-sr (issue 17): a blurred upscale scores below 1, the
// original itself exactly 1, an image with added noise above 1; eval-sr reports it per image
// and as a mean, for bicubic and every model.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { initBackend } from '../../src/trainer/engine/backend';
import { resizeBytes } from '../../src/trainer/engine/image/resize';
import { encodeImage } from '../../src/trainer/engine/image/codec';
import { sharpnessRatio, meanGradient } from '../../src/trainer/infer/metrics';
import { evalSr, formatEvalTable } from '../../src/trainer/infer/evalSr';
import type { SrRunner } from '../../src/trainer/infer/srModels';
import { Rng } from '../../src/trainer/engine/rng';
import { texture } from './srHelpers';
import { tmpDir } from './helpers';

before(async () => {
  await initBackend('cpu');
});

const W = 96,
  H = 80;
const original = texture(W, H).data;

test('sharpness: the original scores 1, a x4 bicubic round trip well below, added noise above', () => {
  assert.equal(sharpnessRatio(original, original, W, H, 3, 4), 1);
  const blurred = resizeBytes(resizeBytes(original, W, H, 3, W / 4, H / 4), W / 4, H / 4, 3, W, H);
  const soft = sharpnessRatio(original, blurred, W, H, 3, 4);
  assert.ok(soft < 0.95, `blurred: ${soft}`);
  const rng = new Rng(3);
  const noisy = original.map((v) => Math.max(0, Math.min(255, v + Math.round(rng.normal() * 20))));
  const crisp = sharpnessRatio(original, noisy, W, H, 3, 4);
  assert.ok(crisp > 1.05, `noisy: ${crisp}`);
});

test('sharpness: a flat plane has no gradient; a step edge has the Sobel response of its height', () => {
  assert.equal(meanGradient(new Float32Array(25).fill(7), 5, 5), 0);
  // A vertical edge of height 10 between columns 1 and 2 of a 4x3 plane: Sobel gives 40 at
  // both interior columns (1 and 2), on the one interior row.
  const p = Float32Array.from([0, 0, 10, 10, 0, 0, 10, 10, 0, 0, 10, 10]);
  assert.equal(meanGradient(p, 4, 3), 40);
});

test('sharpness: eval-sr reports it per image and as a mean, for bicubic and each model', async () => {
  const dir = tmpDir('gan-sharp-');
  fs.writeFileSync(path.join(dir, 'a.png'), encodeImage(texture(W, H), 'png'));
  // A model that returns bicubic exactly: its sharpness must equal bicubic's.
  const bicubicModel: SrRunner = {
    name: 'bicubic-model',
    scale: 4,
    async run(tile, h, w) {
      const bytes = Uint8Array.from(tile, (v) => Math.round(v));
      return Float32Array.from(resizeBytes(bytes, w, h, 3, w * 4, h * 4));
    },
    dispose() {},
  };
  const r = await evalSr(dir, 4, [bicubicModel]);
  const im = r.images[0];
  assert.ok(im.bicubic.sharpness > 0 && im.bicubic.sharpness < 0.95, `${im.bicubic.sharpness}`);
  assert.ok(Math.abs(im.models['bicubic-model'].sharpness - im.bicubic.sharpness) < 0.02);
  assert.equal(r.mean.models['bicubic-model'].sharpness, im.models['bicubic-model'].sharpness);
  assert.match(formatEvalTable(r), /PSNR-Y \(dB\) \/ SSIM-Y \/ sharpness/);
  assert.match(formatEvalTable(r), /^mean +\d+\.\d\d \/ 0\.\d{4} \/ 0\.\d\d/m);
  fs.rmSync(dir, { recursive: true, force: true });
});
