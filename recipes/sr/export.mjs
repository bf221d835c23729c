// node recipes/sr/export.mjs <run-or-checkpoint-dir> <models/sr-xN>
// Copies a trained SR generator (model.json + weights.bin, no optimizer state) into the folder
// the package ships, with what it came from in training.json.
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const [src, dest] = process.argv.slice(2);
if (!src || !dest) {
  console.error('usage: node recipes/sr/export.mjs <run-or-checkpoint-dir> <dest>');
  process.exit(2);
}
const ck = existsSync(join(src, 'state.json')) ? src : join(src, 'checkpoints', 'latest');
const state = JSON.parse(readFileSync(join(ck, 'state.json'), 'utf8'));
if (state.model !== 'srgan') {
  console.error(`${ck} is not an srgan checkpoint`);
  process.exit(2);
}
mkdirSync(dest, { recursive: true });
for (const f of ['model.json', 'weights.bin']) copyFileSync(join(ck, 'generator', f), join(dest, f));
const runConfig = join(ck, '..', '..', 'config.json');
writeFileSync(
  join(dest, 'training.json'),
  `${JSON.stringify(
    {
      scale: state.spec.scale,
      step: state.step,
      savedAt: state.time,
      backend: state.backend,
      params: state.spec.params,
      config: existsSync(runConfig) ? JSON.parse(readFileSync(runConfig, 'utf8')) : undefined,
    },
    null,
    2,
  )}\n`,
);
console.log(`exported step ${state.step} (x${state.spec.scale}) to ${dest}`);
