// runTraining on the cpu backend with tiny real-MNIST configs: the run folder a user gets,
// resume, reproducibility, tensor leaks and bad input.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { MetricsRecord } from '../../src/shared/runDir';
import type { TrainControl } from '../../src/trainer/train/api';
import { gan } from '../../src/trainer/models/gan';
import { DivergedError, InputError } from '../../src/trainer/train/errors';
import { runTraining } from '../../src/trainer/train/run';
import { lossesOf, readMetrics, readPng, tmpDir, writeConfig } from './helpers';

const cpu = { backend: 'cpu' as const };

test('train: a 3-step run writes the whole run folder', async () => {
  const dir = tmpDir();
  const configPath = writeConfig(dir);
  const runDir = path.join(dir, 'run');
  const seen = {
    started: 0,
    metrics: [] as number[],
    samples: [] as number[],
    checkpoints: [] as number[],
    log: [] as string[],
  };
  const result = await runTraining(
    { configPath, runDir, ...cpu },
    {
      started: (s) => {
        seen.started++;
        assert.equal(s.step, 0);
        assert.equal(s.totalSteps, 3);
        assert.equal(s.backend, 'cpu');
      },
      metrics: (m) => seen.metrics.push(m.step),
      sample: (s) => seen.samples.push(s.step),
      checkpoint: (c) => seen.checkpoints.push(c.step),
      log: (l) => seen.log.push(l),
    },
  );
  assert.deepEqual(result, { runDir, step: 3, status: 'finished' });
  assert.deepEqual(seen.metrics, [1, 2, 3]);
  assert.deepEqual(seen.samples, [0, 2, 3]);
  assert.deepEqual(seen.checkpoints, [2, 3]);

  const cfg = JSON.parse(fs.readFileSync(path.join(runDir, 'config.json'), 'utf8'));
  assert.equal(cfg.model, 'gan');
  assert.deepEqual(cfg.optimizer, { lr: 0.0002, beta1: 0.5, beta2: 0.999 });

  const m = readMetrics(runDir);
  assert.deepEqual(
    m.map((r) => r.step),
    [1, 2, 3],
  );
  for (const r of m) {
    assert.equal(r.backend, 'cpu');
    assert.equal(r.epoch, 1);
    assert.equal(r.lr, 0.0002);
    assert.ok(Number.isFinite(r.losses.dLoss) && Number.isFinite(r.losses.gLoss));
    assert.ok(
      r.dReal !== undefined && r.dReal > 0 && r.dReal < 1 && r.dFake !== undefined && r.dFake > 0 && r.dFake < 1,
    );
    assert.ok(r.msPerStep > 0 && r.numTensors > 0 && r.rssMB > 0);
    assert.ok(!Number.isNaN(Date.parse(r.time)));
  }

  const events = fs.readFileSync(path.join(runDir, 'events.log'), 'utf8');
  assert.match(events, /^backend cpu$/m);
  assert.match(
    events,
    /^step 2\/3 {2}dLoss \d+\.\d{3} {2}gLoss \d+\.\d{3} {2}D\(x\) \d\.\d\d {2}D\(G\(z\)\) \d\.\d\d {2}\d+\.\d ms\/step$/m,
  );
  assert.match(events, /^checkpoint checkpoints\/step-00000002$/m);
  assert.deepEqual(seen.log, events.trim().split('\n'));

  // 64 samples in an 8x8 grid of 28 px images with 2 px borders
  for (const s of ['step-00000000.png', 'step-00000002.png', 'step-00000003.png']) {
    const png = readPng(path.join(runDir, 'samples', s));
    assert.deepEqual([png.width, png.height], [242, 242]);
  }
  const plot = readPng(path.join(runDir, 'loss.png'));
  assert.deepEqual([plot.width, plot.height], [800, 400]);
  const coloured = new Set<string>();
  for (let i = 0; i < plot.data.length; i += 4) {
    const [r, g, b] = [plot.data[i], plot.data[i + 1], plot.data[i + 2]];
    if (Math.max(r, g, b) - Math.min(r, g, b) > 80) coloured.add(r > b ? 'red' : 'blue');
  }
  assert.deepEqual([...coloured].sort(), ['blue', 'red'], 'one coloured line per loss');

  const ck = path.join(runDir, 'checkpoints');
  assert.deepEqual(fs.readdirSync(ck).sort(), ['latest', 'step-00000002', 'step-00000003']);
  for (const net of ['generator', 'discriminator']) {
    for (const f of ['model.json', 'weights.bin', 'optimizer.json', 'optimizer.bin'])
      assert.ok(fs.existsSync(path.join(ck, 'latest', net, f)), `${net}/${f}`);
  }
  const state = JSON.parse(fs.readFileSync(path.join(ck, 'latest', 'state.json'), 'utf8'));
  assert.equal(state.step, 3);
  assert.equal(state.model, 'gan');
  assert.equal(state.sampleSeed, 1);
  assert.equal(state.rng.s.length, 4);
});

