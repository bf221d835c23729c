// The store of upscaling models the user imported (ESRGAN-family .pth/.safetensors files):
// one folder per model, `<store>/<name>/`, holding the weights and `import.json` (below).
// Written by `importSrModel` (trainer, `gan import-sr`), read here by the extension's quick
// pick and by `gan upscale --model <name>`. TF-free: the extension host reads it.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { isInt, isObj, isStr } from './guards';

export const IMPORT_FILE = 'import.json';
export const IMPORT_FORMAT = 1;

export const IMPORTED_ARCHS = ['RRDBNet', 'SRVGGNetCompact'] as const;
export type ImportedArch = (typeof IMPORTED_ARCHS)[number];

/** The names of the shipped models (and the old ones kept for settings): no import may take them. */
export const SHIPPED_MODEL_NAMES = ['fidelity', 'sharp', 'default', 'default-sharp'] as const;

export type ShippedModel = 'fidelity' | 'sharp';
/**
 * The shipped model offered first and used when nothing was chosen yet: sharp, because it looks
 * better on photos (README, "Super-resolution"); where no sharp model exists for a scale (x2),
 * fidelity.
 */
export const DEFAULT_SHIPPED_MODEL: ShippedModel = 'sharp';
/** What the shipped models were called before issue 17 (remembered choices and rates still say so). */
const OLD_SHIPPED: Record<string, ShippedModel> = { default: 'fidelity', 'default-sharp': 'sharp' };

/** The folder under models/ that holds a shipped model for `scale`, e.g. sr-x4-sharp. */
export function shippedModelFolder(model: ShippedModel, scale: number): string {
  return model === 'fidelity' ? `sr-x${scale}` : `sr-x${scale}-sharp`;
}

/** A shipped model's current name for `model` (an old name is mapped), else undefined. */
export function shippedModelName(model: string): ShippedModel | undefined {
  return model === 'fidelity' || model === 'sharp' ? model : OLD_SHIPPED[model];
}

/**
 * The store `gan import-sr` writes to and `gan upscale --model <name>` reads:
 * $GAN_STUDIO_HOME/upscalers, else ~/.gan-studio/upscalers. The extension keeps its own imports
 * in its global storage and lists this one too, so a model imported in a terminal is offered.
 */
export function cliStore(): string {
  const home = process.env.GAN_STUDIO_HOME;
  return home ? path.join(home, 'upscalers') : path.join(os.homedir(), '.gan-studio', 'upscalers');
}

/** `<store>/<name>/import.json`. */
export interface ImportedSrModel {
  format: 1;
  /** The folder's name, shown in the quick pick and taken by `gan upscale --model <name>`. */
  name: string;
  arch: ImportedArch;
  /** The factor the network upscales by (detected from its keys and shapes). */
  scale: number;
  /** Number of weights. */
  params: number;
  /** Which key layout the file used, e.g. 'old' or 'new' (RRDBNet), as detected. */
  layout: string;
  /** The file name the model was imported from (base name only). */
  sourceName: string;
  /** Hex SHA-256 of the imported file, to recognise a re-import of the same file. */
  sha256: string;
  /** Size of the imported file in bytes. */
  bytes: number;
  /** ISO 8601 time of the import. */
  importedAt: string;
  /** The architecture's sizes as detected (numFeat, numBlock, numConv, ...), if the importer records them. */
  sizes?: Record<string, number>;
  /** The weights file inside the folder, if the importer records it. */
  weights?: string;
}

export type ListedImportedModel = ImportedSrModel & { dir: string };

/** A name that is a safe folder name and not a shipped model's. */
export function isImportedModelName(name: unknown): name is string {
  return (
    typeof name === 'string' &&
    /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/.test(name) &&
    !name.endsWith('.') &&
    !(SHIPPED_MODEL_NAMES as readonly string[]).includes(name.toLowerCase())
  );
}

/** The default name for a model imported from `file`: its base name, made folder-safe. */
export function modelNameFromFile(file: string): string {
  const stem = path.basename(file).replace(/\.(pth|pt|safetensors)$/i, '');
  const safe = stem
    .replace(/[^A-Za-z0-9_.-]+/g, '-')
    .replace(/^[^A-Za-z0-9]+/, '')
    .slice(0, 64)
    .replace(/\.+$/, '');
  if (!safe) return 'imported';
  return isImportedModelName(safe) ? safe : `${safe}-imported`;
}

const isSha256 = (x: unknown): x is string => typeof x === 'string' && /^[0-9a-f]{64}$/.test(x);

