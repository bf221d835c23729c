// File in, file out: decode (any format the codec reads, EXIF orientation applied), upscale, encode to a
// temporary name beside the output and rename, so a failure or a cancel leaves nothing behind
// and never a half-written file under the requested name.
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  encodeImageAsync,
  formatFromName,
  ImageDecodeError,
  readImage,
  type ImageFormat,
  type RawImage,
} from '../engine/image/codec';
import { PngWriter } from '../engine/image/pngStream';
import { upscaleImage, type UpscaleOptions } from './upscale';
import type { SrRunner } from './srModels';
import { InputError } from '../train/errors';

export interface UpscaleFileResult {
  input: { width: number; height: number; channels: number };
  output: { width: number; height: number; channels: number; file: string };
  seconds: number;
}

/** A bad input or output file: the CLI prints "gan: <file>: <reason>" and exits 2. */
export class FileProblem extends InputError {
  override name = 'FileProblem';
  constructor(
    readonly file: string,
    readonly reason: string,
  ) {
    super(`${file}: ${reason}`);
  }
}

export function tempNameFor(out: string): string {
  return path.join(path.dirname(out), `.${path.basename(out)}.${process.pid}.partial`);
}

/** Checks everything about input and output that can be checked before any work. */
export function readInput(input: string, output: string): { img: RawImage; format: ImageFormat } {
  const format = formatFromName(output);
  if (!format) throw new FileProblem(output, 'unsupported output type (use .png, .jpg, .jpeg or .webp)');
  const dir = path.dirname(path.resolve(output));
  if (!fs.existsSync(dir)) throw new FileProblem(output, `folder does not exist: ${dir}`);
  if (path.resolve(input) === path.resolve(output))
    throw new FileProblem(output, 'is the input file (choose another output name)');
  try {
    return { img: readImage(input), format };
  } catch (e) {
    if (e instanceof ImageDecodeError) throw new FileProblem(input, e.message);
    throw e;
  }
}

const WEBP_MAX_SIDE = 16383;

/** `pre`: what readInput already returned for these files (saves decoding twice). */
export async function upscaleFile(
  input: string,
  output: string,
  model: SrRunner,
  opts: UpscaleOptions = {},
  pre?: ReturnType<typeof readInput>,
): Promise<UpscaleFileResult> {
  const t0 = performance.now();
  const { img, format } = pre ?? readInput(input, output);
  const s = model.scale;
  const OW = img.width * s,
    OH = img.height * s;
  if (format === 'webp' && Math.max(OW, OH) > WEBP_MAX_SIDE)
    throw new FileProblem(output, `${OW}x${OH} is too large for WebP (${WEBP_MAX_SIDE} px a side at most; use .png)`);
  // JPEG has no alpha: a grey+alpha or RGBA input loses it there (PNG keeps it).
  const tmp = tempNameFor(output);
  let png: PngWriter | undefined;
  try {
    if (format === 'png') {
      png = new PngWriter(tmp, OW, OH, img.channels);
      const writer = png;
      await upscaleImage(img, model, (rows) => writer.writeRows(rows), opts);
      await png.close();
    } else {
      const all = new Uint8Array(OW * OH * img.channels);
      let y = 0;
      await upscaleImage(
        img,
        model,
        (rows, n) => {
          all.set(rows, y * OW * img.channels);
          y += n;
        },
        opts,
      );
      fs.writeFileSync(
        tmp,
        await encodeImageAsync({ width: OW, height: OH, channels: img.channels, data: all }, format),
      );
    }
    fs.renameSync(tmp, output);
  } catch (e) {
    png?.abort();
    fs.rmSync(tmp, { force: true });
    throw e;
  }
  const outChannels = format === 'jpeg' ? (img.channels <= 2 ? 1 : 3) : img.channels;
  return {
    input: { width: img.width, height: img.height, channels: img.channels },
    output: { width: OW, height: OH, channels: outChannels, file: output },
    seconds: (performance.now() - t0) / 1000,
  };
}
