// The latent-space explorer's host side without VS Code: its page protocol refuses hostile
// messages, seed ranges parse, the fixture checkpoints resolve (and a translating one does not),
// saved files are named by seed, class, interpolation step and training step and never replace
// a file, and the session sends the child exactly the jobs the page asked for. Its menu item
// shows on gan/dcgan/cgan runs and checkpoints only.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  maxSeeds,
  parseExploreHostMessage,
  parseExploreWebviewMessage,
  parseSeedRange,
  seedRangeText,
  type ExploreHostMessage,
} from '../../../src/shared/exploreProtocol';
import type { LatentSamplesJob, LatentSamplesResult } from '../../../src/shared/inferProtocol';
import { ExploreSession } from '../../../src/extension/explore/exploreSession';
import {
  gridFileName,
  imageFileName,
  resolveLatentCheckpoint,
  type LatentCheckpoint,
} from '../../../src/extension/explore/latentCheckpoint';
import type { JobHandle, Outcome } from '../../../src/extension/infer/jobQueue';
import { InferService } from '../../../src/extension/infer/inferService';

const FIXTURES = path.resolve(__dirname, '..', '..', '..', 'test', 'fixtures', 'checkpoints-8094b05');
const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', '..', 'package.json'), 'utf8'));

test('seed ranges: numbers, ranges and lists; duplicates once; bounded', () => {
  assert.deepEqual(parseSeedRange('0-3', 64), [0, 1, 2, 3]);
  assert.deepEqual(parseSeedRange(' 3, 7 100-102,7 ', 64), [3, 7, 100, 101, 102]);
  assert.deepEqual(parseSeedRange('4294967295', 64), [4294967295]);
  for (const bad of ['', 'a', '-1', '3-1', '0-64', '4294967296', '1e3', '1..4', '0x10'])
    assert.equal(typeof parseSeedRange(bad, 64), 'string', bad);
  assert.match(parseSeedRange('0-9', 8) as string, /at most 8 seeds/);
  assert.equal(maxSeeds(0), 64);
  assert.equal(maxSeeds(10), 64);
  assert.equal(maxSeeds(100), 6);
  assert.equal(seedRangeText(40, 16), '40-55');
  assert.equal(seedRangeText(4294967295, 4), '4294967295');
});

test('page -> host: hostile messages are refused', () => {
  const lim = { classCount: 10, shown: { grid: 80, path: 0 } };
  const ok = (m: object) => parseExploreWebviewMessage(m, lim);
  assert.deepEqual(ok({ type: 'grid', seeds: [1, 2], truncation: 0.5, extra: 'x' }), {
    type: 'grid',
    seeds: [1, 2],
    truncation: 0.5,
  });
  assert.deepEqual(ok({ type: 'interpolate', from: 1, to: 2, steps: 8, label: 9, truncation: 1 }), {
    type: 'interpolate',
    from: 1,
    to: 2,
    steps: 8,
    label: 9,
    truncation: 1,
  });
  assert.deepEqual(ok({ type: 'saveImage', view: 'grid', index: 79 }), { type: 'saveImage', view: 'grid', index: 79 });
  for (const bad of [
    null,
    'grid',
    { type: 'grid', seeds: [], truncation: 1 },
    { type: 'grid', seeds: [-1], truncation: 1 },
    { type: 'grid', seeds: [1], truncation: 2 },
    { type: 'grid', seeds: Array(65).fill(0), truncation: 1 },
    { type: 'grid', seeds: ['1'], truncation: 1 },
    { type: 'interpolate', from: 1, to: 2, steps: 1, truncation: 1 },
    { type: 'interpolate', from: 1, to: 2, steps: 33, truncation: 1 },
    { type: 'interpolate', from: 1, to: 2, steps: 4, label: 10, truncation: 1 },
    { type: 'interpolate', from: 1.5, to: 2, steps: 4, truncation: 1 },
    { type: 'saveImage', view: 'grid', index: 80 },
    { type: 'saveImage', view: 'path', index: 0 },
    { type: 'saveImage', view: '../x', index: 0 },
    { type: 'saveGrid', view: 'path' },
    { type: 'saveFile', path: '/etc/passwd' },
  ])
    assert.equal(ok(bad as object), undefined, JSON.stringify(bad));
});

