// The experiment config (gan.config.json): types, validation and resolution.
// The JSON schema next to this file is the single source of truth for keys, types and
// defaults; this module only turns ajv's findings into one readable line per problem
// and resolves relative paths against the config's folder.
import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv, { type ErrorObject } from 'ajv';
import { FAMILY_INFOS, type ModelKind } from '../trainer/models/infos';
import schemaJson from './gan.config.schema.json';

// The families and what the config asks them come from their registry (TensorFlow-free).
export { MODEL_KINDS, type ModelKind } from '../trainer/models/infos';

export type DatasetConfig =
  | { kind: 'mnist'; split: 'train' | 'test'; limit?: number }
  | { kind: 'fashion-mnist'; path?: string; split: 'train' | 'test'; limit?: number }
  | {
      kind: 'folder';
      path: string;
      labels: 'none' | 'subfolders';
      channels: 'auto' | 1 | 3;
      jitter: boolean;
      flip: boolean;
    }
  | {
      kind: 'paired';
      path: string;
      direction: Direction;
      layout: 'auto' | 'side-by-side' | 'folders';
      make?: PairMaker;
      valPath?: string;
      jitter: boolean;
      flip: boolean;
    }
  | {
      kind: 'unpaired';
      pathA: string;
      pathB: string;
      valPathA?: string;
      valPathB?: string;
      jitter: boolean;
      flip: boolean;
    }
  | { kind: 'sr'; path: string; scale: 2 | 4; crops?: number; flip: boolean };
export type DatasetKind = DatasetConfig['kind'];
export type Direction = 'AtoB' | 'BtoA';
/** How `paired` data makes A from a plain photo (B). */
export type PairMaker = 'grayscale' | 'edges' | 'blurred';

export interface OptimizerConfig {
  lr: number;
  beta1: number;
  beta2: number;
}

export interface ParamsConfig {
  latentDim: number;
  ngf: number;
  ndf: number;
  dropout: number;
  /** Decay of the generator's weight average that draws the samples (gan, dcgan, cgan); 0 = off. */
  emaDecay: number;
  /** dcgan / cgan: the DCGAN paper's networks, the TensorFlow tutorial's, or by imageSize (auto). */
  networks: 'auto' | 'tutorial' | 'paper';
  lambdaL1: number;
  lambdaCycle: number;
  lambdaIdentity: number;
  poolSize: number;
  decayFrom: number;
  residualBlocks: number;
  /** pix2pix / cyclegan normalisation; auto = the paper's (batch / instance). */
  norm: 'auto' | 'batch' | 'instance';
  // srgan
  srBlock: 'resnet' | 'rrdb';
  srBatchNorm: boolean;
  srUpsampler: 'lr' | 'shuffle';
  pretrainSteps: number;
  pixelLoss: 'l1' | 'l2';
  lambdaPixel: number;
  lambdaContent: number;
  lambdaAdv: number;
  /** srgan: weight of the loss on the error's PixelShuffle grid in the GAN phase; 0 = off. */
  lambdaGrid: number;
  adversarial: 'standard' | 'relativistic';
  /** srgan: a saved generator folder a new run starts from (absolute once resolved). */
  initGenerator?: string;
}

/** A validated config with every default filled and every path absolute. */
export interface GanConfig {
  name: string;
  model: ModelKind;
  modelFile?: string;
  dataset: DatasetConfig;
  imageSize: number;
  batchSize: number;
  steps: number;
  seed: number;
  optimizer: OptimizerConfig;
  logEvery: number;
  sampleEvery: number;
  checkpointEvery: number;
  keepCheckpoints: number;
  params: ParamsConfig;
}

