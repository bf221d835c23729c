// recipes/sr/interpolate.mjs (ESRGAN's network interpolation) straight from a shipped model:
// the fidelity side may be stored as float16 (float16.mjs), the result is a float32 model that
// tfjs loads, and alpha 0 / 1 give back each side's weights exactly.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../src/trainer/engine/backend';
import { loadModel, saveModel } from '../../src/trainer/engine/modelIO';
import { Rng } from '../../src/trainer/engine/rng';
import { tmpDir } from './helpers';
import { tinySrGenerator } from './srHelpers';

before(async () => {
  await initBackend('cpu');
});

const node = (script: string, ...args: string[]) =>
  spawnSync(process.execPath, [path.resolve('recipes/sr', script), ...args], { encoding: 'utf8' });

/** A small generator with random weights (seeded), saved as float32 in dir. */
async function savedGenerator(dir: string, seed: number): Promise<number[][]> {
  const g = tinySrGenerator();
  const rng = new Rng(seed);
  const values = g.getWeights().map((w) => Array.from(w.dataSync(), () => rng.normal() * 0.3));
  g.setWeights(values.map((v, i) => tf.tensor(v, g.getWeights()[i].shape)));
  await saveModel(g, dir);
  g.dispose();
  return values;
}

const weightsOf = async (dir: string) => {
  const m = await loadModel(dir);
  const w = m.getWeights().map((t) => Array.from(t.dataSync()));
  m.dispose();
  return w;
};

test('recipes/sr/interpolate.mjs takes a float16 fidelity model; alpha 0 and 1 give each side back exactly', async () => {
  const dir = tmpDir('gan-interp-');
  const [fid, gan] = [path.join(dir, 'fidelity'), path.join(dir, 'gan')];
  await savedGenerator(fid, 1);
  const ganValues = await savedGenerator(gan, 2);
  assert.equal(node('float16.mjs', fid).status, 0);
  const fidValues = await weightsOf(fid); // as tfjs reads the float16 file
  for (const alpha of ['0', '1', '0.25']) {
    const out = path.join(dir, `a${alpha}`);
    const r = node('interpolate.mjs', fid, gan, alpha, out);
    assert.equal(r.status, 0, r.stderr);
    const json = JSON.parse(fs.readFileSync(path.join(out, 'model.json'), 'utf8'));
    assert.ok(
      json.weightsManifest[0].weights.every((w: { quantization?: unknown }) => !w.quantization),
      'float32 out',
    );
    const got = await weightsOf(out);
    const a = Number(alpha);
    got.forEach((w, i) =>
      w.forEach((v, j) => {
        const want = Math.fround((1 - a) * fidValues[i][j] + a * Math.fround(ganValues[i][j]));
        assert.ok(
          Math.abs(v - want) <= 1e-6 * Math.max(1, Math.abs(want)),
          `alpha ${alpha} weight ${i}[${j}]: ${v} vs ${want}`,
        );
      }),
    );
  }
  // A folder that is neither float32 nor float16 as float16.mjs writes it is refused with one line.
  const bad = path.join(dir, 'bad');
  fs.cpSync(gan, bad, { recursive: true });
  fs.writeFileSync(path.join(bad, 'weights.bin'), Buffer.alloc(10));
  const r = node('interpolate.mjs', fid, bad, '0.5', path.join(dir, 'x'));
  assert.equal(r.status, 2);
  assert.match(r.stderr.trim(), /^\S+bad: \S*weights\.bin holds 10 bytes, model\.json declares \d+ float32 values$/);
});