test('host -> page: a grid must have an image per seed and class', () => {
  const g = {
    type: 'grid',
    seeds: [1, 2],
    labels: [0, 1],
    truncation: 1,
    width: 8,
    height: 8,
    images: ['a', 'b', 'c', 'd'],
  };
  assert.ok(parseExploreHostMessage(g));
  assert.equal(parseExploreHostMessage({ ...g, images: ['a'] }), undefined);
  assert.equal(parseExploreHostMessage({ ...g, images: [1, 2, 3, 4] }), undefined);
  assert.equal(
    parseExploreHostMessage({
      type: 'path',
      from: 1,
      to: 2,
      steps: 3,
      truncation: 1,
      width: 8,
      height: 8,
      images: ['a', 'b'],
    }),
    undefined,
  );
  assert.equal(
    parseExploreHostMessage({ type: 'init', info: { title: 't', family: 'GAN', step: 1, classes: [3] } }),
    undefined,
  );
});

test('fixture checkpoints resolve; a run folder means its latest; pix2pix does not', () => {
  const cg = resolveLatentCheckpoint(path.join(FIXTURES, 'cgan')) as LatentCheckpoint;
  assert.equal(typeof cg, 'object');
  assert.deepEqual(cg.info.classes, ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
  assert.equal(cg.info.family, 'cGAN');
  assert.equal(cg.info.step, 2);
  assert.equal(cg.outDir, path.join(FIXTURES, 'cgan-explore'));
  assert.deepEqual((resolveLatentCheckpoint(path.join(FIXTURES, 'gan')) as LatentCheckpoint).info.classes, []);
  assert.match(
    resolveLatentCheckpoint(path.join(FIXTURES, 'pix2pix')) as string,
    /"pix2pix" model; exploring a latent space needs GAN, DCGAN or cGAN/,
  );
  assert.match(resolveLatentCheckpoint(os.tmpdir()) as string, /not a checkpoint or run folder/);

  const run = fs.mkdtempSync(path.join(os.tmpdir(), 'gan-explore-run-'));
  fs.writeFileSync(path.join(run, 'config.json'), JSON.stringify({ model: 'cgan' }));
  assert.match(resolveLatentCheckpoint(run) as string, /no saved checkpoint yet/);
  fs.cpSync(path.join(FIXTURES, 'cgan'), path.join(run, 'checkpoints', 'latest'), { recursive: true });
  const state = JSON.parse(fs.readFileSync(path.join(run, 'checkpoints', 'latest', 'state.json'), 'utf8'));
  state.spec.classNames = [
    'zero',
    'one/../x',
    ...(state.spec.classNames ?? Array.from({ length: 8 }, (_, k) => String(k + 2))),
  ];
  fs.writeFileSync(path.join(run, 'checkpoints', 'latest', 'state.json'), JSON.stringify(state));
  const r = resolveLatentCheckpoint(run) as LatentCheckpoint;
  assert.equal(r.dir, path.join(run, 'checkpoints', 'latest'));
  assert.equal(r.outDir, path.join(run, 'explore'));
  assert.deepEqual(r.info.classes.slice(0, 3), ['zero', 'one/../x', '2']);
  fs.rmSync(run, { recursive: true, force: true });
});

test('file names carry the seed(s), class, interpolation step, truncation and training step', () => {
  const ck = {
    dir: '/r/checkpoints/latest',
    outDir: '/r/explore',
    info: { title: 't', family: 'cGAN', step: 400, classes: ['0', 'cats/dogs', '2'] },
  };
  const grid = {
    type: 'grid' as const,
    seeds: [5, 6],
    labels: [0, 1, 2],
    truncation: 0.7,
    width: 8,
    height: 8,
    images: [],
  };
  assert.equal(imageFileName(grid, 3, ck), 'seed-6-class-1-cats_dogs-t0.7-step-400.png');
  assert.equal(imageFileName(grid, 0, ck), 'seed-5-class-0-t0.7-step-400.png');
  assert.equal(gridFileName(grid, ck), 'grid-seeds-5-6-all-classes-t0.7-step-400.png');
  const p = {
    type: 'path' as const,
    from: 5,
    to: 9,
    steps: 8,
    label: 2,
    truncation: 1,
    width: 8,
    height: 8,
    images: [],
  };
  assert.equal(imageFileName(p, 0, ck), 'interp-5-to-9-1of8-class-2-step-400.png');
  assert.equal(gridFileName(p, ck), 'interp-5-to-9-8steps-class-2-step-400.png');
  const u = { ...ck, info: { ...ck.info, classes: [] } };
  assert.equal(gridFileName({ ...grid, seeds: [7], labels: [], truncation: 1 }, u), 'grid-seed-7-step-400.png');
});

/** A session on the cGAN fixture with a scripted child: each job answers one fake PNG per image. */
function session() {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'gan-explore-out-'));
  const ck = {
    ...(resolveLatentCheckpoint(path.join(FIXTURES, 'cgan')) as LatentCheckpoint),
    outDir: path.join(out, 'explore'),
  };
  const jobs: LatentSamplesJob[] = [];
  const cancelled: number[] = [];
  const resolvers: ((o: Outcome<LatentSamplesResult>) => void)[] = [];
  const posted: ExploreHostMessage[] = [];
  const saved: string[] = [];
  const answer = (i: number) => {
    const j = jobs[i];
    const n = (j.interpolate ? j.interpolate.steps : j.seeds.length) * (j.labels?.length ?? 1);
    const images = Array.from({ length: n }, (_, k) => Buffer.from(`png ${i}.${k}`).toString('base64'));
    resolvers[i]({
      status: 'done',
      result: {
        kind: 'latentSamples',
        width: 12,
        height: 12,
        images,
        model: 'cgan',
        seconds: 0,
        ...(j.output ? { output: j.output } : {}),
      },
    });
  };
  const s = new ExploreSession(ck, {
    submit: (job): JobHandle<LatentSamplesResult> => {
      const id = jobs.push(job) - 1;
      const result = new Promise<Outcome<LatentSamplesResult>>((r) => resolvers.push(r));
      return {
        id,
        result,
        cancel: () => {
          cancelled.push(id);
          resolvers[id]({ status: 'cancelled' });
        },
      };
    },
    post: (m) => posted.push(m),
    saved: (f) => saved.push(f),
    failed: (m) => assert.fail(m),
  });
  return { s, ck, out, jobs, cancelled, answer, posted, saved };
}

