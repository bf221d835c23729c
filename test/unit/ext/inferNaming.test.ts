// Output names of inference results: beside the original, `<name>.x4.png`, a counter instead
// of ever overwriting, and the child's atomic claim of the name.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync, readdirSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  firstFreeName,
  isCandidateName,
  translateOutputName,
  upscaleOutputName,
  withCounter,
} from '../../../src/shared/outputNames';
import { publishNoOverwrite, stagingNameFor } from '../../../src/trainer/infer/publish';

test('upscale and translate names sit beside the original and are PNG', () => {
  assert.equal(upscaleOutputName('/w/img/photo.png', 4), '/w/img/photo.x4.png');
  assert.equal(upscaleOutputName('/w/img/photo.JPG', 2), '/w/img/photo.x2.png');
  assert.equal(upscaleOutputName('/w/img/my.holiday.webp', 4), '/w/img/my.holiday.x4.png');
  assert.equal(upscaleOutputName('/w/noext', 4), '/w/noext.x4.png');
  assert.equal(translateOutputName('/w/a.jpeg', 'AtoB'), '/w/a.AtoB.png');
  assert.equal(translateOutputName('/w/a.png', '../../etc/x'), '/w/a.etc-x.png');
  assert.equal(translateOutputName('/w/a.png', '...'), '/w/a.translated.png');
});

test('counters: photo.x4.png, photo.x4-2.png, photo.x4-3.png', () => {
  assert.equal(withCounter('/w/p.x4.png', 1), '/w/p.x4.png');
  assert.equal(withCounter('/w/p.x4.png', 2), '/w/p.x4-2.png');
  const taken = new Set(['/w/p.x4.png', '/w/p.x4-2.png']);
  assert.equal(
    firstFreeName('/w/p.x4.png', (p) => taken.has(p)),
    '/w/p.x4-3.png',
  );
  assert.equal(
    firstFreeName('/w/p.x4.png', () => false),
    '/w/p.x4.png',
  );
  assert.throws(() => firstFreeName('/w/p.x4.png', () => true), /no free file name/);
});

test('isCandidateName accepts only the wanted name and its counter variants', () => {
  assert.ok(isCandidateName('/w/p.x4.png', '/w/p.x4.png'));
  assert.ok(isCandidateName('/w/p.x4.png', '/w/p.x4-2.png'));
  assert.ok(isCandidateName('/w/p.x4.png', '/w/p.x4-9999.png'));
  for (const bad of [
    '/w/p.x4-1.png',
    '/w/p.x4-02.png',
    '/w/p.x4-a.png',
    '/w/p.x4.jpg',
    '/etc/passwd',
    '/w/p.x4-2.png/../../x.png',
    '/w/q.x4.png',
  ]) {
    assert.ok(!isCandidateName('/w/p.x4.png', bad), bad);
  }
});

test('publishNoOverwrite never replaces an existing file and leaves no staging file', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gan-name-'));
  try {
    const desired = path.join(dir, 'photo.x4.png');
    writeFileSync(desired, 'existing');
    writeFileSync(path.join(dir, 'photo.x4-2.png'), 'existing 2');
    const staging = stagingNameFor(desired, 1);
    assert.ok(path.basename(staging).startsWith('.'), 'staging is hidden');
    writeFileSync(staging, 'new');
    const out = publishNoOverwrite(staging, desired);
    assert.equal(out, path.join(dir, 'photo.x4-3.png'));
    assert.equal(readFileSync(desired, 'utf8'), 'existing');
    assert.equal(readFileSync(path.join(dir, 'photo.x4-2.png'), 'utf8'), 'existing 2');
    assert.equal(readFileSync(out, 'utf8'), 'new');
    assert.ok(!existsSync(staging));
    assert.deepEqual(readdirSync(dir).sort(), ['photo.x4-2.png', 'photo.x4-3.png', 'photo.x4.png']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
