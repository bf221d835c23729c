// Which ESRGAN-family network a state dict holds, told from its keys and shapes alone:
// RRDBNet (ESRGAN, Real-ESRGAN x4plus/x2plus) in BasicSR's "new" key layout or ESRGAN's
// original "old" one, or Real-ESRGAN's SRVGGNetCompact. Every tensor the network will use is
// checked here, so a file that passes builds; anything else is refused in one line.
import { InputError } from '../../train/errors';
import type { StateDict, StateTensor } from './stateDict';

export interface RrdbParams {
  /** Feature channels (num_feat / nf). */
  nf: number;
  /** Growth channels of the dense blocks (num_grow_ch / gc). */
  gc: number;
  /** RRDB blocks (num_block / nb). */
  blocks: number;
  /** Colour channels in and out (3). */
  inChannels: number;
  outChannels: number;
  /** pixel_unshuffle factor applied to the input (1, 2 for x2plus, 4 for x1). */
  unshuffle: number;
  /** Nearest x2 upsampling steps (2 in every published RRDBNet). */
  upsamples: number;
}

export interface SrvggParams {
  nf: number;
  /** Body convolutions between the first and the last (num_conv). */
  numConv: number;
  inChannels: number;
  outChannels: number;
  act: 'prelu' | 'relu';
}

export type DetectedSr =
  | { arch: 'RRDBNet'; layout: 'new' | 'old'; scale: number; params: RrdbParams; keys: RrdbKeys }
  | { arch: 'SRVGGNetCompact'; layout: 'compact'; scale: number; params: SrvggParams; keys: SrvggKeys };

/** A convolution's weight and bias keys in the state dict. */
export interface ConvKeys {
  weight: string;
  bias: string;
}

export interface RrdbKeys {
  first: ConvKeys;
  /** [block][rdb 0..2][conv 0..4] */
  body: ConvKeys[][][];
  bodyConv: ConvKeys;
  ups: ConvKeys[];
  hr: ConvKeys;
  last: ConvKeys;
}

export interface SrvggKeys {
  /** The first conv, the numConv body convs, and the last conv, in order. */
  convs: ConvKeys[];
  /** PReLU weights after every conv but the last (empty without PReLU). */
  prelus: string[];
}

/** A model whose weights alone pass this many bytes is refused (as float32). */
export const MAX_MODEL_BYTES = 4 * 1024 ** 3;

const shapeText = (t: StateTensor) => `[${t.shape.join(',')}]`;

/** Wrappers the community's files put around the state dict (BasicSR's params_ema first). */
const WRAPPERS = ['params_ema.', 'params.', 'state_dict.', 'model_state_dict.', 'model.module.', 'module.'];

/**
 * The state dict with a wrapper prefix removed: BasicSR saves {params_ema, params}, DataParallel
 * prefixes "module.". Old-layout keys start with "model." themselves, so that one is kept.
 */
export function unwrapStateDict(sd: StateDict): StateDict {
  for (const prefix of WRAPPERS) {
    const inner = [...sd.keys()].filter((k) => k.startsWith(prefix));
    if (!inner.length) continue;
    if (prefix === 'model.module.' || inner.length === sd.size || prefix.startsWith('params')) {
      return new Map(inner.map((k) => [k.slice(prefix.length), sd.get(k)!]));
    }
  }
  return sd;
}

export function detectSrModel(raw: StateDict): DetectedSr {
  const sd = unwrapStateDict(raw);
  let found: DetectedSr;
  if (sd.has('conv_first.weight')) found = detectRrdbNew(sd);
  else if (sd.has('model.0.weight') && sd.has('model.1.sub.0.RDB1.conv1.0.weight')) found = detectRrdbOld(sd);
  else if (sd.has('body.0.weight') && isConv(sd.get('body.0.weight'))) found = detectSrvgg(sd);
  else throw notEsrgan(sd);
  checkShapes(sd, found);
  const bytes = 4 * weightCount(found);
  if (bytes > MAX_MODEL_BYTES)
    throw new InputError(`the model's weights take ${(bytes / 1024 ** 3).toFixed(1)} GB; at most 4 GB is supported`);
  return found;
}

function notEsrgan(sd: StateDict): InputError {
  const some = [...sd.entries()]
    .slice(0, 2)
    .map(([k, t]) => `${k} ${shapeText(t)}`)
    .join(', ');
  return new InputError(
    `not an ESRGAN-family model: found ${sd.size} tensor${sd.size === 1 ? '' : 's'}${some ? ` such as ${some}` : ''}; expected RRDBNet (conv_first.weight or model.0.weight) or SRVGGNetCompact (body.0.weight)`,
  );
}

const isConv = (t: StateTensor | undefined) => !!t && t.shape.length === 4;
const conv = (prefix: string): ConvKeys => ({ weight: `${prefix}.weight`, bias: `${prefix}.bias` });

