// The training-log grammar: its patterns compile and pick out what they should. (Oniguruma
// and JS regexes agree on every construct this grammar uses: lookbehind, classes, groups.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';

const grammar = JSON.parse(
  readFileSync(path.join(__dirname, '..', '..', '..', 'syntaxes', 'ganlog.tmLanguage.json'), 'utf8'),
);
const re = (name: string) => new RegExp(grammar.repository[name].match);

test('grammar: every pattern compiles and is reachable', () => {
  assert.equal(grammar.scopeName, 'text.log.ganlog');
  for (const [name, rule] of Object.entries(grammar.repository) as [string, { match: string }][]) {
    assert.doesNotThrow(() => new RegExp(rule.match), name);
    assert.ok(
      grammar.patterns.some((p: { include: string }) => p.include === `#${name}`),
      `${name} is used`,
    );
  }
});

test('grammar: steps, losses, warnings, errors, times, paths', () => {
  const line = '[12:01:02] [dcgan-mnist] step 120/5000 dLoss=0.6931 gLoss=1.2e-3 dReal=0.51 lr=0.0002';
  assert.equal(re('timestamp').exec(line)?.[0], '[12:01:02]');
  assert.equal(re('run-name').exec(line)?.[1], 'dcgan-mnist');
  const step = re('step').exec(line);
  assert.deepEqual([step?.[1], step?.[3], step?.[5]], ['step', '120', '5000']);
  const metrics = [...line.matchAll(new RegExp(grammar.repository.metric.match, 'g'))].map((m) => `${m[1]}=${m[3]}`);
  assert.deepEqual(metrics, ['dLoss=0.6931', 'gLoss=1.2e-3', 'dReal=0.51', 'lr=0.0002']);
  assert.ok(re('metric').test('gLoss=NaN'));
  // the trainer's own "name value" format
  const own = 'step 1/200  dLoss 1.403  gLoss 0.707  D(x) 0.49  D(G(z)) 0.49  7503.7 ms/step';
  const named = [...own.matchAll(new RegExp(grammar.repository['named-value'].match, 'g'))].map((m) =>
    m[1] ? `${m[1]}=${m[3]}` : `${m[4]} ${m[5]}`,
  );
  assert.deepEqual(named, ['dLoss=1.403', 'gLoss=0.707', 'D(x)=0.49', 'D(G(z))=0.49', '7503.7 ms/step']);
  assert.ok(re('error-line').test('[12:00:00] [x] ERROR dataset not found: /data/a'));
  assert.ok(re('error-line').test('Error: out of memory'));
  assert.ok(!re('error-line').test('[12:00:00] [x] step 10 dLoss=0.1'));
  assert.equal(re('warn-line').exec('[12:00:00] [x] WARN slow step')?.[2], 'WARN');
  assert.equal(
    re('path').exec('checkpoint saved to /w/runs/a/checkpoints/latest')?.[0],
    '/w/runs/a/checkpoints/latest',
  );
  assert.ok(re('timestamp').test('2026-11-23T12:01:02.123Z step 1'));
  assert.equal(re('status').exec('[t] [x] stopped at step 40')?.[0], 'stopped');
});
