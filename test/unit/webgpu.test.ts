// The webgpu backend as a user meets it through the CLI, on whatever WebGPU adapter the machine
// has (in CI: Mesa's llvmpipe, a software Vulkan driver): training and the auto choice, runs
// that move between webgpu and native, upscale and translate giving native's pixels, and GPU
// failures (no driver, device lost, out of memory) ending in one line with the checkpoint kept.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runGan } from '../lib/cli';
import { readImage } from '../../src/trainer/engine/image/codec';
import { readMetrics, tmpDir, writeConfig } from './helpers';
import { texture, writeImage } from './srHelpers';

const gan = (args: string[], env: Record<string, string> = {}) => runGan(args, { env, timeout: 300_000 });
/** Hides every Vulkan driver from the loader: the machine then has no WebGPU adapter. */
const NO_VULKAN = { VK_ICD_FILENAMES: '/nonexistent/icd.json', VK_DRIVER_FILES: '/nonexistent/icd.json' };
const lastLine = (s: string) =>
  s
    .trim()
    .split('\n')
    .filter((l) => !/^Warning: /.test(l))
    .at(-1) ?? '';

let dir = '';
let haveGpu = false;
before(() => {
  dir = tmpDir('gan-webgpu-');
  const r = gan([
    'train',
    writeConfig(dir, { steps: 1 }, 'probe.json'),
    '--backend',
    'webgpu',
    '--run-dir',
    path.join(dir, 'probe'),
  ]);
  haveGpu = r.code === 0 && /backend webgpu/.test(r.stdout);
});
const needsGpu = () =>
  assert.ok(
    haveGpu,
    'no WebGPU adapter on this machine: install a Vulkan driver (CI: mesa-vulkan-drivers from bookworm-backports)',
  );

test('webgpu: gan train on the DCGAN example (batch 8) runs 20 steps, says which GPU, and records it', () => {
  needsGpu();
  // The example's networks and data at batch 8: a software GPU takes ~5 s a step at 8, ~50 at 64.
  const example = JSON.parse(fs.readFileSync('examples/mnist-dcgan/gan.config.json', 'utf8'));
  const config = path.join(dir, 'dcgan.json');
  fs.writeFileSync(config, JSON.stringify({ ...example, batchSize: 8, dataset: { kind: 'mnist', limit: 512 } }));
  const run = path.join(dir, 'dcgan');
  const r = gan(['train', config, '--backend', 'webgpu', '--max-steps', '20', '--run-dir', run]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /GPU: \S/);
  const m = readMetrics(run);
  assert.deepEqual(
    m
      .map((x) => x.step)
      .filter((s) => s > 0)
      .at(-1),
    20,
  );
  assert.ok(
    m.every((x) => x.backend === 'webgpu' && typeof x.gpu === 'string' && x.gpu.length > 0),
    'every record names webgpu and the GPU',
  );
  assert.ok(
    m.every((x) => Object.values(x.losses).every(Number.isFinite)),
    'finite losses',
  );
  assert.match(fs.readFileSync(path.join(run, 'events.log'), 'utf8'), /GPU: \S/);
  assert.ok(fs.existsSync(path.join(run, 'checkpoints', 'latest', 'state.json')));
});

test('webgpu: --backend auto with no hardware GPU picks native and says why in one line', () => {
  const r = gan([
    'train',
    writeConfig(dir, {}, 'auto.json'),
    '--backend',
    'auto',
    '--max-steps',
    '1',
    '--run-dir',
    path.join(dir, 'auto'),
  ]);
  assert.equal(r.code, 0, r.stderr);
  const line = `${r.stdout}\n${r.stderr}`.split('\n').find((l) => /backend auto -> /.test(l)) ?? '';
  // A machine with a real GPU takes it; every other machine says why not.
  assert.match(line, /backend auto -> (webgpu on \S.*|native: no (hardware|usable) GPU.+)/);
  assert.equal(readMetrics(path.join(dir, 'auto'))[0].backend, /-> webgpu/.test(line) ? 'webgpu' : 'native');
});

test('webgpu: with no Vulkan driver, --backend webgpu falls back to native with the reason', () => {
  const r = gan(
    [
      'train',
      writeConfig(dir, {}, 'nodrv.json'),
      '--backend',
      'webgpu',
      '--max-steps',
      '1',
      '--run-dir',
      path.join(dir, 'nodrv'),
    ],
    NO_VULKAN,
  );
  assert.equal(r.code, 0, r.stderr);
  assert.match(
    `${r.stdout}\n${r.stderr}`,
    /webgpu backend is not available \(no WebGPU adapter: .*Vulkan.*\); using native/,
  );
  assert.equal(readMetrics(path.join(dir, 'nodrv'))[0].backend, 'native');
});

test('webgpu: a dawn.node that will not load (injected: too old a C library) is named, and auto and webgpu use native', () => {
  for (const backend of ['webgpu', 'auto']) {
    const run = path.join(dir, `noload-${backend}`);
    const r = gan(
      [
        'train',
        writeConfig(dir, {}, `noload-${backend}.json`),
        '--backend',
        backend,
        '--max-steps',
        '1',
        '--run-dir',
        run,
      ],
      { GAN_TEST_INJECT_GPU: 'noload' },
    );
    assert.equal(r.code, 0, r.stderr);
    assert.match(
      `${r.stdout}\n${r.stderr}`,
      /dawn\.node needs a newer C library than this system has \(.*GLIBC_2\.99.*\)/,
    );
    assert.equal(readMetrics(run)[0].backend, 'native');
  }
});

