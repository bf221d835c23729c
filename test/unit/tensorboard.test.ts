// TensorBoard events files (<run>/tb/): a real `gan train` run, its file read back with a
// reader written here (its own CRC32C, framing and protobuf decoding, nothing shared with the
// writer): the file_version event, every number of metrics.jsonl as a scalar at its step, and
// the sample grids as PNG images. A resume adds a second file, starting with a SessionLog START
// at the step it restarts from, and leaves the first as it was.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PNG } from 'pngjs';
import { runGan } from '../lib/cli';
import { crc32c, frameRecord, maskCrc } from '../../src/trainer/train/tensorboard/records';
import { readMetrics, tmpDir, writeConfig } from './helpers';

/** Bit by bit, the slow way: the reference the writer's table-driven CRC is checked against. */
function crc32cBitwise(data: Uint8Array): number {
  let crc = ~0 >>> 0;
  for (const byte of data) {
    crc = (crc ^ byte) >>> 0;
    for (let k = 0; k < 8; k++) crc = (crc & 1 ? (crc >>> 1) ^ 0x82f63b78 : crc >>> 1) >>> 0;
  }
  return ~crc >>> 0;
}
const masked = (crc: number) => (((crc >>> 15) | ((crc << 17) >>> 0)) + 0xa282ead8) % 2 ** 32;

interface Field {
  num: number;
  wire: number;
  int?: bigint;
  bytes?: Buffer;
  fixed?: Buffer;
}

/** The fields of one protobuf message, in order. */
function decodeMessage(b: Buffer): Field[] {
  const out: Field[] = [];
  let i = 0;
  const varint = (): bigint => {
    let v = 0n;
    for (let shift = 0n; ; shift += 7n) {
      const byte = b[i++];
      assert.ok(byte !== undefined, 'varint runs past the end');
      v |= BigInt(byte & 0x7f) << shift;
      if (!(byte & 0x80)) return v;
    }
  };
  while (i < b.length) {
    const key = Number(varint());
    const f: Field = { num: key >> 3, wire: key & 7 };
    if (f.wire === 0) f.int = varint();
    else if (f.wire === 1) {
      f.fixed = b.subarray(i, i + 8);
      i += 8;
    } else if (f.wire === 5) {
      f.fixed = b.subarray(i, i + 4);
      i += 4;
    } else if (f.wire === 2) {
      const n = Number(varint());
      f.bytes = b.subarray(i, i + n);
      i += n;
    } else assert.fail(`unexpected wire type ${f.wire}`);
    assert.ok(i <= b.length, 'field runs past the end');
    out.push(f);
  }
  return out;
}

const one = (fs_: Field[], num: number) => fs_.find((f) => f.num === num);

interface Decoded {
  wallTime: number;
  step: number;
  fileVersion?: string;
  /** SessionLog status (1 = START). */
  sessionStatus?: number;
  scalars: Array<{ tag: string; value: number }>;
  images: Array<{ tag: string; height: number; width: number; colorspace: number; png: Buffer }>;
}

