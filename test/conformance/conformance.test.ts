// Kernel conformance: every kernel and gradient the model families use, on the native, wasm and
// webgpu backends, each against the pure-JS cpu backend (see cases.ts for the list). A wrong
// gradient anywhere shows as a failing case with its name. webgpu needs a WebGPU adapter: in CI
// Mesa's software Vulkan (llvmpipe, installed by test/integration/setup.sh); without one the
// "loads as itself" case fails with the reason.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { CASES } from './cases';

/** Largest |got - ref| allowed, relative to max(1, largest |ref|): float32 sums in another order. */
export const TOLERANCE = 1e-5;

/** GAN_CONFORMANCE_BACKENDS=webgpu (a comma list) runs only those; CI runs all three. */
const BACKENDS = ['native', 'wasm', 'webgpu'].filter((b) =>
  (process.env.GAN_CONFORMANCE_BACKENDS ?? b).split(',').includes(b),
);

const summary: string[] = [];
for (const backend of BACKENDS) {
  const started = Date.now();
  const run = spawnSync(process.execPath, [path.join(__dirname, 'worker.js'), backend], {
    encoding: 'utf8',
    timeout: 300_000,
  });
  const results = new Map<string, { errors?: number[]; error?: string; backend: string }>();
  for (const line of run.stdout.split('\n')) {
    if (line.startsWith('{')) {
      const r = JSON.parse(line) as { name: string; errors?: number[]; error?: string; backend: string };
      results.set(r.name, r);
    }
  }
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  const worst = Math.max(0, ...[...results.values()].flatMap((r) => r.errors ?? []));
  summary.push(`# ${backend}: ${results.size} cases in ${seconds} s, largest relative error ${worst.toExponential(2)}`);
  test(`${backend}: the backend loads as itself`, () => {
    assert.equal(run.status, 0, run.stderr);
    assert.equal([...results.values()][0]?.backend, backend, `fell back to another backend: ${run.stderr.slice(-500)}`);
  });
  for (const c of CASES) {
    test(`${backend}: ${c.name}`, () => {
      const r = results.get(c.name);
      assert.ok(r, `no result (worker stderr: ${run.stderr.slice(-500)})`);
      assert.equal(r.error, undefined);
      const labels = ['output', ...c.shapes.map((_, i) => `grad wrt input ${i}`)];
      r.errors!.forEach((e, i) => assert.ok(e <= TOLERANCE, `${labels[i]}: relative error ${e} > ${TOLERANCE}`));
    });
  }
}
test.after(() => {
  process.stdout.write(summary.join('\n') + '\n');
});