/** Checks one parsed import.json: the model, or why it cannot be used (a short phrase). */
export function parseImportedModel(x: unknown): ImportedSrModel | string {
  if (!isObj(x)) return 'not a JSON object';
  if (x.format !== IMPORT_FORMAT) return `unknown format ${JSON.stringify(x.format)} (expected ${IMPORT_FORMAT})`;
  if (!isImportedModelName(x.name)) return `bad name ${JSON.stringify(x.name)}`;
  if (!(IMPORTED_ARCHS as readonly unknown[]).includes(x.arch)) return `unknown architecture ${JSON.stringify(x.arch)}`;
  if (!isInt(x.scale, 1) || x.scale > 16) return `bad scale ${JSON.stringify(x.scale)}`;
  if (!isInt(x.params, 1)) return 'bad params';
  if (!isStr(x.layout, 64)) return 'bad layout';
  if (!isStr(x.sourceName, 1024)) return 'bad sourceName';
  if (!isSha256(x.sha256)) return 'bad sha256';
  if (!isInt(x.bytes, 0)) return 'bad bytes';
  if (!isStr(x.importedAt, 64) || Number.isNaN(Date.parse(x.importedAt))) return 'bad importedAt';
  let sizes: Record<string, number> | undefined;
  if (x.sizes !== undefined) {
    if (!isObj(x.sizes) || !Object.values(x.sizes).every((v) => isInt(v, 0))) return 'bad sizes';
    sizes = { ...(x.sizes as Record<string, number>) };
  }
  if (x.weights !== undefined && !(isStr(x.weights, 255) && path.basename(x.weights) === x.weights))
    return 'bad weights';
  return {
    format: IMPORT_FORMAT,
    name: x.name,
    arch: x.arch as ImportedArch,
    scale: x.scale,
    params: x.params,
    layout: x.layout,
    sourceName: x.sourceName,
    sha256: x.sha256,
    bytes: x.bytes,
    importedAt: x.importedAt,
    ...(sizes ? { sizes } : {}),
    ...(x.weights !== undefined ? { weights: x.weights as string } : {}),
  };
}

/** Reads `<dir>/import.json`: the model, or why not (one line naming the folder). */
export function readImportedModel(dir: string): ListedImportedModel | string {
  const file = path.join(dir, IMPORT_FILE);
  let json: unknown;
  try {
    json = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return `${path.basename(dir)}: ${code === 'ENOENT' ? `no ${IMPORT_FILE}` : `${IMPORT_FILE} is not valid JSON`}`;
  }
  const m = parseImportedModel(json);
  if (typeof m === 'string') return `${path.basename(dir)}: ${IMPORT_FILE}: ${m}`;
  if (m.name !== path.basename(dir)) return `${path.basename(dir)}: ${IMPORT_FILE} names "${m.name}"`;
  return { ...m, dir };
}

/**
 * The imported models in `store` (each `<store>/<name>/import.json`), sorted by name. A broken or
 * foreign folder is skipped and named through `onBroken` ("<folder>: why", and its path); a missing
 * store is empty.
 * Hidden folders (a half-finished import's staging folder) are ignored.
 */
export function listImportedModels(
  store: string,
  onBroken?: (why: string, dir: string) => void,
): ListedImportedModel[] {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(store, { withFileTypes: true });
  } catch {
    return [];
  }
  const out: ListedImportedModel[] = [];
  for (const e of entries) {
    if (!e.isDirectory() || e.name.startsWith('.')) continue;
    const m = readImportedModel(path.join(store, e.name));
    if (typeof m === 'string') onBroken?.(m, path.join(store, e.name));
    else out.push(m);
  }
  return out.sort((a, b) => a.name.localeCompare(b.name));
}

/** The imported model called `name` in `store`, if it is there and sound. */
export function findImportedModel(store: string, name: string): ListedImportedModel | undefined {
  if (!isImportedModelName(name)) return undefined;
  const m = readImportedModel(path.join(store, name));
  return typeof m === 'string' ? undefined : m;
}

/**
 * Deletes the folder `<store>/<folder>` of an imported model (also a broken one): only a real
 * directory directly inside `store`, never a link or anything outside it.
 */
export function removeImportedModel(store: string, folder: string): void {
  const dir = path.join(store, folder);
  if (
    !folder ||
    folder.startsWith('.') ||
    path.basename(folder) !== folder ||
    path.dirname(path.resolve(dir)) !== path.resolve(store)
  )
    throw new Error(`"${folder}" is not a model folder in ${store}`);
  const st = fs.lstatSync(dir, { throwIfNoEntry: false });
  if (!st?.isDirectory()) throw new Error(`"${folder}" is not a model folder in ${store}`);
  fs.rmSync(dir, { recursive: true, force: true });
}

function formatCount(n: number): string {
  if (n >= 1e6) return `${(n / 1e6).toFixed(n >= 1e8 ? 0 : 1)} M`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(n >= 1e4 ? 0 : 1)} k`;
  return String(n);
}

function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${(n / (1024 * 1024)).toFixed(1)} MB`;
  if (n >= 1024) return `${(n / 1024).toFixed(n >= 10 * 1024 ? 0 : 1)} KB`;
  return `${n} B`;
}

/** "RRDBNet x4 (16.7 M params, 63.9 MB)": one phrase for messages and lists. */
export function describeImportedModel(m: Pick<ImportedSrModel, 'arch' | 'scale' | 'params' | 'bytes'>): string {
  return `${m.arch} x${m.scale} (${formatCount(m.params)} params, ${formatBytes(m.bytes)})`;
}
