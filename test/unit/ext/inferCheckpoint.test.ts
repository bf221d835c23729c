// Translate Image's checkpoint choice: a checkpoint folder or a run folder of pix2pix or
// CycleGAN, anything else refused with its reason; and the child's messages validated.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { resolveCheckpoint } from '../../../src/extension/infer/checkpointRef';
import { parseInferEvent, parseInferRequest } from '../../../src/shared/inferProtocol';

test('checkpoint and run folders of pix2pix/CycleGAN; others refused with a reason', () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'gan-ck-'));
  try {
    const run = (name: string, model: string, withCk = true) => {
      const dir = path.join(root, 'runs', name);
      mkdirSync(path.join(dir, 'checkpoints', 'latest'), { recursive: true });
      writeFileSync(path.join(dir, 'config.json'), JSON.stringify({ model }));
      if (withCk)
        writeFileSync(path.join(dir, 'checkpoints', 'latest', 'state.json'), JSON.stringify({ model, step: 5 }));
      return dir;
    };
    const cg = run('horses', 'cyclegan');
    assert.deepEqual(resolveCheckpoint(cg), {
      dir: path.join(cg, 'checkpoints', 'latest'),
      model: 'cyclegan',
      label: 'horses (CycleGAN, latest)',
    });
    assert.deepEqual(resolveCheckpoint(path.join(cg, 'checkpoints', 'latest')), {
      dir: path.join(cg, 'checkpoints', 'latest'),
      model: 'cyclegan',
      label: 'horses (CycleGAN, latest)',
    });
    const p2p = run('edges', 'pix2pix');
    assert.equal((resolveCheckpoint(p2p) as { model: string }).model, 'pix2pix');
    assert.match(
      resolveCheckpoint(run('digits', 'dcgan')) as string,
      /"dcgan" model; translation needs pix2pix or CycleGAN/,
    );
    assert.match(resolveCheckpoint(run('young', 'pix2pix', false)) as string, /no saved checkpoint yet/);
    assert.match(resolveCheckpoint(root) as string, /not a checkpoint or run folder/);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('inference protocol: requests and events are validated field by field', () => {
  const job = { kind: 'upscale', input: '/w/a.png', output: '/w/a.x4.png', scale: 4, model: 'default' };
  assert.deepEqual(parseInferRequest({ type: 'run', id: 1, job, options: { backend: 'native' } }), {
    type: 'run',
    id: 1,
    job: { ...job, tile: undefined },
    options: { backend: 'native', threads: undefined },
  });
  const ens = parseInferRequest({ type: 'run', id: 1, job: { ...job, ensemble: true }, options: {} });
  assert.equal(ens?.type === 'run' && ens.job.kind === 'upscale' && ens.job.ensemble, true);
  for (const bad of [
    { type: 'run', id: 1, job: { ...job, ensemble: 'yes' }, options: {} },
    { type: 'run', id: 1, job: { ...job, scale: 3 }, options: {} },
    { type: 'run', id: 1, job: { ...job, input: '' }, options: {} },
    { type: 'run', id: 1, job: { ...job, kind: 'rm -rf' }, options: {} },
    { type: 'run', id: -1, job, options: {} },
    { type: 'run', id: 1, job, options: { backend: 'gpu' } },
    { type: 'cancel', id: 2 },
  ])
    assert.equal(parseInferRequest(bad), undefined, JSON.stringify(bad));
  assert.deepEqual(parseInferRequest({ type: 'cancel', id: 2, target: 1 }), { type: 'cancel', id: 2, target: 1 });

  const result = {
    output: '/w/a.x4-2.png',
    width: 128,
    height: 96,
    inputWidth: 32,
    inputHeight: 24,
    seconds: 1.5,
    model: 'default',
  };
  const outputOf = (id: number) => (id === 1 ? '/w/a.x4.png' : undefined);
  assert.deepEqual(parseInferEvent({ type: 'response', id: 1, ok: true, result }, outputOf), {
    type: 'response',
    id: 1,
    ok: true,
    result,
  });
  // A child naming any other file than the job's (or its counter variants) is not believed.
  assert.equal(
    parseInferEvent({ type: 'response', id: 1, ok: true, result: { ...result, output: '/etc/passwd' } }, outputOf),
    undefined,
  );
  assert.equal(parseInferEvent({ type: 'progress', id: 1, done: 5, total: 4 }), undefined);
  assert.deepEqual(parseInferEvent({ type: 'progress', id: 1, done: 2, total: 4 }), {
    type: 'progress',
    id: 1,
    done: 2,
    total: 4,
  });
  assert.equal(
    parseInferEvent({ type: 'response', id: 1, ok: false, error: 'x', cancelled: true, kind: 'weird' }),
    undefined,
  );
});
