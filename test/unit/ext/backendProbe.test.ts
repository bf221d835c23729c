// "Select Compute Backend": what each probed backend's line says (the GPU's name or why there
// is none, `auto`'s choice and its reason), and the setting's manifest entry against the code.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { BACKEND_NAMES, DEFAULT_BACKEND, type BackendName } from '../../../src/shared/backends';
import type { ProbeResult } from '../../../src/shared/trainerProtocol';
import { probeSummary } from '../../../src/extension/commands/probeSummary';
import { autoReason } from '../../../src/trainer/child';

const pkg = JSON.parse(readFileSync(path.join(__dirname, '..', '..', '..', 'package.json'), 'utf8'));
const LLVMPIPE = 'llvmpipe (LLVM 19.1.7, 256 bits) (mesa llvm) [software renderer]';

test('probe lines: the GPU by name, its speed, or why it is not usable', () => {
  assert.equal(
    probeSummary({
      backend: 'webgpu',
      active: 'webgpu',
      ok: true,
      device: 'NVIDIA H200 (nvidia hopper)',
      software: false,
      msPerStep: 81.3,
    }),
    'NVIDIA H200 (nvidia hopper), 12 steps/s',
  );
  assert.equal(
    probeSummary({
      backend: 'webgpu',
      ok: false,
      error: 'no WebGPU adapter: no GPU with a Vulkan (Linux), D3D12 (Windows) or Metal (macOS) driver was found',
    }),
    'not usable: no WebGPU adapter: no GPU with a Vulkan (Linux), D3D12 (Windows) or Metal (macOS) driver was found',
  );
  assert.equal(
    probeSummary({
      backend: 'webgpu',
      active: 'webgpu',
      ok: true,
      device: LLVMPIPE,
      software: true,
      error: 'a software renderer: not timed, far slower than native',
    }),
    `${LLVMPIPE}: slower than native`,
  );
  assert.equal(
    probeSummary({ backend: 'webgpu', active: 'webgpu', ok: true, device: LLVMPIPE, software: true, msPerStep: 4000 }),
    `${LLVMPIPE}: slower than native, 0.25 steps/s`,
  );
  assert.equal(
    probeSummary({
      backend: 'webgpu',
      active: 'webgpu',
      ok: false,
      device: LLVMPIPE,
      software: true,
      error: 'a training step failed: device lost',
    }),
    `not usable on ${LLVMPIPE}: a training step failed: device lost`,
  );
  assert.equal(probeSummary({ backend: 'native', active: 'native', ok: true, msPerStep: 415 }), '2.41 steps/s');
  assert.equal(
    probeSummary({
      backend: 'cpu',
      active: 'cpu',
      ok: true,
      error: 'pure JavaScript: not timed, far slower than the others',
    }),
    'loads, pure JavaScript: not timed, far slower than the others',
  );
  assert.equal(probeSummary({ backend: 'tfjs-node', ok: false, error: 'not installed' }), 'not usable: not installed');
});

test("probe lines: auto says which backend it would use and why, with that backend's speed once known", () => {
  const auto: ProbeResult = {
    backend: 'auto',
    active: 'native',
    ok: true,
    device: LLVMPIPE,
    software: true,
    reason: `no hardware GPU (the only WebGPU adapter is ${LLVMPIPE})`,
  };
  assert.equal(probeSummary(auto), `would use native: no hardware GPU (the only WebGPU adapter is ${LLVMPIPE})`);
  const probes = new Map<BackendName, ProbeResult>([
    ['native', { backend: 'native', active: 'native', ok: true, msPerStep: 415 }],
  ]);
  assert.equal(
    probeSummary(auto, probes),
    `would use native: no hardware GPU (the only WebGPU adapter is ${LLVMPIPE}), 2.41 steps/s`,
  );
  assert.equal(
    probeSummary({
      backend: 'auto',
      active: 'webgpu',
      ok: true,
      device: 'NVIDIA H200 (nvidia hopper)',
      software: false,
    }),
    'would use webgpu on NVIDIA H200 (nvidia hopper)',
  );
  assert.equal(
    probeSummary({
      backend: 'auto',
      active: 'wasm',
      ok: true,
      reason: 'no usable GPU: dawn.node could not load (x)',
      error: 'onnxruntime could not load (y); using the wasm backend',
    }),
    'would use wasm: no usable GPU: dawn.node could not load (x) (onnxruntime could not load (y); using the wasm backend)',
  );
  assert.equal(probeSummary({ backend: 'auto', ok: false, error: 'boom' }), 'not usable: boom');
});

test("the trainer reads auto's reason from its choice line", () => {
  const infos = ['backend auto -> native: no hardware GPU (the only WebGPU adapter is llvmpipe)'];
  assert.equal(autoReason(infos, 'native'), 'no hardware GPU (the only WebGPU adapter is llvmpipe)');
  assert.equal(autoReason(['GPU: NVIDIA H200', 'backend auto -> webgpu on NVIDIA H200'], 'webgpu'), undefined);
  assert.equal(autoReason([], 'native'), undefined);
});

test('the defaultBackend setting offers every backend the code knows, auto by default', () => {
  const setting = pkg.contributes.configuration.properties['ganStudio.defaultBackend'];
  assert.deepEqual(setting.enum, [...BACKEND_NAMES]);
  assert.equal(setting.default, DEFAULT_BACKEND);
  assert.equal(setting.enumDescriptions.length, BACKEND_NAMES.length);
});
