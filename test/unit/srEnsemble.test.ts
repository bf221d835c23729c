// Self-ensemble (gan upscale / eval-sr --ensemble): the 8 orientations are turned back
// correctly (the result of a flipped or transposed photo is the flipped or transposed result,
// which a wrong inverse or a plain model breaks), tiling stays seamless, and cancel stops it.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { initBackend } from '../../src/trainer/engine/backend';
import { selfEnsemble } from '../../src/trainer/infer/selfEnsemble';
import { upscaleImage } from '../../src/trainer/infer/upscale';
import type { SrRunner } from '../../src/trainer/infer/srModels';
import { texture } from './srHelpers';
import { runnerFor, upscaleAll } from './srRunners';

before(async () => {
  await initBackend('cpu');
});

/** [h, w, 3] floats turned a quarter: transposed, then mirrored left-right. */
function quarterTurn(a: Float32Array, h: number, w: number): Float32Array {
  const out = new Float32Array(a.length);
  for (let y = 0; y < w; y++)
    for (let x = 0; x < h; x++) for (let c = 0; c < 3; c++) out[(y * h + x) * 3 + c] = a[((h - 1 - x) * w + y) * 3 + c];
  return out;
}

/** Largest difference between the result of the turned image and the turned result. */
async function turnError(r: SrRunner, h: number, w: number): Promise<number> {
  const img = Float32Array.from(texture(w, h).data),
    s = r.scale;
  const ofTurned = await r.run(quarterTurn(img, h, w), w, h);
  const turned = quarterTurn(await r.run(img, h, w), h * s, w * s);
  return ofTurned.reduce((m, v, i) => Math.max(m, Math.abs(v - turned[i])), 0);
}

test('self-ensemble: the result of a turned photo is the turned result (a plain random model is not)', async () => {
  for (const scale of [2, 4]) {
    const plain = runnerFor(scale),
      ensemble = selfEnsemble(plain);
    assert.equal(ensemble.scale, scale);
    assert.ok((await turnError(plain, 13, 20)) > 1, 'the test model should depend on orientation');
    const e = await turnError(ensemble, 13, 20);
    assert.ok(e < 1e-3, `x${scale}: ensemble differs from its turned self by ${e}`);
    ensemble.dispose();
  }
});

/** Nearest-neighbour enlargement as a runner: it commutes with every flip and turn. */
function nearestRunner(scale: number): SrRunner {
  return {
    name: 'nearest',
    scale,
    async run(t, h, w) {
      const out = new Float32Array(h * w * scale * scale * 3);
      for (let y = 0; y < h * scale; y++)
        for (let x = 0; x < w * scale; x++)
          for (let c = 0; c < 3; c++)
            out[(y * w * scale + x) * 3 + c] = t[(Math.floor(y / scale) * w + Math.floor(x / scale)) * 3 + c];
      return out;
    },
    dispose() {},
  };
}

test('self-ensemble: a model that no turn changes gives exactly its own result (the mean of 8 equal ones)', async () => {
  const img = Float32Array.from(texture(11, 7).data);
  const [a, b] = [await nearestRunner(4).run(img, 7, 11), await selfEnsemble(nearestRunner(4)).run(img, 7, 11)];
  assert.deepEqual(Array.from(b), Array.from(a));
});

test('self-ensemble: tiled and untiled differ by at most 1 grey level; cancel stops it', async () => {
  const r = selfEnsemble(runnerFor(2));
  const img = texture(45, 38);
  const whole = await upscaleAll(img, r, 0),
    tiled = await upscaleAll(img, r, 16);
  let md = 0;
  for (let i = 0; i < whole.data.length; i++) md = Math.max(md, Math.abs(whole.data[i] - tiled.data[i]));
  assert.ok(md <= 1, `max difference ${md}`);
  let calls = 0;
  await assert.rejects(
    upscaleImage(texture(80, 50), r, () => {}, { tile: 24, cancelled: () => ++calls > 2 }),
    /cancelled/,
  );
  r.dispose();
});