/** The numbers N for which `${before}N${after}` is a key, checked to run 0..n-1. */
function countIndexed(sd: StateDict, before: string, after: string, what: string): number {
  const re = new RegExp(`^${before.replace(/\./g, '\\.')}(\\d+)${after.replace(/\./g, '\\.')}$`);
  const seen = new Set<number>();
  for (const k of sd.keys()) {
    const m = re.exec(k);
    if (m) seen.add(Number(m[1]));
  }
  for (let i = 0; i < seen.size; i++) {
    if (!seen.has(i)) throw new InputError(`incomplete RRDBNet: ${what} ${i} is missing (${before}${i}${after})`);
  }
  return seen.size;
}

/** The input side: colour channels and pixel_unshuffle factor from conv_first's input channels. */
function inputSide(inCh: number, outCh: number): { inChannels: number; unshuffle: number } {
  const byIn: Record<number, number> = { 3: 1, 12: 2, 48: 4 };
  if (outCh === 3 && byIn[inCh]) return { inChannels: 3, unshuffle: byIn[inCh] };
  if (inCh === 1 || inCh === 4 || inCh === 16 || outCh === 1)
    throw new InputError(
      `a 1-channel (greyscale) RRDBNet (${inCh} in, ${outCh} out) is not supported: only RGB models (3 channels)`,
    );
  throw new InputError(
    `an RRDBNet with ${inCh} input and ${outCh} output channels is not supported: expected 3 (x4), 12 (x2) or 48 (x1) in, 3 out`,
  );
}

function rrdbResult(
  layout: 'new' | 'old',
  keys: RrdbKeys,
  first: StateTensor,
  gcConv: StateTensor,
  last: StateTensor,
): DetectedSr {
  const nf = first.shape[0];
  const { inChannels, unshuffle } = inputSide(first.shape[1], last.shape[0]);
  const upsamples = keys.ups.length;
  const params: RrdbParams = {
    nf,
    gc: gcConv.shape[0],
    blocks: keys.body.length,
    inChannels,
    outChannels: 3,
    unshuffle,
    upsamples,
  };
  const scale = 2 ** upsamples / unshuffle;
  if (!Number.isInteger(scale) || scale < 1)
    throw new InputError(
      `an RRDBNet that upsamples x${2 ** upsamples} after pixel_unshuffle(${unshuffle}) is not supported`,
    );
  return { arch: 'RRDBNet', layout, scale, params, keys };
}

function detectRrdbNew(sd: StateDict): DetectedSr {
  const blocks = countIndexed(sd, 'body.', '.rdb1.conv1.weight', 'block');
  if (!blocks) throw new InputError('incomplete RRDBNet: conv_first.weight but no body.0.rdb1.conv1.weight');
  const body = Array.from({ length: blocks }, (_, b) =>
    [1, 2, 3].map((r) => [1, 2, 3, 4, 5].map((c) => conv(`body.${b}.rdb${r}.conv${c}`))),
  );
  let nUps = 0;
  while (sd.has(`conv_up${nUps + 1}.weight`)) nUps++;
  const keys: RrdbKeys = {
    first: conv('conv_first'),
    body,
    bodyConv: conv('conv_body'),
    ups: Array.from({ length: nUps }, (_, i) => conv(`conv_up${i + 1}`)),
    hr: conv('conv_hr'),
    last: conv('conv_last'),
  };
  requireKeys(sd, [keys.bodyConv, keys.hr, keys.last], 'RRDBNet');
  return rrdbResult(
    'new',
    keys,
    sd.get('conv_first.weight')!,
    sd.get('body.0.rdb1.conv1.weight')!,
    sd.get('conv_last.weight')!,
  );
}

/**
 * ESRGAN's original Sequential: model.0 first conv, model.1.sub.<i> the blocks then the body
 * conv, then per x2 step [Upsample, conv, LeakyReLU], then HR conv, LeakyReLU, last conv.
 */
