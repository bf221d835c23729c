// Reading community PyTorch model files (issue 17): every fixture that
// scripts/make-sr-import-fixtures.py wrote with torch reads back with the keys, shapes and values
// torch recorded; hostile and broken files each end in one line, and nothing in them runs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readStateDict, type StateDict } from '../../src/trainer/infer/import/stateDict';
import { InputError } from '../../src/trainer/train/errors';
import { tmpDir } from './helpers';

const fixtureDir = path.resolve('test/fixtures/sr-import');

interface TensorStats {
  shape: number[];
  dtype: string;
  sum: number;
  first: number | null;
  last: number | null;
}
interface Fixture {
  file: string;
  arch: string | null;
  wrapper?: string | null;
  error?: string;
  tensors?: Record<string, TensorStats>;
}
const manifest = JSON.parse(fs.readFileSync(path.join(fixtureDir, 'manifest.json'), 'utf8')) as {
  fixtures: Fixture[];
};
const fixture = (f: string): string => path.join(fixtureDir, f);

/** The one-line InputError that reading file gives. */
function refusal(file: string): string {
  try {
    readStateDict(file);
  } catch (e) {
    assert.ok(e instanceof InputError, `expected an InputError, got ${String(e)}`);
    assert.ok(!e.message.includes('\n'), `more than one line: ${e.message}`);
    return e.message;
  }
  assert.fail(`${file} was read without an error`);
}

function checkAgainstTorch(sd: StateDict, expected: Record<string, TensorStats>): void {
  for (const [key, want] of Object.entries(expected)) {
    const t = sd.get(key);
    assert.ok(t, `missing ${key}`);
    assert.deepEqual(t.shape, want.shape, key);
    const reported = want.dtype === 'float16' || want.dtype === 'bfloat16' ? want.dtype : 'float32';
    assert.equal(t.dtype, reported, key);
    assert.equal(
      t.data.length,
      want.shape.reduce((a, b) => a * b, 1),
      key,
    );
    // float32 values are exact; the sum is torch's float64 sum of the same float32 values.
    assert.equal(t.data[0], want.first, `${key} first`);
    assert.equal(t.data[t.data.length - 1], want.last, `${key} last`);
    const sum = t.data.reduce((a, b) => a + b, 0);
    assert.ok(Math.abs(sum - want.sum) <= 1e-9 * (1 + Math.abs(want.sum)), `${key} sum ${sum} vs ${want.sum}`);
  }
}

for (const f of manifest.fixtures.filter((x) => x.tensors)) {
  test(`${f.file} reads with torch's keys, shapes and values`, () => {
    const sd = readStateDict(fixture(f.file));
    checkAgainstTorch(sd, f.tensors!);
    if (f.arch) assert.deepEqual([...sd.keys()], Object.keys(f.tensors!), 'exactly the model keys, in order');
  });
}

test('views.pth: strided, offset and shared storages come out C-contiguous', () => {
  const sd = readStateDict(fixture('views.pth'));
  const transposed = sd.get('transposed')!;
  const sliced = sd.get('sliced')!;
  const shared = sd.get('shared')!;
  // base is 4x6 (row-major); transposed[i][j] = base[j][i]; sliced = base[1:, ::2]; shared = base[2].
  const base = (r: number, c: number): number => transposed.data[c * 4 + r];
  assert.deepEqual(transposed.shape, [6, 4]);
  assert.deepEqual(sliced.shape, [3, 3]);
  for (let r = 0; r < 3; r++) for (let c = 0; c < 3; c++) assert.equal(sliced.data[r * 3 + c], base(r + 1, c * 2));
  assert.deepEqual(
    [...shared.data],
    [0, 1, 2, 3, 4, 5].map((c) => base(2, c)),
  );
  assert.equal(sd.get('num_batches_tracked')!.data[0], 7, 'int64 tensors are kept');
  assert.equal(sd.get('scalar')!.shape.length, 0);
  assert.equal(sd.get('scalar')!.data[0], 1.5);
  assert.ok(!sd.has('epoch') && !sd.has('note'), 'non-tensor values are dropped');
});

