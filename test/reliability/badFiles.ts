// The bad-file corpus, made at test time: zero-byte, truncated PNG and JPEG, a PNG whose
// header claims 30000x30000, text named .png, garbage after a JPEG marker, a WebP the engine
// cannot decode, a text file with a non-image extension, a folder named x.png. Each through
// `gan upscale` and `gan translate` must be one "gan: ..." line (exit 2) with nothing written;
// a pix2pix run on a folder holding all of them must train, skipping and naming each one.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { encodeImage, type RawImage } from '../../src/trainer/engine/image/codec';
import { errLines, gan, Tally, tmpDir, walk } from './common';

function pattern(w: number, h: number, seed: number): RawImage {
  const data = new Uint8Array(w * h * 3);
  for (let i = 0; i < w * h; i++) {
    const x = i % w,
      y = Math.floor(i / w);
    data.set([(x * 7 + seed * 31) & 255, (y * 5 + seed * 17) & 255, ((x ^ y) * 3) & 255], i * 3);
  }
  return { width: w, height: h, channels: 3, data };
}

function chunk(type: string, body: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(body.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(zlib.crc32(Buffer.concat([Buffer.from(type, 'latin1'), body])) >>> 0);
  return Buffer.concat([len, Buffer.from(type, 'latin1'), body, crc]);
}

/** A well-formed PNG header for a 30000 x 30000 RGB image, with a few bytes of data. */
function hugePng(): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(30000, 0);
  ihdr.writeUInt32BE(30000, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', zlib.deflateSync(Buffer.alloc(30001))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** name -> how to make it in `dir`. */
export function writeCorpus(dir: string): string[] {
  const png = encodeImage(pattern(40, 36, 1), 'png');
  const jpg = encodeImage(pattern(40, 36, 2), 'jpeg', 90);
  const files: Record<string, () => void> = {
    'zero-bytes.png': () => fs.writeFileSync(path.join(dir, 'zero-bytes.png'), Buffer.alloc(0)),
    'truncated.png': () => fs.writeFileSync(path.join(dir, 'truncated.png'), png.subarray(0, png.length >> 1)),
    'truncated.jpg': () => fs.writeFileSync(path.join(dir, 'truncated.jpg'), jpg.subarray(0, jpg.length >> 1)),
    'huge-30000x30000.png': () => fs.writeFileSync(path.join(dir, 'huge-30000x30000.png'), hugePng()),
    'text-named.png': () => fs.writeFileSync(path.join(dir, 'text-named.png'), 'this is not an image\n'),
    'garbage.jpg': () =>
      fs.writeFileSync(
        path.join(dir, 'garbage.jpg'),
        Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from('junk'.repeat(100))]),
      ),
    'picture.webp': () =>
      fs.writeFileSync(
        path.join(dir, 'picture.webp'),
        Buffer.concat([Buffer.from('RIFF\x10\x00\x00\x00WEBPVP8 ', 'latin1'), Buffer.alloc(8)]),
      ),
    'notes.txt': () => fs.writeFileSync(path.join(dir, 'notes.txt'), 'hello\n'),
    'folder.png': () => fs.mkdirSync(path.join(dir, 'folder.png')),
  };
  for (const make of Object.values(files)) make();
  return Object.keys(files);
}

export function badFileSuite(): { refused: Tally; training: Tally } {
  const refused = new Tally(),
    training = new Tally();
  const dir = tmpDir('gan-rel-bad-');
  // A small pix2pix set (A|B side by side) with the whole corpus mixed in: training skips them.
  const train = path.join(dir, 'pairs');
  fs.mkdirSync(train);
  for (let i = 0; i < 4; i++)
    fs.writeFileSync(path.join(train, `p${i}.png`), encodeImage(pattern(64, 32, i + 3), 'png'));
  const corpus = writeCorpus(train);
  fs.writeFileSync(
    path.join(dir, 'p2p.json'),
    JSON.stringify({
      name: 'p2p',
      model: 'pix2pix',
      dataset: { kind: 'paired', path: 'pairs' },
      imageSize: 32,
      batchSize: 2,
      steps: 3,
      seed: 1,
      logEvery: 1,
      sampleEvery: 3,
      checkpointEvery: 3,
      keepCheckpoints: 1,
      params: { ngf: 4, ndf: 4 },
    }),
  );
  const runDir = path.join(dir, 'run');
  const t = gan(['train', path.join(dir, 'p2p.json'), '--run-dir', runDir, '--backend', 'cpu']);
  // Image-like names must each be named as skipped; the others are not images to begin with.
  const imageLike = corpus.filter((f) => /\.(png|jpe?g)$/.test(f) && f !== 'folder.png');
  const unnamed = imageLike.filter(
    (f) => !t.stderr.includes(f) && !fs.readFileSync(path.join(runDir, 'events.log'), 'utf8').includes(f),
  );
  training.check(
    t.code === 0 && unnamed.length === 0 && fs.existsSync(path.join(runDir, 'checkpoints', 'latest', 'state.json')),
    `pix2pix on a folder with the corpus: exit ${t.code}, not named as skipped: ${unnamed.join(', ')}; ${t.stderr
      .trim()
      .split('\n')
      .filter((l) => !l.startsWith('WARN'))
      .join(' | ')}`,
  );

  const inputs = path.join(dir, 'inputs');
  fs.mkdirSync(inputs);
  const names = writeCorpus(inputs);
  const outDir = path.join(dir, 'out');
  fs.mkdirSync(outDir);
  for (const name of names) {
    const input = path.join(inputs, name);
    const runs: Array<[string, string[]]> = [
      ['upscale', ['upscale', input, path.join(outDir, `${name}-x4.png`), '--backend', 'cpu']],
      [
        'translate',
        ['translate', input, path.join(outDir, `${name}-t.png`), '--checkpoint', runDir, '--backend', 'cpu'],
      ],
    ];
    for (const [cmd, args] of runs) {
      const r = gan(args);
      const lines = errLines(r);
      const written = walk(outDir);
      refused.check(
        r.code === 2 && lines.length === 1 && /^gan: /.test(lines[0]) && written.length === 0,
        `gan ${cmd} ${name}: exit ${r.code}, stderr ${JSON.stringify(lines).slice(0, 300)}, written ${written.join(', ')}`,
      );
      for (const w of written) fs.rmSync(path.join(outDir, w), { recursive: true, force: true });
    }
  }
  fs.rmSync(dir, { recursive: true, force: true });
  return { refused, training };
}