/** Every problem of one config, each a single line that names the key. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
    this.name = 'ConfigError';
  }
}

interface SchemaNode {
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minLength?: number;
  pattern?: string;
  properties?: Record<string, SchemaNode>;
  oneOf?: SchemaNode[];
  default?: unknown;
}

export const configSchema = schemaJson as unknown as SchemaNode & Record<string, unknown>;

// discriminator: errors come from the dataset branch that matches `kind` only.
// Defaults inside oneOf branches are not applied by ajv; fillBranchDefaults does that.
const ajv = new Ajv({ allErrors: true, useDefaults: true, discriminator: true, verbose: true, strict: false });
const validate = ajv.compile(configSchema);

/** Reads, validates and resolves a config file. Throws ConfigError (one line per problem). */
export function loadConfig(configPath: string): GanConfig {
  const file = path.basename(configPath);
  let text: string;
  try {
    text = fs.readFileSync(configPath, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new ConfigError([
      code === 'ENOENT'
        ? `config file not found: ${configPath}`
        : code === 'EISDIR'
          ? `config path is a folder, not a file: ${configPath}`
          : `cannot read ${configPath}: ${code ?? String(e)}`,
    ]);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new ConfigError([`${file}: broken JSON: ${(e as Error).message}`]);
  }
  return resolveConfig(raw, path.dirname(path.resolve(configPath)), file);
}

/** Validates a parsed config object; relative paths resolve against baseDir. */
export function resolveConfig(raw: unknown, baseDir: string, label = 'gan.config.json'): GanConfig {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new ConfigError([`${label}: the config must be a JSON object`]);
  }
  const obj = structuredClone(raw) as Record<string, unknown>;
  if (!validate(obj)) throw new ConfigError(formatErrors(validate.errors ?? [], label));
  fillBranchDefaults(obj);
  const cfg = obj as unknown as GanConfig;
  delete (cfg as unknown as Record<string, unknown>)['$schema'];
  const abs = (p: string) => path.resolve(baseDir, p);
  if (cfg.modelFile) cfg.modelFile = abs(cfg.modelFile);
  if (cfg.params.initGenerator) cfg.params.initGenerator = abs(cfg.params.initGenerator);
  applyModelDefaults(cfg, raw as Record<string, unknown>);
  const ds = cfg.dataset as Record<string, unknown>;
  for (const k of ['path', 'pathA', 'pathB', 'valPath', 'valPathA', 'valPathB'])
    if (typeof ds[k] === 'string') ds[k] = abs(ds[k] as string);
  const semantic = checkCombination(cfg, label);
  if (semantic.length) throw new ConfigError(semantic);
  return cfg;
}

/**
 * Defaults that depend on the model (the schema's are the latent families'): the family's
 * descriptor applies them to keys the config leaves out, so anything written in the file wins.
 */
function applyModelDefaults(cfg: GanConfig, raw: Record<string, unknown>): void {
  FAMILY_INFOS[cfg.model].applyDefaults?.(cfg, raw);
}

/** Rules the schema cannot say well: which families accept which data and sizes. */
function checkCombination(cfg: GanConfig, label: string): string[] {
  return FAMILY_INFOS[cfg.model].check?.(cfg, label) ?? [];
}

function fillBranchDefaults(obj: Record<string, unknown>): void {
  const ds = obj.dataset as Record<string, unknown>;
  const branch = configSchema.properties?.dataset?.oneOf?.find((b) => b.properties?.kind?.const === ds.kind);
  for (const [key, sub] of Object.entries(branch?.properties ?? {})) {
    if (ds[key] === undefined && sub.default !== undefined && key !== 'kind') ds[key] = structuredClone(sub.default);
  }
}

// ---- error formatting -------------------------------------------------------------------

function keyName(instancePath: string, extra?: string): string {
  const parts = instancePath
    .split('/')
    .slice(1)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (extra !== undefined) parts.push(extra);
  // A problem stays one short line even when a key is a megabyte of junk.
  return parts.map((p) => (p.length > 60 ? `${p.slice(0, 57)}...` : p)).join('.');
}

