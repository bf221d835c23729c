// The trainer's Adam (train/adam.ts) against tfjs's AdamOptimizer: on native it updates each
// weight in one pass over the wasm heap, the moments in place, so it must give tfjs's weights
// and moments, save the same state, never change memory another tensor still reads, and leave
// no convolution with a stale filter.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../src/trainer/engine/backend';
import { adam } from '../../src/trainer/train/adam';

before(async () => {
  await initBackend('native', { threads: 1 });
});

function maxRelDiff(a: Float32Array | Int32Array | Uint8Array, b: Float32Array | Int32Array | Uint8Array): number {
  let d = 0,
    r = 0;
  for (let i = 0; i < a.length; i++) {
    d = Math.max(d, Math.abs(a[i] - b[i]));
    r = Math.max(r, Math.abs(b[i]));
  }
  return d / Math.max(r, 1e-12);
}

/** Three steps on two weights with seeded gradients; the weights and the optimizer's saved state after. */
async function train(opt: tf.Optimizer) {
  const variable = (shape: number[], seed: number, name: string) => {
    const init = tf.randomNormal(shape, 0, 1, 'float32', seed);
    const v = tf.variable(init, true, name);
    init.dispose(); // the variable alone holds its memory, as a layer's weight does
    return v;
  };
  const w1 = variable([300, 7], 1, 'w1');
  const w2 = variable([5], 2, 'w2');
  for (let s = 0; s < 3; s++) {
    const grads = {
      w1: tf.randomNormal([300, 7], 0, 1, 'float32', 10 + s),
      w2: tf.randomNormal([5], 0, 1, 'float32', 20 + s),
    };
    opt.applyGradients(grads);
    tf.dispose(Object.values(grads));
  }
  const state = await opt.getWeights();
  const out = {
    weights: [await w1.data(), await w2.data()],
    state: await Promise.all(state.map(async (s) => ({ name: s.name, data: await s.tensor.data() }))),
  };
  tf.dispose([w1, w2]);
  opt.dispose();
  return out;
}

test("adam: the one-pass update gives tfjs AdamOptimizer's weights and saved moments within 1e-6", async () => {
  const ours = await train(adam(0.01, 0.5, 0.999));
  const theirs = await train(tf.train.adam(0.01, 0.5, 0.999));
  ours.weights.forEach((w, i) =>
    assert.ok(maxRelDiff(w, theirs.weights[i]) < 1e-6, `weight ${i}: ${maxRelDiff(w, theirs.weights[i])}`),
  );
  assert.deepEqual(
    ours.state.map((s) => s.name),
    theirs.state.map((s) => s.name),
    'checkpoint names',
  );
  ours.state.forEach((s, i) =>
    assert.ok(
      maxRelDiff(s.data, theirs.state[i].data) < 1e-6,
      `${s.name}: ${maxRelDiff(s.data, theirs.state[i].data)}`,
    ),
  );
});

test('adam: a weight another tensor still holds is not written in place', async () => {
  const w = tf.variable(tf.ones([64]), true, 'shared');
  const snapshot = tf.clone(w); // shares w's memory on wasm (Identity hands out the same buffer)
  const opt = adam(0.1);
  opt.applyGradients({ shared: tf.onesLike(w) });
  assert.deepEqual(Array.from(await snapshot.data()).slice(0, 3), [1, 1, 1], 'the clone kept its values');
  assert.ok((await w.data())[0] < 1, 'the weight moved');
  tf.dispose([w, snapshot]);
  opt.dispose();
});

test('adam: a convolution after an update uses the updated filter (XNNPACK keeps packed filters)', async () => {
  // A fused PReLU conv stays on tfjs-wasm's XNNPACK kernel, which caches the packed filter by buffer.
  const init = tf.randomNormal([3, 3, 2, 4], 0, 1, 'float32', 3);
  const filter = tf.variable(init, true, 'filter');
  init.dispose();
  const x = tf.randomNormal([1, 6, 6, 2], 0, 1, 'float32', 4) as tf.Tensor4D;
  const alpha = tf.fill([4], 0.1);
  const conv = (f: tf.Tensor) =>
    tf.fused.conv2d({
      x,
      filter: f as tf.Tensor4D,
      strides: 1,
      pad: 'same',
      activation: 'prelu',
      preluActivationWeights: alpha,
    });
  const before = await conv(filter).data();
  const opt = adam(0.1);
  opt.applyGradients({ filter: tf.onesLike(filter) });
  const after = await conv(filter).data();
  const copy = tf.tensor(await filter.data(), filter.shape); // a new buffer: nothing cached for it
  const expected = await conv(copy).data();
  assert.notDeepEqual(Array.from(after), Array.from(before), 'the output changed with the filter');
  assert.deepEqual(Array.from(after), Array.from(expected), "the output is the updated filter's");
  tf.dispose([filter, x, alpha, copy]);
  opt.dispose();
});
