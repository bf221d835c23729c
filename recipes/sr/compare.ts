// The README's comparison table on the held-out crops: bicubic and each model on the same x4
// inputs (eval-sr's protocol: LR = our bicubic x1/4, PSNR-Y / SSIM-Y / sharpness with a 4 px
// border cropped), timed in the same process, one model after the other on each crop. Results
// are rewritten after every crop (a slow model such as Real-ESRGAN x4plus on the CPU can be
// stopped by `timeout` and keep what it did), and each output can be saved for
// figure-crops.ts's --outputs. `--model esrgan-thick` is UpscalerJS's RRDN (dev dependency):
// its model.json uses two custom layers, defined here since eval-sr does not run it.
//   npx esbuild recipes/sr/compare.ts --bundle --platform=node --outfile=out/compare.js \
//     --external:onnxruntime-node --external:webgpu --external:sharp --external:@tensorflow/tfjs-node
//   node out/compare.js <hr folder> <result.json> --model fidelity --model x4plus=<file.safetensors> \
//     --model esrgan-thick [--save <folder>] [--backend native]
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../src/trainer/engine/backend';
import type { BackendName } from '../../src/shared/backends';
import { modelLoadHandler } from '../../src/trainer/engine/modelIO';
import { takeFloats } from '../../src/trainer/engine/read';
import { readImage } from '../../src/trainer/engine/image/codec';
import { resizeBytes } from '../../src/trainer/engine/image/resize';
import { encodePng } from '../../src/trainer/engine/imageGrid';
import { toRgb, listImages } from '../../src/trainer/data/srFolder';
import { compareY, sharpnessRatio } from '../../src/trainer/infer/metrics';
import { runModel } from '../../src/trainer/infer/evalSr';
import { loadSrRunner, type SrRunner } from '../../src/trainer/infer/srModels';
import { pixelShuffle } from '../../src/trainer/models/blocks/pixelShuffle';

const S = 4;

/** esrgan-thick's residual scaling: the input times the `beta` of its config (0.2). */
class MultiplyBeta extends tf.layers.Layer {
  static readonly className = 'MultiplyBeta';
  readonly beta: number;
  constructor(args: { beta?: number; name?: string }) {
    super(args);
    this.beta = args.beta ?? 0.2;
  }
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.mul(Array.isArray(inputs) ? inputs[0] : inputs, this.beta);
  }
  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), beta: this.beta };
  }
}
/** Its x4 depth_to_space: the same channel order as our pixelShuffle, under its own name. */
class PixelShuffle4x extends tf.layers.Layer {
  static readonly className = 'PixelShuffle4x';
  override computeOutputShape(s: tf.Shape): tf.Shape {
    return [s[0], s[1] === null ? null : s[1] * S, s[2] === null ? null : s[2] * S, 3];
  }
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return pixelShuffle((Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor4D, S);
  }
}
tf.serialization.registerClass(MultiplyBeta);
tf.serialization.registerClass(PixelShuffle4x);

/** UpscalerJS esrgan-thick x4 from node_modules: takes and gives 0..1. */
async function loadThick(): Promise<SrRunner> {
  const dir = path.resolve('node_modules/@upscalerjs/esrgan-thick/models/x4');
  if (!fs.existsSync(path.join(dir, 'model.json')))
    throw new Error('esrgan-thick needs npm install (it is a devDependency)');
  const model = await tf.loadLayersModel(modelLoadHandler(dir));
  return {
    name: 'esrgan-thick',
    scale: S,
    run: async (tile, h, w) =>
      takeFloats(
        tf.tidy(() => {
          const x = tf.div(tf.tensor4d(tile, [1, h, w, 3]), 255);
          return tf.mul(model.predict(x) as tf.Tensor, 255);
        }),
      ),
    dispose: () => model.dispose(),
  };
}

interface Row {
  file: string;
  /** Input megapixels (the x4-reduced crop). */
  mp: number;
  [model: string]: { psnr: number; ssim: number; sharpness: number; seconds?: number } | string | number;
}

function summary(rows: Row[], names: string[]) {
  const mp = rows.reduce((a, r) => a + r.mp, 0);
  const mean: Record<string, Record<string, number>> = {};
  for (const n of ['bicubic', ...names]) {
    const ks = rows.map((r) => r[n] as { psnr: number; ssim: number; sharpness: number; seconds?: number });
    const avg = (f: (k: (typeof ks)[0]) => number) => ks.reduce((a, k) => a + f(k), 0) / ks.length;
    mean[n] = {
      psnr: avg((k) => k.psnr),
      ssim: avg((k) => k.ssim),
      sharpness: avg((k) => k.sharpness),
      distanceFrom1: avg((k) => Math.abs(1 - k.sharpness)),
      secondsPerMP: n === 'bicubic' ? 0 : ks.reduce((a, k) => a + (k.seconds ?? 0), 0) / mp,
    };
  }
  return mean;
}

async function main(): Promise<void> {
  const { values: o, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      model: { type: 'string', multiple: true, default: [] },
      save: { type: 'string' },
      backend: { type: 'string', default: 'native' },
    },
  });
  const [folder, resultFile] = positionals;
  if (!folder || !resultFile || !o.model.length)
    throw new Error('usage: compare.js <hr folder> <result.json> --model [label=]spec... [--save dir]');
  const backend = await initBackend(o.backend as BackendName);
  const models: SrRunner[] = [];
  const labels: string[] = [];
  for (const spec of o.model) {
    const [label, what] = spec.includes('=') ? spec.split('=', 2) : [spec, spec];
    models.push(what === 'esrgan-thick' ? await loadThick() : await loadSrRunner(what, S));
    labels.push(label);
  }
  const rows: Row[] = [];
  for (const file of listImages(folder)) {
    const img = readImage(file),
      w = img.width,
      h = img.height,
      rgb = toRgb(img);
    const lr = resizeBytes(rgb, w, h, 3, w / S, h / S);
    const score = (out: Uint8Array) => ({
      ...compareY(rgb, out, w, h, 3, S),
      sharpness: sharpnessRatio(rgb, out, w, h, 3, S),
    });
    const row: Row = {
      file: path.basename(file),
      mp: (w / S) * (h / S) * 1e-6,
      bicubic: score(resizeBytes(lr, w / S, h / S, 3, w, h)),
    };
    for (const [i, m] of models.entries()) {
      const { out, seconds } = await runModel(m, lr, w / S, h / S);
      row[labels[i]] = { ...score(out), seconds };
      if (o.save) {
        const dir = path.join(o.save, labels[i]);
        fs.mkdirSync(dir, { recursive: true });
        const rgba = new Uint8Array(w * h * 4).fill(255);
        for (let p = 0; p < w * h; p++) rgba.set(out.subarray(p * 3, p * 3 + 3), p * 4);
        fs.writeFileSync(path.join(dir, path.basename(file)), encodePng(w, h, rgba));
      }
    }
    rows.push(row);
    const result = {
      backend,
      date: new Date().toISOString(),
      rows,
      mean: summary(rows, labels),
    };
    fs.writeFileSync(resultFile, `${JSON.stringify(result, null, 1)}\n`);
    console.error(
      `${rows.length} ${row.file} ${labels.map((l) => `${l} ${(row[l] as { seconds: number }).seconds.toFixed(1)} s`).join(', ')}`,
    );
  }
  for (const m of models) m.dispose();
}

main().catch((e) => {
  console.error(`compare: ${(e as Error).message}`);
  process.exit(1);
});
