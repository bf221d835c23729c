// The generic child client against a real forked child: request ids, events and invalid
// messages, timeouts, a child dying mid-request (the pending request rejects with the stderr
// tail), and disposal taking every listener off the child process.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { ChildClient, type ChildClientOptions, type RequestBody } from '../../../src/extension/process/childClient';
import { isInt, isObj, isStr } from '../../../src/shared/guards';

const script = path.join(__dirname, 'fixtures', 'echo.child.js');

type Req =
  | { type: 'echo'; id: number; value: string }
  | { type: 'tell'; id: number; value: string }
  | { type: 'die'; id: number; code: number }
  | { type: 'hang'; id: number };
type Ev = { type: 'response'; id: number; value: string } | { type: 'note'; text: string };

class EchoClient extends ChildClient<Req, Ev> {
  constructor(opts: Partial<ChildClientOptions> = {}) {
    super('the echo child', { script, ...opts });
  }
  request(body: RequestBody<Req>, timeoutMs?: number) {
    return this.call(body, { timeoutMs });
  }
  protected parse(m: unknown): Ev | undefined {
    if (!isObj(m)) return undefined;
    if (m.type === 'response' && isInt(m.id, 0) && isStr(m.value))
      return { type: 'response', id: m.id, value: m.value };
    if (m.type === 'note' && isStr(m.text)) return { type: 'note', text: m.text };
    return undefined;
  }
  /** The listeners on the child process and its stderr pipe, by event (reaching past `private`). */
  listeners(): Record<string, number> {
    const child = (this as unknown as { child: ChildProcess }).child;
    const count = (e: NodeJS.EventEmitter | null, names: string[], prefix = '') =>
      Object.fromEntries(names.map((n) => [`${prefix}${n}`, e?.listenerCount(n) ?? 0]));
    return {
      ...count(child, ['message', 'spawn', 'error', 'exit', 'close']),
      ...count(child.stderr, ['data', 'end'], 'stderr.'),
    };
  }
}

/** How many listeners went away between two counts. */
const removed = (a: Record<string, number>, b: Record<string, number>) =>
  Object.fromEntries(Object.keys(a).map((k) => [k, a[k] - b[k]]));

test('each request gets the answer with its own id; events and malformed messages are told apart; timeouts', async (t) => {
  const c = new EchoClient();
  t.after(() => c.dispose());
  const event = new Promise<Ev>((r) => c.onEvent(r));
  const invalid = new Promise<unknown>((r) => c.onInvalidMessage(r));
  await c.spawn();
  const a = c.request({ type: 'echo', value: 'a' });
  const b = c.request({ type: 'echo', value: 'b' });
  const tell = c.request({ type: 'tell', value: 'hello' });
  assert.deepEqual([a.id, b.id, tell.id], [1, 2, 3]);
  assert.deepEqual(await Promise.all([b.response, a.response]), [
    { type: 'response', id: 2, value: 'b' },
    { type: 'response', id: 1, value: 'a' },
  ]);
  assert.deepEqual(await tell.response, { type: 'response', id: 3, value: 'told' });
  assert.deepEqual(await event, { type: 'note', text: 'hello' });
  assert.deepEqual(await invalid, { type: 'note', text: 42 });
  await assert.rejects(
    c.request({ type: 'hang' }, 50).response,
    /^Error: the echo child did not answer "hang" within 0 s$/,
  );
});

test('a child exiting mid-request rejects what is pending with the last stderr lines', async (t) => {
  const c = new EchoClient();
  t.after(() => c.dispose());
  const exits: unknown[] = [];
  c.onExit((e) => exits.push(e));
  await c.spawn();
  const hang = c.request({ type: 'hang' });
  const die = c.request({ type: 'die', code: 5 });
  const expected = /^Error: the echo child stopped \(code 5\): loading model \| Error: out of memory \| at step 3$/;
  await assert.rejects(hang.response, expected);
  await assert.rejects(die.response, expected);
  assert.deepEqual(await c.waitForExit(), {
    code: 5,
    signal: null,
    stderrTail: ['loading model', '', 'Error: out of memory', 'at step 3'],
  });
  assert.deepEqual(exits, [await c.waitForExit()]);
  assert.equal(c.isAlive, false);
  await assert.rejects(c.request({ type: 'echo', value: 'x' }).response, /^Error: the echo child is not running$/);
});

test('dispose kills the child, rejects what is pending and takes its listeners off', async (t) => {
  const c = new EchoClient();
  t.after(() => c.dispose());
  let exited = 0;
  c.onExit(() => exited++);
  await c.spawn();
  // Node keeps listeners of its own on the pipes: count what goes away.
  const before = c.listeners();
  const pending = c.request({ type: 'hang' });
  c.dispose();
  await assert.rejects(pending.response, /^Error: the echo child disposed$/);
  // Output and messages at once, the exit ones once it has gone (the start-up ones went at the
  // start); one no-op stays for late errors.
  assert.deepEqual(removed(before, c.listeners()), {
    message: 1,
    spawn: 0,
    error: 0,
    exit: 0,
    close: 0,
    'stderr.data': 1,
    'stderr.end': 1,
  });
  const info = await c.waitForExit();
  assert.equal(info.signal, 'SIGKILL');
  assert.deepEqual(removed(before, c.listeners()), {
    message: 1,
    spawn: 0,
    error: 0,
    exit: 1,
    close: 1,
    'stderr.data': 1,
    'stderr.end': 1,
  });
  assert.deepEqual(c.listeners(), {
    message: 0,
    spawn: 0,
    error: 1,
    exit: 0,
    close: 0,
    'stderr.data': 0,
    'stderr.end': before['stderr.end'] - 1,
  });
  assert.equal(exited, 0, 'no exit event after disposal');
});

test('a child that cannot start rejects spawn and what was sent meanwhile', async (t) => {
  const c = new EchoClient({ execPath: path.join(__dirname, 'no-such-node') });
  t.after(() => c.dispose());
  const started = c.spawn();
  const r = c.request({ type: 'echo', value: 'x' });
  await assert.rejects(started, /ENOENT/);
  await assert.rejects(r.response, /^Error: could not start the echo child: spawn .*no-such-node ENOENT$/);
  assert.equal((await c.waitForExit()).signal, null);
});
