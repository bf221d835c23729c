// Host <-> inference child over real IPC: InferService/InferProcess against a forked fake
// child running the real serveInference and publish step. Queueing, progress, cancellation
// (nothing written), bad input (named, nothing written), no overwrite, crash recovery.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { InferService } from '../../../src/extension/infer/inferService';
import type { UpscaleJob } from '../../../src/shared/inferProtocol';

const script = path.join(__dirname, 'fixtures', 'fakeInfer.child.js');

function setup(env: Record<string, string> = {}) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gan-infer-'));
  const logs: string[] = [];
  const service = new InferService({
    script,
    env,
    runOptions: () => ({ backend: 'cpu' }),
    onLog: (l) => logs.push(l),
    idleMs: 60_000,
  });
  const job = (name: string): UpscaleJob => {
    const input = path.join(dir, name);
    writeFileSync(input, 'x');
    return {
      kind: 'upscale',
      input,
      output: path.join(dir, `${path.parse(name).name}.x4.png`),
      scale: 4,
      model: 'default',
    };
  };
  const files = () => readdirSync(dir).sort();
  const done = () => {
    service.dispose();
    rmSync(dir, { recursive: true, force: true });
  };
  return { dir, service, job, files, done, logs };
}

test('two requests: the second is queued behind the first; both written with progress', async () => {
  const t = setup({ FAKE_TILES: '4', FAKE_TILE_MS: '30' });
  try {
    const seen: string[] = [];
    const a = t.service.submit(t.job('a.png'), {
      onStart: () => seen.push('start a'),
      onProgress: (d, n) => seen.push(`a ${d}/${n}`),
    });
    const b = t.service.submit(t.job('b.png'), {
      onPosition: (n) => seen.push(`b ahead ${n}`),
      onStart: () => seen.push('start b'),
    });
    const [ra, rb] = await Promise.all([a.result, b.result]);
    assert.equal(ra.status, 'done');
    assert.equal(rb.status, 'done');
    assert.ok(seen.indexOf('start b') > seen.indexOf('a 4/4'), seen.join(', '));
    assert.ok(seen.includes('b ahead 1'));
    assert.deepEqual(t.files(), ['a.png', 'a.x4.png', 'b.png', 'b.x4.png']);
  } finally {
    t.done();
  }
});

test('cancel mid-way writes nothing; the next job still runs', async () => {
  const t = setup({ FAKE_TILES: '50', FAKE_TILE_MS: '20' });
  try {
    let cancelledAt = 0;
    const a = t.service.submit(t.job('a.png'), {
      onProgress: (d) => {
        if (d === 3 && !cancelledAt) {
          cancelledAt = d;
          a.cancel();
        }
      },
    });
    assert.deepEqual(await a.result, { status: 'cancelled' });
    assert.equal(cancelledAt, 3);
    assert.deepEqual(t.files(), ['a.png'], 'no result, no staging or partial file');
    const b = t.service.submit({ ...t.job('b.png') });
    const rb = await b.result;
    assert.equal(rb.status, 'done');
  } finally {
    t.done();
  }
});

test('a corrupt input fails with the file and reason; nothing written', async () => {
  const t = setup();
  try {
    const j = t.job('bad.png');
    const r = await t.service.submit(j).result;
    assert.equal(r.status, 'failed');
    assert.ok(
      r.status === 'failed' && r.kind === 'input' && r.error === `${j.input}: corrupt PNG (bad CRC)`,
      JSON.stringify(r),
    );
    assert.deepEqual(t.files(), ['bad.png']);
  } finally {
    t.done();
  }
});

test('an existing result is never overwritten: the next counter is used', async () => {
  const t = setup({ FAKE_TILES: '2', FAKE_TILE_MS: '5' });
  try {
    const j = t.job('p.png');
    writeFileSync(j.output, 'mine');
    const r = await t.service.submit(j).result;
    assert.ok(r.status === 'done' && r.result.output === path.join(t.dir, 'p.x4-2.png'), JSON.stringify(r));
    assert.deepEqual(t.files(), ['p.png', 'p.x4-2.png', 'p.x4.png']);
  } finally {
    t.done();
  }
});

test('the child dying fails the running job; the next job gets a fresh child', async () => {
  const t = setup({ FAKE_TILES: '2', FAKE_TILE_MS: '5' });
  try {
    const a = t.service.submit(t.job('crash.png'));
    const b = t.service.submit(t.job('b.png'));
    const ra = await a.result;
    assert.ok(
      ra.status === 'failed' && ra.kind === 'internal' && /inference process stopped \(code 7\)/.test(ra.error),
      JSON.stringify(ra),
    );
    assert.equal((await b.result).status, 'done');
    assert.deepEqual(t.files(), ['b.png', 'b.x4.png', 'crash.png']);
  } finally {
    t.done();
  }
});

test('closing the service mid-job: the child cancels the job and leaves no file', async () => {
  const t = setup({ FAKE_TILES: '100', FAKE_TILE_MS: '20' });
  try {
    let started!: () => void;
    const running = new Promise<void>((r) => (started = r));
    const a = t.service.submit(t.job('a.png'), {
      onProgress: (d) => {
        if (d === 2) started();
      },
    });
    await running;
    t.service.dispose();
    assert.equal((await a.result).status, 'cancelled');
    // The child removes its staging file after the tile in progress.
    for (let i = 0; i < 50 && t.files().length > 1; i++) await new Promise((r) => setTimeout(r, 20));
    assert.deepEqual(t.files(), ['a.png']);
  } finally {
    t.done();
  }
});
