// What a scenario's workspace holds: a small MNIST experiment config and a PNG to right-click.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { repoRoot } from './env.mjs';

const require = createRequire(path.join(repoRoot, 'package.json'));

/** A small, fast MNIST GAN: a few hundred steps at most, samples and logs often. */
export const MNIST_CONFIG = {
  name: 'it-mnist',
  model: 'gan',
  dataset: { kind: 'mnist' },
  imageSize: 28,
  batchSize: 16,
  steps: 400,
  seed: 1,
  optimizer: { lr: 0.0002, beta1: 0.5 },
  logEvery: 1,
  sampleEvery: 5,
  checkpointEvery: 50,
};

/** A w x h RGB PNG with a gradient and a square, so that an upscaler has edges to work on. */
export function makePng(w = 32, h = 24) {
  const { PNG } = require('pngjs');
  const png = new PNG({ width: w, height: h });
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = (y * w + x) * 4;
      const inSquare = x > w / 4 && x < (3 * w) / 4 && y > h / 4 && y < (3 * h) / 4;
      png.data[i] = inSquare ? 240 : Math.round((255 * x) / (w - 1));
      png.data[i + 1] = inSquare ? 200 : Math.round((255 * y) / (h - 1));
      png.data[i + 2] = inSquare ? 40 : 128;
      png.data[i + 3] = 255;
    }
  }
  return PNG.sync.write(png);
}

/** Creates the scenario workspace folder; returns its path. */
export function makeWorkspace(dir, { config = MNIST_CONFIG, png = { name: 'photo.png', width: 32, height: 24 } } = {}) {
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'gan.config.json'), `${JSON.stringify(config, null, 2)}\n`);
  if (png) writeFileSync(path.join(dir, png.name), makePng(png.width, png.height));
  return dir;
}

/**
 * Writes `config` to `file` and trains it to its last step with the CLI (dist/cli.js of the
 * packaged build) into `runDir`, before the workbench opens: the runs the scenario looks at.
 */
export function trainWithCli(file, config, runDir) {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(config, null, 2)}\n`);
  const args = [path.join(repoRoot, 'dist/cli.js'), 'train', file, '--run-dir', runDir];
  const r = spawnSync(process.execPath, [...args, '--max-steps', String(config.steps)], {
    encoding: 'utf8',
    timeout: 240_000,
  });
  assert.equal(r.status, 0, `gan train ${config.name} failed:\n${r.stdout}\n${r.stderr}`);
}