test('train: same seed twice = identical losses and samples; another seed differs', async () => {
  const dir = tmpDir();
  const configPath = writeConfig(dir, { steps: 4, seed: 7 });
  const a = path.join(dir, 'a'),
    b = path.join(dir, 'b'),
    c = path.join(dir, 'c');
  await runTraining({ configPath, runDir: a, ...cpu });
  await runTraining({ configPath, runDir: b, ...cpu });
  await runTraining({ configPath, runDir: c, seed: 8, ...cpu });
  assert.deepEqual(lossesOf(readMetrics(a)), lossesOf(readMetrics(b)));
  assert.notDeepEqual(lossesOf(readMetrics(a)), lossesOf(readMetrics(c)));
  const sample = (r: string) => fs.readFileSync(path.join(r, 'samples', 'step-00000004.png'));
  assert.ok(sample(a).equals(sample(b)), 'same sample grid');
  assert.ok(!sample(a).equals(sample(c)));
});

test('train: stop then resume continues at the right step, with the same numbers as one straight run', async () => {
  const dir = tmpDir();
  const configPath = writeConfig(dir, { steps: 6, checkpointEvery: 100, sampleEvery: 100 });
  const straight = path.join(dir, 'straight'),
    split = path.join(dir, 'split');
  await runTraining({ configPath, runDir: straight, ...cpu });

  const control: TrainControl = { stop: false, paused: false, sampleNow: false };
  const first = await runTraining(
    { configPath, runDir: split, ...cpu },
    {
      metrics: (m) => {
        if (m.step === 3) control.stop = true;
      },
    },
    control,
  );
  assert.deepEqual(first, { runDir: split, step: 3, status: 'stopped' });
  assert.ok(fs.existsSync(path.join(split, 'checkpoints', 'step-00000003', 'state.json')), 'a stop saves a checkpoint');

  const started: number[] = [];
  const second = await runTraining(
    { configPath, runDir: split, resume: true, ...cpu },
    { started: (s) => started.push(s.step) },
  );
  assert.deepEqual(started, [3]);
  assert.deepEqual(second, { runDir: split, step: 6, status: 'finished' });
  const m = readMetrics(split);
  assert.deepEqual(
    m.map((r) => r.step),
    [1, 2, 3, 4, 5, 6],
    'no duplicate or missing steps',
  );
  const s = readMetrics(straight);
  for (let i = 0; i < 6; i++) {
    for (const k of ['dLoss', 'gLoss']) {
      const rel = Math.abs(m[i].losses[k] - s[i].losses[k]) / Math.abs(s[i].losses[k]);
      assert.ok(rel < 1e-5, `step ${i + 1} ${k}: ${m[i].losses[k]} vs ${s[i].losses[k]}`);
    }
  }
  // the same fixed sample inputs after the resume
  const final = (r: string) => fs.readFileSync(path.join(r, 'samples', 'step-00000006.png'));
  assert.ok(final(split).equals(final(straight)));
  assert.match(fs.readFileSync(path.join(split, 'events.log'), 'utf8'), /^resume .* from step 3 /m);
});