/** "an integer >= 1", "a number > 0 and <= 1", "one of "a", "b"" from a property's schema. */
export function describeSchema(s: SchemaNode): string {
  if (s.enum) return `one of ${s.enum.map((v) => JSON.stringify(v)).join(', ')}`;
  if (s.const !== undefined) return JSON.stringify(s.const);
  const t = Array.isArray(s.type) ? s.type[0] : s.type;
  const base =
    t === 'integer'
      ? 'an integer'
      : t === 'number'
        ? 'a number'
        : t === 'string'
          ? 'a string'
          : t === 'boolean'
            ? 'true or false'
            : t === 'object'
              ? 'an object'
              : t === 'array'
                ? 'an array'
                : 'a value';
  const bounds: string[] = [];
  if (s.minimum !== undefined) bounds.push(`>= ${s.minimum}`);
  if (s.exclusiveMinimum !== undefined) bounds.push(`> ${s.exclusiveMinimum}`);
  if (s.maximum !== undefined) bounds.push(`<= ${s.maximum}`);
  if (s.exclusiveMaximum !== undefined) bounds.push(`< ${s.exclusiveMaximum}`);
  if (t === 'string' && s.minLength && !s.pattern) bounds.push('(not empty)');
  if (s.pattern === '^[A-Za-z0-9][A-Za-z0-9._-]*$') bounds.push("of letters, digits, '.', '_' and '-'");
  return [
    base,
    bounds.filter((b) => !b.startsWith('(') && !b.startsWith('of')).join(' and '),
    ...bounds.filter((b) => b.startsWith('(') || b.startsWith('of')),
  ]
    .filter(Boolean)
    .join(' ');
}

function editDistance(a: string, b: string): number {
  const d = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = d[0];
    d[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = d[j];
      d[j] = Math.min(d[j] + 1, d[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return d[b.length];
}

/** The closest allowed key, if it is close enough to be a typo. */
export function suggestKey(key: string, allowed: string[]): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const k of allowed) {
    const d = k.toLowerCase() === key.toLowerCase() ? 0 : editDistance(key.toLowerCase(), k.toLowerCase());
    if (d < bestD) {
      bestD = d;
      best = k;
    }
  }
  return best !== undefined && bestD <= Math.max(1, Math.floor(key.length / 3)) ? best : undefined;
}

function shortJson(v: unknown): string {
  const s = JSON.stringify(v) ?? String(v);
  return s.length > 40 ? `${s.slice(0, 37)}...` : s;
}

function formatErrors(errors: ErrorObject[], label: string): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  const add = (id: string, line: string) => {
    if (!seen.has(id)) {
      seen.add(id);
      out.push(`${label}: ${line}`);
    }
  };
  for (const e of errors) {
    const parent = (e.parentSchema ?? {}) as SchemaNode;
    switch (e.keyword) {
      case 'additionalProperties': {
        const key = (e.params as { additionalProperty: string }).additionalProperty;
        const full = keyName(e.instancePath, key);
        const hint = suggestKey(
          key,
          Object.keys(parent.properties ?? {}).filter((k) => k !== '$schema'),
        );
        add(
          `unknown:${full}`,
          `unknown key "${full}"${hint ? ` (did you mean "${keyName(e.instancePath, hint)}"?)` : ''}`,
        );
        break;
      }
      case 'required': {
        const key = keyName(e.instancePath, (e.params as { missingProperty: string }).missingProperty);
        add(`missing:${key}`, `missing required key "${key}"`);
        break;
      }
      case 'discriminator': {
        const p = e.params as { error: string; tag: string; tagValue: unknown };
        const key = keyName(e.instancePath, p.tag);
        const kinds = (parent.oneOf ?? []).map((b) => JSON.stringify(b.properties?.kind?.const)).join(', ');
        if (p.error === 'tag' && p.tagValue === undefined) add(`missing:${key}`, `missing required key "${key}"`);
        else
          add(
            `value:${key}`,
            `"${key}" must be one of ${kinds}${p.tagValue !== undefined ? ` (got ${shortJson(p.tagValue)})` : ''}`,
          );
        break;
      }
      case 'oneOf':
      case 'anyOf':
      case 'if':
        break; // the branch's own errors say more
      default: {
        const key = keyName(e.instancePath);
        if (!key) {
          add('root', `the config must be a JSON object`);
          break;
        }
        add(`value:${key}`, `"${key}" must be ${describeSchema(parent)} (got ${shortJson(e.data)})`);
      }
    }
  }
  return out.length ? out : [`${label}: invalid config`];
}

/** The config's defaults alone (what a scaffold writes), straight from the schema. */
export function defaultConfig(model: ModelKind): GanConfig {
  return resolveConfig({ model }, process.cwd());
}