/** Every event of an events file; both CRCs of every record are checked. */
function readEvents(file: string): Decoded[] {
  const b = fs.readFileSync(file);
  const events: Decoded[] = [];
  let i = 0;
  while (i < b.length) {
    assert.ok(i + 12 <= b.length, 'a record header is cut off');
    const len = Number(b.readBigUInt64LE(i));
    assert.equal(
      b.readUInt32LE(i + 8),
      masked(crc32cBitwise(b.subarray(i, i + 8))),
      `length CRC of the record at ${i}`,
    );
    const data = b.subarray(i + 12, i + 12 + len);
    assert.equal(data.length, len, 'record data is cut off');
    assert.equal(b.readUInt32LE(i + 12 + len), masked(crc32cBitwise(data)), `data CRC of the record at ${i}`);
    i += 12 + len + 4;

    const ev = decodeMessage(data);
    const d: Decoded = {
      wallTime: one(ev, 1)!.fixed!.readDoubleLE(0),
      step: Number(one(ev, 2)?.int ?? 0n),
      scalars: [],
      images: [],
    };
    assert.equal(one(ev, 1)!.wire, 1, 'wall_time is a double');
    const fv = one(ev, 3);
    if (fv) d.fileVersion = fv.bytes!.toString('utf8');
    const sessionLog = one(ev, 7);
    if (sessionLog) d.sessionStatus = Number(one(decodeMessage(sessionLog.bytes!), 1)?.int ?? 0n);
    const summary = one(ev, 5);
    for (const v of summary ? decodeMessage(summary.bytes!).filter((f) => f.num === 1) : []) {
      const value = decodeMessage(v.bytes!);
      const tag = one(value, 1)!.bytes!.toString('utf8');
      const simple = one(value, 2);
      const image = one(value, 4);
      if (simple) {
        assert.equal(simple.wire, 5, 'simple_value is a float');
        d.scalars.push({ tag, value: simple.fixed!.readFloatLE(0) });
      }
      if (image) {
        const im = decodeMessage(image.bytes!);
        d.images.push({
          tag,
          height: Number(one(im, 1)!.int),
          width: Number(one(im, 2)!.int),
          colorspace: Number(one(im, 3)!.int),
          png: Buffer.from(one(im, 4)!.bytes!),
        });
      }
    }
    events.push(d);
  }
  return events;
}

/** The numbers a metrics line holds, by name (losses by their own names). */
function numbersOf(r: ReturnType<typeof readMetrics>[number]): Record<string, number> {
  const all: Record<string, unknown> = {
    ...r.losses,
    ...r.scores,
    epoch: r.epoch,
    msPerStep: r.msPerStep,
    dReal: r.dReal,
    dFake: r.dFake,
    lr: r.lr,
    numTensors: r.numTensors,
    rssMB: r.rssMB,
  };
  return Object.fromEntries(Object.entries(all).filter((e): e is [string, number] => typeof e[1] === 'number'));
}

const tbFiles = (runDir: string) =>
  fs
    .readdirSync(path.join(runDir, 'tb'))
    .sort()
    .map((n) => path.join(runDir, 'tb', n));

test('tensorboard: CRC32C of "123456789" is 0xE3069283, and the record framing', () => {
  const v = Buffer.from('123456789', 'ascii');
  assert.equal(crc32c(v), 0xe3069283);
  assert.equal(crc32cBitwise(v), 0xe3069283);
  assert.equal(crc32c(new Uint8Array(0)), 0);
  const random = Buffer.from(Array.from({ length: 1000 }, (_, i) => (i * 7919 + 13) & 0xff));
  assert.equal(crc32c(random), crc32cBitwise(random));
  assert.equal(maskCrc(0xe3069283), masked(0xe3069283));
  const rec = frameRecord(v);
  assert.equal(rec.length, 8 + 4 + 9 + 4);
  assert.equal(rec.readBigUInt64LE(0), 9n);
  assert.equal(rec.readUInt32LE(8), masked(crc32cBitwise(rec.subarray(0, 8))));
  assert.ok(rec.subarray(12, 21).equals(v));
  assert.equal(rec.readUInt32LE(21), masked(0xe3069283));
});

