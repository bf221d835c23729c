// Whole training steps agree across backends: every model family trains 2 steps from the same
// seed with `gan train` on cpu (the reference), native, wasm and webgpu, and each loss of each
// step must match cpu's to a relative 1e-3. Kernels can pass one by one and a step still differ
// (a gradient not covered, an op in another order, a seed used differently): this catches it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runGan } from '../lib/cli';

export const LOSS_TOLERANCE = 1e-3;
/** GAN_CONFORMANCE_BACKENDS=webgpu (a comma list) runs only those; CI runs all three. */
const BACKENDS = (['native', 'wasm', 'webgpu'] as const).filter((b) =>
  (process.env.GAN_CONFORMANCE_BACKENDS ?? b).split(',').includes(b),
);

function gan(args: string[]): string {
  const r = runGan(args, { timeout: 300_000 });
  assert.equal(r.code, 0, `gan ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

const mnist = { dataset: { kind: 'mnist', limit: 64 }, params: { latentDim: 8, ngf: 4, ndf: 4 } };
/** Small sizes so 4 backends x 6 families stay quick; the families' networks are the built-in ones. */
const SHRINK: Record<string, Record<string, unknown>> = {
  gan: mnist,
  dcgan: mnist,
  cgan: mnist,
  pix2pix: { imageSize: 32, params: { ngf: 4, ndf: 4 } },
  cyclegan: { imageSize: 32, params: { ngf: 4, ndf: 4, residualBlocks: 1, poolSize: 2 } },
  srgan: { imageSize: 32, batchSize: 2, params: { ngf: 4, ndf: 4, residualBlocks: 1, pretrainSteps: 1 } },
};

/** A config as `gan init` writes it (example images included), shrunk, without the model file. */
function makeConfig(root: string, kind: string): string {
  const dir = path.join(root, kind);
  gan(['init', kind, dir]);
  const file = path.join(dir, 'gan.config.json');
  const cfg = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
  delete cfg.modelFile;
  const s = SHRINK[kind];
  Object.assign(cfg, s, {
    batchSize: s.batchSize ?? 4,
    logEvery: 1,
    seed: 7,
    params: { ...(cfg.params as object), ...(s.params as object) },
  });
  fs.writeFileSync(file, JSON.stringify(cfg, null, 2));
  return file;
}

/** Wall time of `gan train` per backend, all families. */
const seconds = new Map<string, number>();

/** Losses of steps 1 and 2, by name. */
function losses(config: string, backend: string): Array<Record<string, number>> {
  const runDir = path.join(path.dirname(config), `run-${backend}`);
  const t0 = Date.now();
  gan(['train', config, '--backend', backend, '--max-steps', '2', '--run-dir', runDir]);
  seconds.set(backend, (seconds.get(backend) ?? 0) + (Date.now() - t0) / 1000);
  const records = fs
    .readFileSync(path.join(runDir, 'metrics.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { step: number; backend: string; losses: Record<string, number> })
    .filter((r) => r.step >= 1);
  assert.deepEqual(
    records.map((r) => r.step),
    [1, 2],
  );
  assert.ok(
    records.every((r) => r.backend === backend),
    `trained on ${records[0]?.backend}, not ${backend}`,
  );
  return records.map((r) => r.losses);
}

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'gan-xbackend-'));
const worst = new Map<string, number>(BACKENDS.map((b) => [b, 0]));
for (const kind of Object.keys(SHRINK)) {
  test(`training: ${kind}: the first 2 steps' losses on ${BACKENDS.join(', ')} match cpu within ${LOSS_TOLERANCE}`, () => {
    const config = makeConfig(root, kind);
    const ref = losses(config, 'cpu');
    for (const backend of BACKENDS) {
      const got = losses(config, backend);
      ref.forEach((stepRef, i) => {
        assert.deepEqual(Object.keys(got[i]).sort(), Object.keys(stepRef).sort());
        for (const [name, r] of Object.entries(stepRef)) {
          const rel = Math.abs(got[i][name] - r) / Math.max(Math.abs(r), 1e-6);
          worst.set(backend, Math.max(worst.get(backend)!, rel));
          assert.ok(
            rel < LOSS_TOLERANCE,
            `${backend} step ${i + 1} ${name}: ${got[i][name]} vs cpu ${r} (relative ${rel.toExponential(2)})`,
          );
        }
      });
    }
  });
}
test.after(() => {
  for (const [backend, w] of worst) {
    process.stdout.write(
      `# ${backend}: largest relative loss difference against cpu ${w.toExponential(2)}, ${(seconds.get(backend) ?? 0).toFixed(0)} s\n`,
    );
  }
  fs.rmSync(root, { recursive: true, force: true });
});