test('train: metrics logged after the last checkpoint are not duplicated by a resume', async () => {
  const dir = tmpDir();
  const configPath = writeConfig(dir, { steps: 5, checkpointEvery: 2, sampleEvery: 100 });
  const runDir = path.join(dir, 'run');
  await runTraining({ configPath, runDir, maxSteps: 5, ...cpu });
  // As after a kill at step 5 before its checkpoint: latest is step 4, metrics go to 5.
  fs.rmSync(path.join(runDir, 'checkpoints', 'latest'), { recursive: true });
  fs.rmSync(path.join(runDir, 'checkpoints', 'step-00000005'), { recursive: true });
  await runTraining({ configPath, runDir, resume: true, maxSteps: 6, ...cpu });
  assert.deepEqual(
    readMetrics(runDir).map((r) => r.step),
    [1, 2, 3, 4, 5, 6],
  );
});

test('train: numTensors is flat from step 4 on (samples and checkpoints included)', async () => {
  const dir = tmpDir();
  const configPath = writeConfig(dir, { steps: 10, sampleEvery: 3, checkpointEvery: 4 });
  const runDir = path.join(dir, 'run');
  await runTraining({ configPath, runDir, ...cpu });
  const counts = readMetrics(runDir)
    .filter((r: MetricsRecord) => r.step >= 4)
    .map((r) => r.numTensors);
  assert.equal(counts.length, 7);
  assert.ok(
    counts.every((n) => n === counts[0]),
    `numTensors ${counts.join(' ')}`,
  );
});

test('train: dcgan and cgan train on the cpu backend; the cGAN grid has a row per label', async () => {
  const dir = tmpDir();
  for (const model of ['dcgan', 'cgan']) {
    const configPath = writeConfig(
      dir,
      { model, steps: 1, batchSize: 4, params: { latentDim: 4, ngf: 2, ndf: 2 } },
      `${model}.json`,
    );
    const runDir = path.join(dir, model);
    const r = await runTraining({ configPath, runDir, ...cpu });
    assert.equal(r.status, 'finished');
    const png = readPng(path.join(runDir, 'samples', 'step-00000001.png'));
    const side = model === 'cgan' ? 10 * 30 + 2 : 8 * 30 + 2;
    assert.deepEqual([png.width, png.height], [side, side]);
    assert.equal(readMetrics(runDir).length, 1);
  }
});

test('train: bad input fails before anything is written or changed', async () => {
  const dir = tmpDir();
  const configPath = writeConfig(dir, { steps: 2 });
  const runDir = path.join(dir, 'run');
  await runTraining({ configPath, runDir, ...cpu });
  const before = fs.readFileSync(path.join(runDir, 'metrics.jsonl'));

  await assert.rejects(
    runTraining({ configPath, runDir, ...cpu }),
    (e: Error) => e instanceof InputError && /already holds a run: add --resume/.test(e.message),
  );
  assert.ok(fs.readFileSync(path.join(runDir, 'metrics.jsonl')).equals(before));

  const changed = writeConfig(dir, { steps: 4, params: { latentDim: 9, ngf: 4, ndf: 4 } }, 'changed.json');
  await assert.rejects(
    runTraining({ configPath: changed, runDir, resume: true, ...cpu }),
    /cannot resume: "params.latentDim" changed from 8 to 9/,
  );
  assert.ok(fs.readFileSync(path.join(runDir, 'metrics.jsonl')).equals(before));

  await assert.rejects(
    runTraining({ configPath, runDir: path.join(dir, 'none'), resume: true, ...cpu }),
    /run folder not found/,
  );

  const fm = writeConfig(dir, { dataset: { kind: 'fashion-mnist' } }, 'fm.json');
  await assert.rejects(
    runTraining({ configPath: fm, runDir: path.join(dir, 'fm'), ...cpu }),
    /Fashion-MNIST not found/,
  );
  assert.ok(!fs.existsSync(path.join(dir, 'fm')), 'no run folder for a run that could not start');

  const empty = path.join(dir, 'no-images');
  fs.mkdirSync(empty);
  const p2p = writeConfig(dir, { model: 'pix2pix', dataset: { kind: 'paired', path: empty } }, 'p2p.json');
  await assert.rejects(
    runTraining({ configPath: p2p, runDir: path.join(dir, 'p2p'), ...cpu }),
    /no image pairs in A\|B images in /,
  );
  assert.ok(!fs.existsSync(path.join(dir, 'p2p')), 'no run folder when the data set is empty');

  const big = writeConfig(dir, { batchSize: 512 }, 'big.json');
  await assert.rejects(
    runTraining({ configPath: big, runDir: path.join(dir, 'big'), ...cpu }),
    /"batchSize" 512 is larger than the data set \(256 images\)/,
  );
});

