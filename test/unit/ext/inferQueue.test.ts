// The inference queue: one job at a time in order, nothing dropped; cancelling a waiting job
// removes it, cancelling the running one aborts it and waits for the runner.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { JobQueue, type Outcome } from '../../../src/extension/infer/jobQueue';

interface Gate {
  release(): void;
  started: Promise<void>;
  start(): void;
  wait: Promise<void>;
}

/** A runner whose job `name` starts, reports half its progress, and finishes when its gate is released. */
function gatedRunner() {
  const log: string[] = [];
  const gates = new Map<string, Gate>();
  const gate = (name: string): Gate => {
    let g = gates.get(name);
    if (!g) {
      let release!: () => void, start!: () => void;
      const wait = new Promise<void>((r) => (release = r));
      const started = new Promise<void>((r) => (start = r));
      g = { release: () => release(), start: () => start(), wait, started };
      gates.set(name, g);
    }
    return g;
  };
  const runner = async (
    job: string,
    ctl: { signal: AbortSignal; progress(d: number, t: number): void },
  ): Promise<Outcome<string>> => {
    const g = gate(job);
    log.push(`start ${job}`);
    g.start();
    ctl.progress(1, 2);
    const aborted = new Promise<void>((r) => ctl.signal.addEventListener('abort', () => r()));
    const how = await Promise.race([g.wait.then(() => 'done'), aborted.then(() => 'aborted')]);
    log.push(`${how} ${job}`);
    return how === 'done' ? { status: 'done', result: `${job}!` } : { status: 'cancelled' };
  };
  return { runner, gate, log };
}

test('a second request while one runs waits, then runs: none is lost', async () => {
  const { runner, gate, log } = gatedRunner();
  const q = new JobQueue<string, string>(runner);
  const positions: number[] = [];
  const a = q.enqueue('a');
  const b = q.enqueue('b', { onPosition: (n) => positions.push(n) });
  const c = q.enqueue('c');
  assert.equal(q.size, 3);
  await gate('a').started;
  assert.deepEqual(log, ['start a']);
  gate('a').release();
  assert.deepEqual(await a.result, { status: 'done', result: 'a!' });
  await gate('b').started;
  gate('b').release();
  gate('c').release();
  assert.deepEqual(await b.result, { status: 'done', result: 'b!' });
  assert.deepEqual(await c.result, { status: 'done', result: 'c!' });
  assert.deepEqual(log, ['start a', 'done a', 'start b', 'done b', 'start c', 'done c']);
  assert.equal(positions[0], 1, 'b was told one job is ahead');
  assert.equal(positions[positions.length - 1], 0);
  assert.equal(q.size, 0);
});

test('cancelling a waiting job removes it without running it', async () => {
  const { runner, gate, log } = gatedRunner();
  const q = new JobQueue<string, string>(runner);
  const a = q.enqueue('a');
  const b = q.enqueue('b');
  const c = q.enqueue('c');
  b.cancel();
  assert.deepEqual(await b.result, { status: 'cancelled' });
  gate('a').release();
  gate('c').release();
  await a.result;
  await c.result;
  assert.deepEqual(log, ['start a', 'done a', 'start c', 'done c']);
});

test('cancelling the running job aborts it; the next one starts after it stopped', async () => {
  const { runner, gate, log } = gatedRunner();
  const q = new JobQueue<string, string>(runner);
  let idle = 0;
  q.onIdle(() => idle++);
  const progress: number[] = [];
  const a = q.enqueue('a', { onProgress: (d, t) => progress.push(d / t) });
  const b = q.enqueue('b');
  await gate('a').started;
  a.cancel();
  assert.deepEqual(await a.result, { status: 'cancelled' });
  assert.deepEqual(progress, [0.5]);
  gate('b').release();
  assert.deepEqual(await b.result, { status: 'done', result: 'b!' });
  assert.deepEqual(log, ['start a', 'aborted a', 'start b', 'done b']);
  assert.equal(idle, 1);
});

test('a runner that throws fails that job only', async () => {
  const q = new JobQueue<string, string>(async (job) => {
    if (job === 'x') throw new Error('boom');
    return { status: 'done', result: job };
  });
  const x = q.enqueue('x');
  const y = q.enqueue('y');
  assert.deepEqual(await x.result, { status: 'failed', error: 'boom', kind: 'internal' });
  assert.deepEqual(await y.result, { status: 'done', result: 'y' });
});

test('cancelAll drops everything', async () => {
  const { runner, gate } = gatedRunner();
  const q = new JobQueue<string, string>(runner);
  const hs = ['a', 'b', 'c'].map((j) => q.enqueue(j));
  await gate('a').started;
  q.cancelAll();
  const rs = await Promise.all(hs.map((h) => h.result));
  assert.deepEqual(
    rs.map((r) => r.status),
    ['cancelled', 'cancelled', 'cancelled'],
  );
});