for (const [first, second] of [
  ['webgpu', 'native'],
  ['native', 'webgpu'],
]) {
  test(`webgpu: a run started on ${first} resumes on ${second} with the same step numbering`, () => {
    needsGpu();
    const config = writeConfig(dir, { steps: 4, checkpointEvery: 2 }, `x-${first}.json`);
    const run = path.join(dir, `x-${first}`);
    assert.equal(gan(['train', config, '--backend', first, '--max-steps', '2', '--run-dir', run]).code, 0);
    const r = gan(['train', config, '--backend', second, '--resume', '--run-dir', run]);
    assert.equal(r.code, 0, r.stderr);
    const m = readMetrics(run).filter((x) => x.step > 0);
    assert.deepEqual(
      m.map((x) => x.step),
      [1, 2, 3, 4],
    );
    assert.deepEqual(
      m.map((x) => x.backend),
      [first, first, second, second],
    );
    assert.ok(m.every((x) => Object.values(x.losses).every(Number.isFinite)));
  });
}

/** Largest per-channel difference between two images of the same size. */
function maxDiff(a: string, b: string): number {
  const x = readImage(a),
    y = readImage(b);
  assert.deepEqual([x.width, x.height, x.channels], [y.width, y.height, y.channels]);
  let d = 0;
  for (let i = 0; i < x.data.length; i++) d = Math.max(d, Math.abs(x.data[i] - y.data[i]));
  return d;
}

test("webgpu: gan upscale gives native's pixels within 1 grey level (x2 and x4)", () => {
  needsGpu();
  const src = path.join(dir, 'photo.png');
  writeImage(src, texture(40, 28, 3, 2));
  for (const scale of ['2', '4']) {
    const out = (b: string) => path.join(dir, `photo.${b}.x${scale}.png`);
    for (const b of ['native', 'webgpu']) {
      const r = gan(['upscale', src, out(b), '--scale', scale, '--backend', b]);
      assert.equal(r.code, 0, `${b}: ${r.stderr}`);
    }
    assert.ok(
      maxDiff(out('native'), out('webgpu')) <= 1,
      `x${scale}: differs by ${maxDiff(out('native'), out('webgpu'))}`,
    );
  }
});

test("webgpu: gan translate from a CycleGAN checkpoint gives native's pixels within 1 grey level", () => {
  needsGpu();
  const proj = path.join(dir, 'cyc');
  assert.equal(gan(['init', 'cyclegan', proj]).code, 0);
  const file = path.join(proj, 'gan.config.json');
  const cfg = JSON.parse(fs.readFileSync(file, 'utf8'));
  delete cfg.modelFile;
  Object.assign(cfg, {
    imageSize: 32,
    batchSize: 1,
    steps: 1,
    checkpointEvery: 1,
    params: { ...cfg.params, ngf: 4, ndf: 4, residualBlocks: 1 },
  });
  fs.writeFileSync(file, JSON.stringify(cfg));
  const run = path.join(proj, 'run');
  assert.equal(gan(['train', file, '--backend', 'native', '--run-dir', run]).code, 0);
  const src = path.join(dir, 'in.png');
  writeImage(src, texture(36, 30, 3, 3));
  for (const b of ['native', 'webgpu']) {
    const r = gan(['translate', src, path.join(dir, `in.${b}.png`), '--checkpoint', run, '--backend', b]);
    assert.equal(r.code, 0, `${b}: ${r.stderr}`);
  }
  assert.ok(maxDiff(path.join(dir, 'in.native.png'), path.join(dir, 'in.webgpu.png')) <= 1);
});

for (const [fault, cause] of [
  ['lost', /GPU device was lost/],
  ['oom', /GPU ran out of memory/],
] as const) {
  test(`webgpu: GPU ${fault} at step 5 ends with one line naming it; the step-4 checkpoint is kept and resumes`, () => {
    needsGpu();
    const config = writeConfig(dir, { steps: 8, checkpointEvery: 2 }, `f-${fault}.json`);
    const run = path.join(dir, `f-${fault}`);
    const r = gan(['train', config, '--backend', 'webgpu', '--run-dir', run], { GAN_TEST_INJECT_GPU: `${fault}@5` });
    assert.equal(r.code, 1, r.stdout);
    const last = lastLine(r.stderr);
    assert.match(last, cause);
    assert.match(last, /resume/);
    assert.ok(!/\n\s+at /.test(r.stderr), 'no stack trace');
    const state = JSON.parse(fs.readFileSync(path.join(run, 'checkpoints', 'latest', 'state.json'), 'utf8'));
    assert.equal(state.step, 4);
    const again = gan(['train', config, '--backend', 'native', '--resume', '--run-dir', run]);
    assert.equal(again.code, 0, again.stderr);
    assert.deepEqual(
      readMetrics(run)
        .filter((x) => x.step > 0)
        .map((x) => x.step),
      [1, 2, 3, 4, 5, 6, 7, 8],
    );
  });
}
