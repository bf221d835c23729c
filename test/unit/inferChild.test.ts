// The real inference child (dist/trainer.js with GAN_STUDIO_INFER=1) as the extension drives
// it: an upscale with the shipped model at exactly 4x, a CycleGAN translation from a few-step
// run, a second request queued behind the first, a cancel mid-way that writes nothing, a
// corrupt file refused with its name and reason, and no overwrite of an existing result.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { fork, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  parseInferEvent,
  type InferEvent,
  type InferJob,
  type InferResult,
  type UpscaleJob,
} from '../../src/shared/inferProtocol';
import { readPng, tmpDir } from './helpers';
import { texture, writeImage } from './srHelpers';

let dir = '';
let child: ChildProcess;
let nextId = 1;
const events: InferEvent[] = [];
const waiters: (() => void)[] = [];

function send(m: object): void {
  child.send(m);
}
function run(job: InferJob): number {
  const id = nextId++;
  send({ type: 'run', id, job, options: { backend: 'native', threads: 1 } });
  return id;
}
async function until<T>(pick: () => T | undefined, ms = 120_000): Promise<T> {
  const t0 = Date.now();
  for (;;) {
    const v = pick();
    if (v !== undefined) return v;
    if (Date.now() - t0 > ms) throw new Error('timed out');
    await new Promise<void>((r) => {
      waiters.push(r);
      setTimeout(r, 200);
    });
  }
}
const response = (id: number) =>
  until(
    () =>
      events.find((e) => e.type === 'response' && e.id === id) as Extract<InferEvent, { type: 'response' }> | undefined,
  );
const visible = () =>
  fs
    .readdirSync(dir)
    .filter((n) => !fs.statSync(path.join(dir, n)).isDirectory())
    .sort();

before(() => {
  dir = tmpDir('gan-infer-child-');
  writeImage(path.join(dir, 'photo.png'), texture(40, 30, 3, 1));
  writeImage(path.join(dir, 'big.png'), texture(320, 256, 3, 2));
  fs.writeFileSync(
    path.join(dir, 'bad.png'),
    Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('but nothing else')]),
  );
  // A few-step CycleGAN run to translate with.
  for (let i = 0; i < 2; i++) writeImage(path.join(dir, 'data', 'trainA', `a${i}.png`), texture(36, 36, 3, i + 3));
  for (let i = 0; i < 2; i++) writeImage(path.join(dir, 'data', 'trainB', `b${i}.png`), texture(36, 36, 3, i + 5));
  fs.writeFileSync(
    path.join(dir, 'data', 'cg.json'),
    JSON.stringify({
      name: 'cg',
      model: 'cyclegan',
      dataset: { kind: 'unpaired', pathA: 'trainA', pathB: 'trainB' },
      imageSize: 32,
      batchSize: 1,
      steps: 2,
      seed: 1,
      logEvery: 1,
      sampleEvery: 2,
      checkpointEvery: 2,
      params: { ngf: 4, ndf: 4, residualBlocks: 1 },
    }),
  );
  const r = spawnSync(
    process.execPath,
    [
      path.resolve('dist/cli.js'),
      'train',
      path.join(dir, 'data', 'cg.json'),
      '--run-dir',
      path.join(dir, 'data', 'run'),
    ],
    { encoding: 'utf8', timeout: 300_000 },
  );
  assert.equal(r.status, 0, r.stderr);
  child = fork(path.resolve('dist/trainer.js'), [], {
    env: { ...process.env, GAN_STUDIO_INFER: '1' },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  child.on('message', (m) => {
    const e = parseInferEvent(m);
    assert.ok(e, `invalid message from the child: ${JSON.stringify(m)}`);
    events.push(e);
    waiters.splice(0).forEach((w) => w());
  });
});