test('session: a grid job per request with a row per class; a newer request cancels the older', async () => {
  const t = session();
  await t.s.onMessage({ type: 'ready' });
  assert.deepEqual(t.posted[0], { type: 'init', info: t.ck.info });
  const first = t.s.onMessage({ type: 'grid', seeds: [1, 2], truncation: 0.5 });
  const second = t.s.onMessage({ type: 'grid', seeds: [3], truncation: 1 });
  await first;
  assert.deepEqual(t.cancelled, [0]);
  assert.deepEqual(t.jobs[1], {
    kind: 'latentSamples',
    checkpoint: t.ck.dir,
    seeds: [3],
    truncation: 1,
    labels: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
  });
  t.answer(1);
  await second;
  const grids = t.posted.filter((m) => m.type === 'grid');
  assert.equal(grids.length, 1, 'the cancelled grid is not shown');
  assert.equal(grids[0].type === 'grid' && grids[0].images.length, 10);
  assert.ok(!t.posted.some((m) => m.type === 'error'), 'a superseded job is no error');
  t.s.dispose();
});

test('session: interpolate for one class; save image writes its bytes; save grid asks the child', async () => {
  const t = session();
  const grid = t.s.onMessage({ type: 'grid', seeds: [4, 6], truncation: 1 });
  t.answer(0);
  await grid;
  const interp = t.s.onMessage({ type: 'interpolate', from: 4, to: 6, steps: 5, label: 3, truncation: 1 });
  assert.deepEqual(t.jobs[1], {
    kind: 'latentSamples',
    checkpoint: t.ck.dir,
    seeds: [4],
    truncation: 1,
    interpolate: { from: 4, to: 6, steps: 5 },
    labels: [3],
  });
  t.answer(1);
  await interp;

  await t.s.onMessage({ type: 'saveImage', view: 'path', index: 4 });
  await t.s.onMessage({ type: 'saveImage', view: 'path', index: 4 });
  const f = path.join(t.ck.outDir, 'interp-4-to-6-5of5-class-3-step-2.png');
  assert.deepEqual(
    t.saved,
    [f, path.join(t.ck.outDir, 'interp-4-to-6-5of5-class-3-step-2-2.png')],
    'the second save does not replace the first',
  );
  assert.equal(fs.readFileSync(f, 'utf8'), 'png 1.4');
  await t.s.onMessage({ type: 'saveImage', view: 'path', index: 5 });
  assert.equal(t.saved.length, 2, 'an index past the row is ignored');

  const save = t.s.onMessage({ type: 'saveGrid', view: 'grid' });
  assert.deepEqual(t.jobs[2], {
    kind: 'latentSamples',
    checkpoint: t.ck.dir,
    seeds: [4, 6],
    truncation: 1,
    labels: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
    output: path.join(t.ck.outDir, 'grid-seeds-4-6-all-classes-step-2.png'),
    cols: 2,
  });
  t.answer(2);
  await save;
  assert.equal(t.saved.at(-1), t.jobs[2].output);
  assert.deepEqual(t.posted.at(-1), { type: 'saved', name: 'grid-seeds-4-6-all-classes-step-2.png' });
  fs.rmSync(t.out, { recursive: true, force: true });
});