test('tensorboard: a run writes its metrics and sample grids to tb/, a resume adds a file', () => {
  const dir = tmpDir();
  const configPath = writeConfig(dir, { steps: 3, sampleEvery: 2, checkpointEvery: 2 });
  const runDir = path.join(dir, 'run');
  const first = runGan(['train', configPath, '--run-dir', runDir, '--backend', 'cpu', '--max-steps', '2']);
  assert.equal(first.code, 0, first.stderr);
  const [firstFile] = tbFiles(runDir);
  assert.equal(tbFiles(runDir).length, 1);
  const host = os.hostname().replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  assert.match(path.basename(firstFile), new RegExp(`^events\\.out\\.tfevents\\.\\d{10}\\.${host}$`));
  const firstBytes = fs.readFileSync(firstFile);

  const second = runGan(['train', configPath, '--run-dir', runDir, '--backend', 'cpu', '--resume']);
  assert.equal(second.code, 0, second.stderr);
  const files = tbFiles(runDir);
  assert.equal(files.length, 2, 'the resume writes a file of its own');
  assert.ok(fs.readFileSync(firstFile).equals(firstBytes), 'the first file is left as it was');
  assert.doesNotMatch(fs.readFileSync(path.join(runDir, 'events.log'), 'utf8'), /TensorBoard/);

  const perFile = files.map(readEvents);
  for (const events of perFile) {
    assert.equal(events[0].fileVersion, 'brain.Event:2', 'each file starts with its file_version event');
    assert.ok(events.every((e) => e.wallTime > 1.6e9 && e.wallTime < Date.now() / 1000 + 1));
  }
  // The resumed file says where the run restarts (step 3, after the checkpoint at 2), so
  // TensorBoard drops anything an earlier file logged from there on (a run killed mid-way).
  assert.deepEqual(
    perFile[1].filter((e) => e.sessionStatus !== undefined).map((e) => [e.step, e.sessionStatus]),
    [[3, 1]],
  );
  assert.equal(perFile[0].filter((e) => e.sessionStatus !== undefined).length, 0, 'a new run has no restart');
  const events = perFile.flat();

  // Every number of every metrics line, at its step, as float32; wall_time is the line's time.
  const records = readMetrics(runDir);
  assert.deepEqual(
    records.map((r) => r.step),
    [1, 2, 3],
  );
  for (const r of records) {
    const ev = events.filter((e) => e.step === r.step && e.scalars.length);
    assert.equal(ev.length, 1, `one scalars event at step ${r.step}`);
    const got = Object.fromEntries(ev[0].scalars.map((s) => [s.tag, s.value]));
    const want = numbersOf(r);
    assert.ok(Object.keys(want).includes('dLoss') && Object.keys(want).includes('gLoss'));
    assert.deepEqual(Object.keys(got).sort(), Object.keys(want).sort(), `tags at step ${r.step}`);
    for (const [tag, v] of Object.entries(want)) assert.equal(got[tag], Math.fround(v), `${tag} at step ${r.step}`);
    assert.ok(Math.abs(ev[0].wallTime - Date.parse(r.time) / 1000) < 0.002);
  }

  // Every grid of samples/ as an image of the same PNG at its step (steps 0, 2, 3).
  const samples = fs.readdirSync(path.join(runDir, 'samples')).sort();
  assert.deepEqual(samples, ['step-00000000.png', 'step-00000002.png', 'step-00000003.png']);
  for (const name of samples) {
    const step = Number(/\d+/.exec(name)![0]);
    const grid = fs.readFileSync(path.join(runDir, 'samples', name));
    const images = events.filter((e) => e.step === step).flatMap((e) => e.images);
    assert.equal(images.length, 1, `one image at step ${step}`);
    const [im] = images;
    assert.equal(im.tag, 'samples');
    const decoded = PNG.sync.read(im.png);
    const onDisk = PNG.sync.read(grid);
    assert.deepEqual([decoded.width, decoded.height], [onDisk.width, onDisk.height]);
    assert.deepEqual([im.width, im.height], [onDisk.width, onDisk.height]);
    assert.equal(im.colorspace, 4, 'RGBA');
    assert.ok(im.png.equals(grid), `the image at step ${step} is the grid's PNG`);
  }
});

test('tensorboard: a tb/ that cannot be written is one warning, training goes on', () => {
  const dir = tmpDir();
  const configPath = writeConfig(dir, { steps: 2 });
  const runDir = path.join(dir, 'run');
  fs.mkdirSync(runDir);
  fs.writeFileSync(path.join(runDir, 'tb'), 'in the way');
  const r = runGan(['train', configPath, '--run-dir', runDir, '--backend', 'cpu']);
  assert.equal(r.code, 0, r.stderr);
  const warnings = fs
    .readFileSync(path.join(runDir, 'events.log'), 'utf8')
    .split('\n')
    .filter((l) => /TensorBoard/.test(l));
  assert.equal(warnings.length, 1, warnings.join('\n'));
  assert.match(warnings[0], /^WARN cannot write TensorBoard events .*training goes on without them$/);
  assert.match(fs.readFileSync(path.join(runDir, 'events.log'), 'utf8'), /^finished 2 steps$/m);
});
