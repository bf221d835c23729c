// recipes/sr/rcc-extract.mjs unpacks GCompris's photos from Qt resource bundles for the SR
// training data. The bundle here is laid out by hand from Qt's documented format (version 2:
// header, 22-byte tree nodes, UTF-16 names, length-prefixed data, qCompress'd entries).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { loadSharp } from '../../src/trainer/engine/image/sharpOps';

const sharp = loadSharp();

interface Entry {
  name: string;
  children?: Entry[];
  bytes?: Buffer;
  compress?: boolean;
}

function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
}

/** A version-2 .rcc holding `root`'s tree (children of a directory are consecutive nodes). */
function rcc(root: Entry): Buffer {
  const names: Buffer[] = [],
    data: Buffer[] = [];
  let namesLen = 0,
    dataLen = 0;
  const nameOffset = (name: string) => {
    const utf16 = Buffer.from(name, 'utf16le').swap16();
    const b = Buffer.concat([Buffer.from([0, name.length]), u32(0), utf16]);
    names.push(b);
    namesLen += b.length;
    return namesLen - b.length;
  };
  const queue: { e: Entry; index: number }[] = [{ e: root, index: 0 }];
  let next = 1;
  const slots: Buffer[] = [Buffer.alloc(22)];
  while (queue.length) {
    const { e, index } = queue.shift()!;
    const node = Buffer.alloc(22);
    node.writeUInt32BE(index === 0 ? 0 : nameOffset(e.name), 0);
    if (e.children) {
      node.writeUInt16BE(2, 4);
      node.writeUInt32BE(e.children.length, 6);
      node.writeUInt32BE(next, 10);
      for (const c of e.children) {
        queue.push({ e: c, index: next++ });
        slots.push(Buffer.alloc(22));
      }
    } else {
      const payload = e.compress ? Buffer.concat([u32(e.bytes!.length), zlib.deflateSync(e.bytes!)]) : e.bytes!;
      node.writeUInt16BE(e.compress ? 1 : 0, 4);
      node.writeUInt32BE(dataLen, 10);
      data.push(u32(payload.length), payload);
      dataLen += 4 + payload.length;
    }
    slots[index] = node;
  }
  const tree = Buffer.concat(slots),
    dataBuf = Buffer.concat(data),
    namesBuf = Buffer.concat(names);
  const header = Buffer.concat([
    Buffer.from('qres'),
    u32(2),
    u32(20),
    u32(20 + tree.length),
    u32(20 + tree.length + dataBuf.length),
  ]);
  return Buffer.concat([header, tree, dataBuf, namesBuf]);
}

const extract = (...args: string[]) =>
  spawnSync(process.execPath, [path.resolve('recipes/sr/rcc-extract.mjs'), ...args], { encoding: 'utf8' });

test('recipes/sr/rcc-extract.mjs: unpacks the photos and README of a Qt resource bundle, halved on request', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gan-rcc-'));
  const photo = await sharp({ create: { width: 40, height: 20, channels: 3, background: '#3a7' } })
    .webp()
    .toBuffer();
  const readme = Buffer.from('Copyright: someone\nLicense: CC0-1.0\nFiles: bee.webp\n'.repeat(20));
  const bundle = rcc({
    name: '',
    children: [
      {
        name: 'erase',
        children: [
          { name: 'Erase.qml', bytes: Buffer.from('Item {}'), compress: true },
          {
            name: 'resource',
            children: [
              { name: 'bee.webp', bytes: photo },
              { name: 'README', bytes: readme, compress: true },
            ],
          },
        ],
      },
    ],
  });
  fs.writeFileSync(path.join(dir, 'erase.rcc'), bundle);

  const r = extract(path.join(dir, 'erase.rcc'), path.join(dir, 'out'));
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(fs.readdirSync(path.join(dir, 'out')).sort(), ['erase-README', 'erase-bee.webp']);
  assert.deepEqual(fs.readFileSync(path.join(dir, 'out', 'erase-bee.webp')), photo);
  assert.deepEqual(fs.readFileSync(path.join(dir, 'out', 'erase-README')), readme);

  const half = extract(path.join(dir, 'erase.rcc'), path.join(dir, 'half'), '--half');
  assert.equal(half.status, 0, half.stderr);
  const meta = await sharp(path.join(dir, 'half', 'erase-bee.png')).metadata();
  assert.deepEqual([meta.format, meta.width, meta.height], ['png', 20, 10]);
});

test('recipes/sr/rcc-extract.mjs: a file that is not a Qt resource bundle gets one clear line', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gan-rcc-'));
  fs.writeFileSync(path.join(dir, 'x.rcc'), 'PK\u0003\u0004 not a bundle at all');
  const r = extract(path.join(dir, 'x.rcc'), path.join(dir, 'out'));
  assert.equal(r.status, 1);
  assert.equal(r.stderr.trim(), 'rcc-extract: not a Qt resource file (no "qres" magic)');
});
