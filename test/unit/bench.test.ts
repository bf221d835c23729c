// `gan bench` for the image families (pix2pix, CycleGAN, SRGAN), as npm run bench:cpu runs it:
// one parsable JSON line with the model, the size and a positive time a step; a size the
// family cannot take is refused with one line and exit code 2. Small: 32x32, one timed step.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runGan } from '../lib/cli';

const TIMEOUT = 300_000;

for (const model of ['pix2pix', 'cyclegan', 'srgan']) {
  test(`bench: --model ${model} --size 32 prints one JSON line`, () => {
    const r = runGan(
      [
        'bench',
        '--model',
        model,
        '--size',
        '32',
        '--batch',
        '1',
        '--steps',
        '1',
        '--backend',
        'native',
        '--threads',
        '1',
      ],
      { timeout: TIMEOUT },
    );
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trim().split('\n');
    assert.equal(lines.length, 1, r.stdout);
    const j = JSON.parse(lines[0]);
    assert.equal(j.impl, 'gan-studio');
    assert.equal(j.backend, 'native');
    assert.equal(j.model, model);
    assert.equal(j.size, 32);
    assert.equal(j.batch, 1);
    assert.equal(j.threads, 1);
    assert.equal(j.steps, 1);
    assert.ok(typeof j.msPerStep === 'number' && j.msPerStep > 0, lines[0]);
    assert.ok(Number.isInteger(j.rssMB) && j.rssMB > 0, lines[0]);
    if (model === 'srgan') assert.equal(j.phase, 'adversarial');
  });
}

test('bench: a size the family cannot take is refused with one line, exit 2', () => {
  const cases: Array<[string[], RegExp]> = [
    [['--model', 'pix2pix', '--size', '33'], /^gan: --size 33 does not fit model "pix2pix": .*multiple of 32/],
    [['--model', 'cyclegan', '--size', '18'], /^gan: --size 18 does not fit model "cyclegan": .*multiple of 4/],
    [['--model', 'srgan', '--size', '40'], /^gan: --size .*must be a multiple of 16 for model "srgan" \(got 40\)$/],
    [['--model', 'pix2pix', '--size', 'big'], /^gan: --size must be an integer from 4 to 4096 \(got "big"\)$/],
    [['--model', 'cyclegan', '--size', '0'], /^gan: --size must be an integer from 4 to 4096 \(got "0"\)$/],
  ];
  for (const [args, expected] of cases) {
    const r = runGan(['bench', ...args, '--backend', 'cpu']);
    const lines = r.stderr.trim().split('\n');
    assert.equal(r.code, 2, `${args.join(' ')}: exit ${r.code}, stderr ${r.stderr}`);
    assert.equal(lines.length, 1, `${args.join(' ')}: one line, got:\n${r.stderr}`);
    assert.match(lines[0], expected, args.join(' '));
    assert.equal(r.stdout, '', 'nothing on stdout');
  }
});