after(() => {
  child?.kill();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** An upscale of a file in `dir` with the shipped model, x4 unless `extra` says otherwise. */
const upscaleJob = (input: string, output: string, extra: Partial<UpscaleJob> = {}): UpscaleJob => ({
  kind: 'upscale',
  input: path.join(dir, input),
  output: path.join(dir, output),
  scale: 4,
  model: 'default',
  ...extra,
});

test('upscale x4 with the shipped model, and a second request queued behind it', async () => {
  const a = run(upscaleJob('photo.png', 'photo.x4.png'));
  const b = run(upscaleJob('photo.png', 'photo.x2.png', { scale: 2 }));
  const ra = await response(a);
  const rb = await response(b);
  assert.ok(ra.ok && ra.result, JSON.stringify(ra));
  assert.ok(rb.ok && rb.result, JSON.stringify(rb));
  const png = readPng(path.join(dir, 'photo.x4.png'));
  assert.deepEqual([png.width, png.height], [160, 120]);
  const res = ra.result as InferResult;
  assert.deepEqual([res.width, res.height, res.inputWidth, res.inputHeight], [160, 120, 40, 30]);
  assert.deepEqual([readPng(path.join(dir, 'photo.x2.png')).width], [80]);
  // b started only after a answered: its first progress comes after a's response.
  const order = events.map((e) => `${e.type}:${'id' in e ? e.id : ''}`);
  assert.ok(order.indexOf(`response:${a}`) < order.indexOf(`progress:${b}`), order.join(' '));
});

test('upscale as a self-ensemble (the setting): the same size, a result a little off the plain one', async () => {
  const id = run(upscaleJob('photo.png', 'photo.x4.ens.png', { ensemble: true }));
  const r = await response(id);
  assert.ok(r.ok && r.result, JSON.stringify(r));
  assert.match((r.result as InferResult).model, /self-ensemble x8/);
  const [plain, ens] = [readPng(path.join(dir, 'photo.x4.png')), readPng(path.join(dir, 'photo.x4.ens.png'))];
  assert.deepEqual([ens.width, ens.height], [160, 120]);
  let sum = 0;
  for (let i = 0; i < ens.data.length; i++) sum += Math.abs(ens.data[i] - plain.data[i]);
  const mean = sum / ens.data.length;
  assert.ok(mean > 0.01 && mean < 3, `mean difference from the plain upscale: ${mean} grey levels`);
});

test('an existing result is kept: the next counter is used', async () => {
  const id = run(upscaleJob('photo.png', 'photo.x4.png'));
  const r = await response(id);
  assert.ok(r.ok && (r.result as InferResult)?.output === path.join(dir, 'photo.x4-2.png'), JSON.stringify(r));
});

test('cancel mid-way: answered as cancelled, nothing written (no result, no partial file)', async () => {
  const before = visible();
  const id = run(upscaleJob('big.png', 'big.x4.png', { tile: 32 }));
  await until(() => events.find((e) => e.type === 'progress' && e.id === id && e.done >= 1));
  send({ type: 'cancel', id: nextId++, target: id });
  const r = await response(id);
  assert.ok(!r.ok && r.cancelled, JSON.stringify(r));
  assert.deepEqual(visible(), before);
});

test('a corrupt file is refused with its name and reason; nothing written', async () => {
  const before = visible();
  const id = run(upscaleJob('bad.png', 'bad.x4.png'));
  const r = await response(id);
  assert.ok(
    !r.ok && r.kind === 'input' && r.error.startsWith(`${path.join(dir, 'bad.png')}: corrupt PNG`),
    JSON.stringify(r),
  );
  assert.deepEqual(visible(), before);
});

test('translate with a CycleGAN run, both directions, at the input size', async () => {
  const run1 = run({
    kind: 'translate',
    input: path.join(dir, 'photo.png'),
    output: path.join(dir, 'photo.AtoB.png'),
    checkpoint: path.join(dir, 'data', 'run'),
    direction: 'AtoB',
  });
  const run2 = run({
    kind: 'translate',
    input: path.join(dir, 'photo.png'),
    output: path.join(dir, 'photo.BtoA.png'),
    checkpoint: path.join(dir, 'data', 'run', 'checkpoints', 'latest'),
    direction: 'BtoA',
  });
  for (const id of [run1, run2]) {
    const r = await response(id);
    assert.ok(r.ok && r.result, JSON.stringify(r));
    const result = r.result as InferResult;
    assert.deepEqual([result.width, result.height], [40, 30]);
    assert.match(result.model, /^cyclegan (AtoB|BtoA), step 2$/);
  }
  const bad = run({
    kind: 'translate',
    input: path.join(dir, 'photo.png'),
    output: path.join(dir, 'photo.x.png'),
    checkpoint: path.join(dir, 'data'),
  });
  const r = await response(bad);
  assert.ok(!r.ok && r.kind === 'input' && /not a checkpoint folder/.test(r.error), JSON.stringify(r));
});