test('the Runs tree item shows on latent runs and checkpoints only', () => {
  const item = pkg.contributes.menus['view/item/context'].find(
    (m: { command: string }) => m.command === 'ganStudio.exploreLatent',
  );
  const re = new RegExp(/viewItem =~ \/(.*)\/$/.exec(item.when)?.[1] ?? '$^');
  for (const v of [
    'ganRun idle resumable latent',
    'ganRun live latent',
    'ganCheckpoint latent',
    'ganCheckpoint latest latent',
  ])
    assert.ok(re.test(v), v);
  for (const v of ['ganRun idle resumable', 'ganCheckpoint latest', 'ganSample', 'ganGroup']) assert.ok(!re.test(v), v);
  assert.ok(
    pkg.contributes.commands.some(
      (c: { command: string; title: string }) =>
        c.command === 'ganStudio.exploreLatent' && c.title === 'Explore Latent Space…',
    ),
  );
});

test('over real IPC: a latent job comes back as images, typed as a latent result', async () => {
  const service = new InferService({
    script: path.join(__dirname, 'fixtures', 'fakeInfer.child.js'),
    runOptions: () => ({ backend: 'cpu' }),
    idleMs: 60_000,
  });
  try {
    const o = await service.submit({
      kind: 'latentSamples',
      checkpoint: path.join(FIXTURES, 'gan'),
      seeds: [3, 9],
      truncation: 1,
    }).result;
    assert.equal(o.status, 'done');
    if (o.status === 'done')
      assert.deepEqual(
        o.result.images.map((b) => Buffer.from(b, 'base64').toString()),
        ['seed 3', 'seed 9'],
      );
  } finally {
    service.dispose();
  }
});