test('train: default run folder is <config folder>/runs/<name>-<timestamp>, and --resume finds it', async () => {
  const dir = tmpDir();
  const configPath = writeConfig(dir, { steps: 2 });
  const r = await runTraining({ configPath, ...cpu });
  assert.equal(path.dirname(r.runDir), path.join(dir, 'runs'));
  assert.match(path.basename(r.runDir), /^tiny-\d{8}-\d{6}$/);
  const again = await runTraining({ configPath, resume: true, maxSteps: 3, ...cpu });
  assert.equal(again.runDir, r.runDir);
  assert.equal(again.step, 3);
});

test('train: a NaN loss stops the run with the step and the loss named; the last good checkpoint stays', async () => {
  const dir = tmpDir();
  const configPath = writeConfig(dir, { steps: 10, checkpointEvery: 2, sampleEvery: 100 });
  const runDir = path.join(dir, 'run');
  const real = gan.trainStep;
  let calls = 0;
  // The real step, with its gLoss replaced by NaN at step 5 (as a diverging run would report it).
  gan.trainStep = async (ctx, batch) => {
    const r = await real(ctx, batch);
    return ++calls === 5 ? { ...r, losses: { ...r.losses, gLoss: NaN } } : r;
  };
  try {
    await assert.rejects(
      runTraining({ configPath, runDir, ...cpu }),
      (e: Error) =>
        e instanceof DivergedError &&
        /gLoss is NaN at step 5/.test(e.message) &&
        /checkpoints\/step-00000004 \(step 4\)/.test(e.message),
    );
  } finally {
    gan.trainStep = real;
  }
  const state = JSON.parse(fs.readFileSync(path.join(runDir, 'checkpoints', 'latest', 'state.json'), 'utf8'));
  assert.equal(state.step, 4);
  assert.match(fs.readFileSync(path.join(runDir, 'events.log'), 'utf8'), /^ERROR gLoss is NaN at step 5/m);
  const last = readMetrics(runDir).at(-1);
  assert.equal(last?.step, 5);
  assert.equal(last?.losses.gLoss, null, 'NaN is written as null in metrics.jsonl');
});

test('train: paused runs wait, and "sample now" still draws a grid while paused', async () => {
  const dir = tmpDir();
  const configPath = writeConfig(dir, { steps: 2, sampleEvery: 100, checkpointEvery: 100 });
  const control: TrainControl = { stop: false, paused: true, sampleNow: true };
  const samples: number[] = [];
  const metrics: number[] = [];
  const r = await runTraining(
    { configPath, runDir: path.join(dir, 'run'), ...cpu },
    {
      sample: (s) => {
        samples.push(s.step);
        if (samples.length === 2) {
          assert.deepEqual(metrics, [], 'no step while paused');
          control.paused = false;
        }
      },
      metrics: (m) => metrics.push(m.step),
    },
    control,
  );
  assert.equal(r.status, 'finished');
  assert.deepEqual(samples, [0, 0, 2]);
});