test('the SR fixtures unwrap params_ema / params and keep old-ESRGAN keys', () => {
  const x4 = readStateDict(fixture('rrdb-x4-new.pth'));
  const old = readStateDict(fixture('rrdb-x4-old.pth'));
  assert.equal(x4.size, old.size);
  assert.deepEqual(old.get('model.1.sub.0.RDB1.conv1.0.weight')!.data, x4.get('body.0.rdb1.conv1.weight')!.data);
  assert.deepEqual(old.get('model.10.bias')!.data, x4.get('conv_last.bias')!.data);
  assert.ok(readStateDict(fixture('srvgg-x4.pth')).has('body.1.weight'), 'PReLU weights');
  assert.deepEqual(readStateDict(fixture('classifier.pth')).get('fc.weight')!.shape, [10, 16]);
});

test('evil.pth is refused naming the callable, and its command never runs', () => {
  const marker = '/tmp/gan-studio-pwned';
  fs.rmSync(marker, { force: true });
  const msg = refusal(fixture('evil.pth'));
  assert.match(msg, /evil\.pth: refusing to load: the pickle calls posix\.system;/);
  assert.ok(!fs.existsSync(marker), 'the payload ran');
});

test('truncated, huge, legacy and non-model files each give their one line', () => {
  assert.match(refusal(fixture('truncated.pth')), /truncated\.pth is truncated or damaged: .*central directory/);
  assert.match(refusal(fixture('huge.safetensors')), /huge\.safetensors is too large to import: .*\[65536, 65536\]/);
  assert.match(refusal(fixture('huge.pth')), /huge\.pth is too large to import: .*\[2147483647\]/);
  assert.match(refusal(fixture('legacy.pth')), /saved by PyTorch before 1\.6.*re-save it/);
  assert.match(
    refusal(fixture('manifest.json')),
    /manifest\.json is not a PyTorch \.pth \(zip\) or \.safetensors file/,
  );
  assert.match(refusal(fixture('input.bin')), /is not a PyTorch \.pth/);
  assert.match(refusal(path.join(fixtureDir, 'no-such.pth')), /no-such\.pth: no such file/);
});

/** A safetensors file with the given header entries and data bytes. */
function writeSafetensors(file: string, header: object, data: Buffer, headerLen?: number): string {
  const json = Buffer.from(JSON.stringify(header));
  const len = Buffer.alloc(8);
  len.writeBigUInt64LE(BigInt(headerLen ?? json.length));
  fs.writeFileSync(file, Buffer.concat([len, json, data]));
  return file;
}

test('safetensors: a bad offset, a short header and an unknown dtype are refused', () => {
  const d = tmpDir('gan-st-');
  const data = Buffer.from(new Float32Array([1, 2, 3, 4]).buffer);
  const ok = writeSafetensors(
    path.join(d, 'ok.safetensors'),
    { w: { dtype: 'F32', shape: [2, 2], data_offsets: [0, 16] } },
    data,
  );
  assert.deepEqual([...readStateDict(ok).get('w')!.data], [1, 2, 3, 4]);
  const past = { w: { dtype: 'F32', shape: [2, 2], data_offsets: [8, 24] } };
  assert.match(refusal(writeSafetensors(path.join(d, 'past.safetensors'), past, data)), /past the end of the file/);
  const short = { w: { dtype: 'F32', shape: [2, 2], data_offsets: [0, 12] } };
  assert.match(refusal(writeSafetensors(path.join(d, 'short.safetensors'), short, data)), /has 12 bytes of data/);
  const longHeader = writeSafetensors(path.join(d, 'len.safetensors'), past, data, 1 << 20);
  assert.match(refusal(longHeader), /truncated or damaged: its header says 1048576 bytes/);
  const ints = { w: { dtype: 'U8', shape: [4], data_offsets: [0, 4] } };
  assert.match(refusal(writeSafetensors(path.join(d, 'u8.safetensors'), ints, data)), /dtype U8/);
  fs.rmSync(d, { recursive: true, force: true });
});
