import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { parseMetricsRecord, parseTrainerEvent, parseTrainerRequest } from '../../../src/shared/trainerProtocol';
import { isInsideDir } from '../../../src/shared/pathGuard';

const runDir = path.resolve('/tmp/runs/dcgan-1');

test('requests: valid ones parse, with only known fields kept', () => {
  assert.deepEqual(parseTrainerRequest({ type: 'pause', id: 3 }), { type: 'pause', id: 3 });
  const start = parseTrainerRequest({
    type: 'start',
    id: 1,
    options: { configPath: '/w/gan.config.json', backend: 'wasm', maxSteps: 10, evil: 1 },
  });
  assert.equal(start?.type, 'start');
  assert.ok(start && start.type === 'start' && !('evil' in start.options));
  assert.deepEqual(parseTrainerRequest({ type: 'probe', id: 2, backend: 'cpu' }), {
    type: 'probe',
    id: 2,
    backend: 'cpu',
  });
});

test('requests: hostile or malformed ones are rejected', () => {
  const bad: unknown[] = [
    null,
    42,
    'stop',
    [],
    {},
    { type: 'stop' },
    { type: 'stop', id: -1 },
    { type: 'stop', id: 1.5 },
    { type: 'stop', id: '1' },
    { type: 'rm -rf', id: 1 },
    { type: '__proto__', id: 1 },
    { type: 'start', id: 1 },
    { type: 'start', id: 1, options: { configPath: 5 } },
    { type: 'start', id: 1, options: { configPath: '/a', backend: 'cuda' } },
    { type: 'start', id: 1, options: { configPath: '/a', maxSteps: 0 } },
    { type: 'start', id: 1, options: { configPath: '/a', resume: 'yes' } },
    { type: 'probe', id: 1, backend: 'gpu' },
  ];
  for (const m of bad) assert.equal(parseTrainerRequest(m), undefined, JSON.stringify(m));
});

test('events: unknown type and wrong field types are rejected', () => {
  const bad: unknown[] = [
    { type: 'exec', cmd: 'x' },
    { type: 'log', line: 5, level: 'info' },
    { type: 'log', line: 'x', level: 'debug' },
    { type: 'state', paused: 'yes' },
    { type: 'finished', runDir, step: 1, status: 'done' },
    { type: 'started', backend: 'quantum', runDir, step: 0, totalSteps: 10, config: {} },
    { type: 'metrics', record: { step: 'one', losses: {} } },
    { type: 'metrics', record: { step: 1, losses: { dLoss: 'high' } } },
    { type: 'metrics', record: { step: 1, losses: { 'bad key!': 1 } } },
    { type: 'response', id: 1 },
    { type: 'failed' },
  ];
  for (const m of bad) assert.equal(parseTrainerEvent(m, runDir), undefined, JSON.stringify(m));
});

test('events: a probe carries the GPU it found and what auto chose; `auto` is never what ran', () => {
  const gpu = 'NVIDIA H200 (nvidia hopper)';
  const probe = {
    backend: 'auto',
    active: 'webgpu',
    ok: true,
    device: gpu,
    software: false,
    reason: undefined,
    evil: 1,
  };
  assert.deepEqual(parseTrainerEvent({ type: 'response', id: 7, ok: true, probe }), {
    type: 'response',
    id: 7,
    ok: true,
    error: undefined,
    probe: {
      backend: 'auto',
      active: 'webgpu',
      ok: true,
      msPerStep: undefined,
      error: undefined,
      device: gpu,
      software: false,
    },
  });
  const none = {
    backend: 'webgpu',
    ok: false,
    error: 'no WebGPU adapter: no GPU with a Vulkan (Linux), D3D12 (Windows) or Metal (macOS) driver was found',
  };
  assert.deepEqual(parseTrainerEvent({ type: 'response', id: 8, ok: true, probe: none })?.type, 'response');
  const bad: unknown[] = [
    { ...probe, active: 'auto' },
    { ...probe, active: 'cuda' },
    { ...probe, device: '' },
    { ...probe, device: 'x'.repeat(1025) },
    { ...probe, device: 3 },
    { ...probe, software: 'yes' },
    { ...probe, reason: 42 },
    { ...probe, reason: 'x'.repeat(5000) },
    { ...probe, error: { message: 'x' } },
  ];
  for (const p of bad)
    assert.equal(
      parseTrainerEvent({ type: 'response', id: 9, ok: true, probe: p }),
      undefined,
      JSON.stringify(p).slice(0, 120),
    );
  assert.equal(
    parseTrainerEvent({ type: 'started', backend: 'auto', runDir, step: 0, totalSteps: 5, config: {} }, runDir),
    undefined,
  );
  assert.equal(
    parseTrainerEvent({ type: 'started', backend: 'webgpu', runDir, step: 0, totalSteps: 5, config: {} }, runDir)?.type,
    'started',
  );
  // A metrics record names the backend the step ran on: `auto` there is read as unknown.
  assert.equal(parseMetricsRecord({ step: 1, losses: {}, backend: 'auto' })?.backend, '');
  assert.equal(parseMetricsRecord({ step: 1, losses: {}, backend: 'webgpu' })?.backend, 'webgpu');
});

test('events: sample and checkpoint paths must lie inside the run dir', () => {
  const inside = path.join(runDir, 'samples', 'step-00000010.png');
  assert.deepEqual(parseTrainerEvent({ type: 'sample', step: 10, path: inside }, runDir), {
    type: 'sample',
    step: 10,
    path: inside,
  });
  for (const p of [
    '/etc/passwd',
    path.join(runDir, '..', 'other', 'x.png'),
    `${runDir}-evil/samples/x.png`,
    'samples/step-1.png',
    path.join(runDir, 'samples', '..', '..', 'x.png'),
    `${runDir}/samples/\0.png`,
    runDir,
  ]) {
    assert.equal(parseTrainerEvent({ type: 'sample', step: 1, path: p }, runDir), undefined, p);
    assert.equal(parseTrainerEvent({ type: 'checkpoint', step: 1, path: p }, runDir), undefined, p);
  }
  // Before `started` the run dir is unknown: nothing with a path gets through.
  assert.equal(parseTrainerEvent({ type: 'sample', step: 1, path: inside }), undefined);
  // `started` must announce the run dir the host asked for.
  assert.equal(
    parseTrainerEvent(
      { type: 'started', backend: 'cpu', runDir: '/elsewhere', step: 0, totalSteps: 5, config: {} },
      runDir,
    ),
    undefined,
  );
});

test('metrics: NaN losses (null after JSON) are kept as NaN, not dropped', () => {
  const r = parseMetricsRecord(
    JSON.parse(JSON.stringify({ step: 5, losses: { dLoss: NaN, gLoss: 1.5 }, dReal: 0.7, msPerStep: 12 })),
  );
  assert.ok(r);
  assert.ok(Number.isNaN(r.losses.dLoss));
  assert.equal(r.losses.gLoss, 1.5);
  assert.equal(r.dReal, 0.7);
  assert.equal(r.dFake, undefined);
});

test('isInsideDir', () => {
  assert.ok(isInsideDir('/a/b', '/a/b/c'));
  assert.ok(isInsideDir('/a/b', '/a/b/..c/d'));
  assert.ok(!isInsideDir('/a/b', '/a/bc'));
  assert.ok(!isInsideDir('/a/b', '/a/b'));
  assert.ok(isInsideDir('/a/b', '/a/b', true));
  assert.ok(!isInsideDir('/a/b', 'c'));
  assert.ok(!isInsideDir('/a/b', 7));
});
