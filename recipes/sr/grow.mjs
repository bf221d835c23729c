// node recipes/sr/grow.mjs <trained dir> <residual blocks> <out dir>
// The starting weights of a deeper resnet SR generator that computes exactly what a trained
// one computes, so a longer training can start from today's model instead of from scratch
// (identity initialisation of residual branches, as in Goyal et al. 2017 and Fixup): the
// trained blocks keep their weights, and each new block (added after them) has its second
// convolution at zero, so its branch adds nothing until training moves it, and its first
// He-initialised (seeded: the same file every run), so the branch can learn. The output is
// weights only (model.json holds just the manifest), for a config's `params.initGenerator`
// with the new `residualBlocks`. Layout of a resnet generator's weights (no batch norm): head
// conv (2), then 4 per block, then the tail.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fail, readJson, readWeightsAsFloat32, valueCount } from './float32-folder.mjs';

const [trainedDir, blocksText, outDir] = process.argv.slice(2);
const HEAD = 2,
  PER_BLOCK = 4;

function loadTrained(dir) {
  const { params } = readJson(join(dir, 'training.json'));
  if (params.srBlock !== 'resnet' || params.srBatchNorm)
    fail(
      `${dir} is not a resnet generator without batch norm (srBlock ${params.srBlock}, srBatchNorm ${params.srBatchNorm})`,
    );
  // A shipped float16 model is widened exactly: the grown network starts from what ships.
  const { group, floats } = readWeightsAsFloat32(dir);
  let at = 0;
  const weights = group.weights.map((w) => ({ ...w, values: floats.subarray(at, (at += valueCount(w))) }));
  return { blocks: params.residualBlocks, filters: params.ngf, weights };
}

/** Normal(0, std) values from a fixed seed (mulberry32 + Box-Muller): a plain .mjs recipe can't
 * import the project's TypeScript Rng; tfjs's seeded randomNormal would change the weights the
 * 16-block run in models/README.md started from. */
function normal(n, std, seed = 1) {
  let s = seed >>> 0;
  const uniform = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t ^= t + Math.imul(t ^ (t >>> 7), 61 | t);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++)
    out[i] = std * Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
  return out;
}

function newBlock(k, f) {
  const conv = (name, kernel) => [
    { name: `${name}/kernel`, shape: [3, 3, f, f], dtype: 'float32', values: kernel },
    { name: `${name}/bias`, shape: [f], dtype: 'float32', values: new Float32Array(f) },
  ];
  return [
    ...conv(`grown_block${k}_conv1`, normal(9 * f * f, Math.sqrt(2 / (9 * f)), k)),
    ...conv(`grown_block${k}_conv2`, new Float32Array(9 * f * f)),
  ];
}

const target = Number(blocksText);
if (!trainedDir || !outDir || !Number.isInteger(target))
  fail('usage: node recipes/sr/grow.mjs <trained dir> <residual blocks> <out dir>');
const trained = loadTrained(trainedDir);
if (target <= trained.blocks) fail(`${trainedDir} already has ${trained.blocks} blocks`);
const blocksEnd = HEAD + PER_BLOCK * trained.blocks;
const added = [];
for (let k = 1; k <= target - trained.blocks; k++) added.push(...newBlock(k, trained.filters));
const weights = [...trained.weights.slice(0, blocksEnd), ...added, ...trained.weights.slice(blocksEnd)];

mkdirSync(outDir, { recursive: true });
const manifest = [
  { paths: ['weights.bin'], weights: weights.map(({ name, shape }) => ({ name, shape, dtype: 'float32' })) },
];
writeFileSync(join(outDir, 'model.json'), `${JSON.stringify({ format: 'weights-only', weightsManifest: manifest })}\n`);
writeFileSync(
  join(outDir, 'weights.bin'),
  Buffer.concat(weights.map(({ values: v }) => Buffer.from(v.buffer, v.byteOffset, v.byteLength))),
);
console.log(
  `wrote ${outDir}: ${trainedDir}'s ${trained.blocks} blocks, then ${target - trained.blocks} identity blocks`,
);
