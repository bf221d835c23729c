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

/** A stored zip (the layout torch.save writes) holding the given entries; CRCs are left 0. */
function writeZip(file: string, entries: Record<string, Buffer>): string {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, data] of Object.entries(entries)) {
    const n = Buffer.from(name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(n.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(n.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, n, data);
    centrals.push(central, n);
    offset += 30 + n.length + data.length;
  }
  const dir = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Object.keys(entries).length, 8);
  end.writeUInt16LE(Object.keys(entries).length, 10);
  end.writeUInt32LE(dir.length, 12);
  end.writeUInt32LE(offset, 16);
  fs.writeFileSync(file, Buffer.concat([...locals, dir, end]));
  return file;
}

const pickled = (s: string): Buffer => Buffer.from(s, 'latin1');

test('pickles outside the safe set are refused by name, before anything runs', () => {
  const d = tmpDir('gan-pkl-');
  const pth = (name: string, pkl: string): string => writeZip(path.join(d, name), { 'm/data.pkl': pickled(pkl) });
  // Protocol 4, {'x': builtins.eval('1+1')} through STACK_GLOBAL (what pickle.dumps writes).
  const evalPkl =
    '\x80\x04\x95&\x00\x00\x00\x00\x00\x00\x00}\x94\x8c\x01x\x94\x8c\x08builtins\x94\x8c\x04eval\x94\x93\x94' +
    '\x8c\x031+1\x94\x85\x94R\x94s.';
  assert.match(refusal(pth('eval.pth', evalPkl)), /refusing to load: the pickle calls builtins\.eval;/);
  // torch's other storage path unpickles arbitrary bytes: not allowed either.
  const fromBytes = '\x80\x02ctorch.storage\n_load_from_bytes\nq\x00.';
  assert.match(refusal(pth('bytes.pth', fromBytes)), /calls torch\.storage\._load_from_bytes/);
  // NEWOBJ builds an arbitrary object; the interpreter names the opcode it refuses.
  const newobj = '\x80\x02ccollections\nOrderedDict\nq\x00)\x81q\x01.';
  assert.match(refusal(pth('newobj.pth', newobj)), /refusing to load: the pickle uses opcode NEWOBJ/);
  // Well formed and harmless but holding no tensors.
  const noTensors = '\x80\x02ccollections\nOrderedDict\nq\x00)Rq\x01X\x01\x00\x00\x00aq\x02K\x01s.';
  assert.match(refusal(pth('empty.pth', noTensors)), /empty\.pth holds no tensors \(its top-level keys: a\)/);
  // A pickle cut short, and a zip that is not a PyTorch file.
  assert.match(refusal(pth('cut.pth', noTensors.slice(0, 36))), /cut\.pth is truncated or damaged: the pickle ends/);
  const other = writeZip(path.join(d, 'other.zip'), { 'readme.txt': Buffer.from('hi') });
  assert.match(refusal(other), /other\.zip cannot be imported: it is a zip archive but holds no data\.pkl/);
  fs.rmSync(d, { recursive: true, force: true });
});

test('a damaged .pth never escapes as anything but one InputError line', () => {
  const d = tmpDir('gan-cut-');
  const file = path.join(d, 'm.pth');
  const whole = fs.readFileSync(fixture('views.pth'));
  const expectOneLine = (bytes: Buffer): void => {
    fs.writeFileSync(file, bytes);
    try {
      readStateDict(file);
    } catch (e) {
      assert.ok(e instanceof InputError && !e.message.includes('\n'), String(e));
    }
  };
  for (let n = 0; n < whole.length; n += 7) expectOneLine(whole.subarray(0, n));
  // Every byte of the pickle and the zip records around it, set to 0 and to 0xff.
  for (let i = 0; i < 900; i++) {
    for (const v of [0, 0xff]) {
      const bytes = Buffer.from(whole);
      bytes[i] = v;
      expectOneLine(bytes);
    }
  }
  fs.rmSync(d, { recursive: true, force: true });
});