function detectRrdbOld(sd: StateDict): DetectedSr {
  const blocks = countIndexed(sd, 'model.1.sub.', '.RDB1.conv1.0.weight', 'block');
  const body = Array.from({ length: blocks }, (_, b) =>
    [1, 2, 3].map((r) => [1, 2, 3, 4, 5].map((c) => conv(`model.1.sub.${b}.RDB${r}.conv${c}.0`))),
  );
  const tail = [...sd.keys()]
    .map((k) => /^model\.(\d+)\.weight$/.exec(k))
    .filter((m): m is RegExpExecArray => !!m && Number(m[1]) >= 2)
    .map((m) => Number(m[1]))
    .sort((a, b) => a - b);
  if (tail.length < 2)
    throw new InputError(`incomplete RRDBNet (old layout): found ${tail.length} convs after the body, need at least 2`);
  const ups = tail.slice(0, -2);
  ups.forEach((idx, i) => {
    if (idx !== 3 + 3 * i)
      throw new InputError(
        `unexpected old-layout RRDBNet: upsampling conv ${i + 1} is model.${idx}, expected model.${3 + 3 * i}`,
      );
  });
  const keys: RrdbKeys = {
    first: conv('model.0'),
    body,
    bodyConv: conv(`model.1.sub.${blocks}`),
    ups: ups.map((i) => conv(`model.${i}`)),
    hr: conv(`model.${tail[tail.length - 2]}`),
    last: conv(`model.${tail[tail.length - 1]}`),
  };
  requireKeys(sd, [keys.bodyConv], 'RRDBNet (old layout)');
  return rrdbResult(
    'old',
    keys,
    sd.get('model.0.weight')!,
    sd.get('model.1.sub.0.RDB1.conv1.0.weight')!,
    sd.get(keys.last.weight)!,
  );
}

/** body.0 conv, body.1 PReLU, ... alternating, the last body.<2n+2> conv with 3*s*s outputs. */
function detectSrvgg(sd: StateDict): DetectedSr {
  const first = sd.get('body.0.weight')!;
  const prelu = sd.get('body.1.weight');
  const act = prelu && prelu.shape.length === 1 ? 'prelu' : 'relu';
  let lastIdx = 0;
  while (isConv(sd.get(`body.${lastIdx + 2}.weight`))) lastIdx += 2;
  if (lastIdx < 2) throw new InputError('incomplete SRVGGNetCompact: body.0 is the only convolution');
  const last = sd.get(`body.${lastIdx}.weight`)!;
  const nf = first.shape[0];
  const inCh = first.shape[1];
  const outCh = last.shape[0];
  const s = Math.round(Math.sqrt(outCh / 3));
  if (inCh !== 3 || 3 * s * s !== outCh)
    throw new InputError(
      `an SRVGGNetCompact with ${inCh} input channels and a last conv of ${outCh} outputs is not supported: expected 3 in and 3*scale*scale out`,
    );
  const convs = Array.from({ length: lastIdx / 2 + 1 }, (_, i) => conv(`body.${2 * i}`));
  const prelus = act === 'prelu' ? Array.from({ length: lastIdx / 2 }, (_, i) => `body.${2 * i + 1}.weight`) : [];
  const params: SrvggParams = { nf, numConv: lastIdx / 2 - 1, inChannels: 3, outChannels: 3, act };
  return { arch: 'SRVGGNetCompact', layout: 'compact', scale: s, params, keys: { convs, prelus } };
}

function requireKeys(sd: StateDict, convs: ConvKeys[], what: string): void {
  for (const c of convs) if (!sd.has(c.weight)) throw new InputError(`incomplete ${what}: ${c.weight} is missing`);
}

/** Every tensor the network reads, with the shape it must have. */
export function expectedShapes(d: DetectedSr): Map<string, number[]> {
  const m = new Map<string, number[]>();
  const add = (c: ConvKeys, o: number, i: number) => {
    m.set(c.weight, [o, i, 3, 3]);
    m.set(c.bias, [o]);
  };
  if (d.arch === 'RRDBNet') {
    const { nf, gc, inChannels, unshuffle, outChannels } = d.params;
    add(d.keys.first, nf, inChannels * unshuffle * unshuffle);
    for (const rrdb of d.keys.body)
      for (const rdb of rrdb) rdb.forEach((c, k) => add(c, k === 4 ? nf : gc, nf + k * gc));
    add(d.keys.bodyConv, nf, nf);
    for (const u of d.keys.ups) add(u, nf, nf);
    add(d.keys.hr, nf, nf);
    add(d.keys.last, outChannels, nf);
  } else {
    const { nf, inChannels, outChannels } = d.params;
    const n = d.keys.convs.length;
    d.keys.convs.forEach((c, i) =>
      add(c, i === n - 1 ? outChannels * d.scale * d.scale : nf, i === 0 ? inChannels : nf),
    );
    for (const p of d.keys.prelus) m.set(p, [nf]);
  }
  return m;
}

function checkShapes(sd: StateDict, d: DetectedSr): void {
  for (const [key, shape] of expectedShapes(d)) {
    const t = sd.get(key);
    if (!t) throw new InputError(`incomplete ${d.arch} (${d.layout} layout): ${key} is missing`);
    if (t.shape.join(',') !== shape.join(','))
      throw new InputError(`${d.arch} (${d.layout} layout): ${key} is ${shapeText(t)}, expected [${shape.join(',')}]`);
  }
}

/** The number of weights the network uses (what "16.7M weights" counts). */
export function weightCount(d: DetectedSr): number {
  let n = 0;
  for (const shape of expectedShapes(d).values()) n += shape.reduce((a, b) => a * b, 1);
  return n;
}
