// sharp is async only; the data loaders and the scaffold decode inside synchronous code (a
// training batch is made synchronously). This runs sharp in one worker thread and waits for
// its answer with Atomics.wait, so a sync caller gets libvips' speed without an event loop.
// The worker is unref'd: it never keeps a process alive.
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import { runSharpOp, sharpPath, type SharpOp, type SharpResult } from './sharpOps';

/** Longest a single decode or encode may take before the caller gives up (a 100 MP TIFF takes seconds). */
const TIMEOUT_MS = 10 * 60 * 1000;

interface Link {
  worker: Worker;
  port: MessagePort;
  flag: Int32Array;
}

let link: Link | undefined;

function workerSource(): string {
  return `
const { workerData } = require('node:worker_threads');
let sharp, loadError;
try {
  sharp = require(workerData.sharpPath);
  sharp.cache(false);
} catch (e) {
  loadError = 'cannot load the image library sharp: ' + String((e && e.message) || e).split('\\n')[0];
}
const runSharpOp = ${runSharpOp.toString()};
const { port, flag } = workerData;
port.on('message', async (req) => {
  let reply;
  try {
    if (loadError) throw new Error(loadError);
    reply = { ok: await runSharpOp(sharp, req) };
  } catch (e) {
    reply = { error: String((e && e.message) || e) };
  }
  port.postMessage(reply);
  Atomics.store(flag, 0, 1);
  Atomics.notify(flag, 0);
});`;
}

function start(): Link {
  const { port1, port2 } = new MessageChannel();
  const flag = new Int32Array(new SharedArrayBuffer(4));
  const worker = new Worker(workerSource(), {
    eval: true,
    workerData: { sharpPath: sharpPath(), port: port2, flag },
    transferList: [port2],
  });
  worker.unref();
  port1.unref();
  worker.on('exit', () => {
    if (link?.worker === worker) link = undefined;
  });
  return { worker, port: port1, flag };
}

/** Error thrown inside sharp: the message as sharp gave it. */
export class SharpOpError extends Error {
  override name = 'SharpOpError';
}

/** Runs a request in the worker and blocks until it answers. */
export function runSharpOpSync(req: SharpOp): SharpResult {
  link ??= start();
  const { port, flag } = link;
  Atomics.store(flag, 0, 0);
  port.postMessage(req);
  if (Atomics.wait(flag, 0, 0, TIMEOUT_MS) === 'timed-out') {
    void link.worker.terminate();
    link = undefined;
    throw new SharpOpError(`image codec gave no answer in ${TIMEOUT_MS / 60000} minutes`);
  }
  const msg = receiveMessageOnPort(port)?.message as { ok?: SharpResult; error?: string } | undefined;
  if (!msg) throw new SharpOpError('image codec worker stopped');
  if (msg.error !== undefined) throw new SharpOpError(msg.error);
  return msg.ok as SharpResult;
}

/** The same request on this thread (libvips works in its own threads meanwhile). */
export async function runSharpOpAsync(sharp: Parameters<typeof runSharpOp>[0], req: SharpOp): Promise<SharpResult> {
  try {
    return await runSharpOp(sharp, req);
  } catch (e) {
    throw new SharpOpError((e as Error).message);
  }
}
