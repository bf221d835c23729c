// The host's checks before an upscale or translation is queued: every format the engine reads
// (PNG, JPEG, WebP, AVIF, TIFF, GIF, made here with sharp) passes with its size; anything else
// is named with the formats that would do, and nothing is queued for it.
import { mock } from './installVscodeMock';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import type Sharp from 'sharp';
import { checkImages } from '../../../src/extension/infer/upscaleCommand';
import { splitImages } from '../../../src/extension/infer/targets';

const win = mock.vscode.window as Record<string, unknown>;
// Loaded from node_modules at run time: sharp's native binding does not survive bundling.
const sharp = createRequire(path.join(__dirname, '..', '..', '..', 'package.json'))('sharp') as typeof Sharp;

test('WebP, AVIF, TIFF and GIF are upscaled like PNG and JPEG; a BMP is refused by name', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gan-inputs-'));
  const saved = win.showErrorMessage;
  const errors: string[] = [];
  win.showErrorMessage = async (m: string) => void errors.push(m);
  try {
    const raw = Buffer.alloc(40 * 30 * 3, 0);
    for (let i = 0; i < raw.length; i++) raw[i] = (i * 37) % 256;
    const files: string[] = [];
    for (const f of ['png', 'jpeg', 'webp', 'avif', 'tiff', 'gif'] as const) {
      const file = path.join(dir, `a.${f}`);
      await sharp(raw, { raw: { width: 40, height: 30, channels: 3 } })
        .toFormat(f)
        .toFile(file);
      files.push(file);
    }
    const bmp = path.join(dir, 'b.bmp');
    fs.writeFileSync(bmp, Buffer.concat([Buffer.from('BM'), Buffer.alloc(60)]));

    const { images, skipped } = splitImages([...files, bmp].map((f) => mock.vscode.Uri.file(f)) as never, true);
    assert.deepEqual(
      images.map((u) => path.basename(u.fsPath)),
      files.map((f) => path.basename(f)),
    );
    assert.deepEqual(skipped, ['b.bmp is not a PNG, JPEG, WebP, AVIF, TIFF or GIF image']);

    const ok = await checkImages('upscale', [...files, bmp]);
    assert.deepEqual(
      ok.map((c) => [path.basename(c.file), c.width, c.height]),
      files.map((f) => [path.basename(f), 40, 30]),
    );
    assert.equal(errors.length, 1);
    assert.match(errors[0], /^Cannot upscale "b\.bmp": BMP images are not supported .*\. Nothing was written\.$/);
  } finally {
    win.showErrorMessage = saved;
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
