// Writes a new GAN project from templates/: the family's gan.config.json (its name set from
// the folder), model.ts and README.md, the files every project shares (tsconfig.json and
// types/ for editor IntelliSense on model.ts, .gitignore), and for image families a small
// example data set (exampleData.ts). A plan is made first, so callers can ask before
// overwriting: nothing that exists is overwritten unless the caller says so.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { configSchema, type ModelKind } from '../../shared/config';
import { projectName, projectTemplate } from '../../shared/projectTemplates';
import { InputError } from '../train/errors';
import { FAMILY_INFOS } from '../models/infos';
import { listImages } from '../data/srFolder';
import { exampleData } from './exampleData';

export interface ScaffoldOptions {
  kind: ModelKind;
  /** The project folder (created if missing). */
  target: string;
  /** The config's "name"; default: from the folder name. */
  name?: string;
  /**
   * Image families: make the example data from this folder of pictures instead of painted
   * scenes. MNIST families that take a folder (gan, dcgan, cgan): train on this folder where
   * it is (the template's *.paper.* variant where it has one: dcgan/cgan at 64x64 with the
   * DCGAN paper's networks).
   */
  images?: string;
  /** Default: the templates/ folder shipped next to the bundle (or the repository's). */
  templatesDir?: string;
}

export interface PlannedFile {
  /** Path relative to the project folder, with '/' separators. */
  rel: string;
  make(): Buffer | string | undefined;
}

export interface ScaffoldPlan {
  target: string;
  kind: ModelKind;
  files: PlannedFile[];
}

/** templates/ next to the bundle (dist/../templates) or, from sources and tests, up the tree. */
export function findTemplatesDir(start = __dirname): string {
  for (let dir = start; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'templates');
    // _project/ holds the files every project shares, whatever families there are.
    if (fs.existsSync(path.join(candidate, '_project', 'tsconfig.json'))) return candidate;
    if (path.dirname(dir) === dir) throw new Error(`project templates not found above ${start}`);
  }
}

const SHARED_FILES: [string, string][] = [
  ['tsconfig.json', 'tsconfig.json'],
  ['types/gan-studio.d.ts', 'types/gan-studio.d.ts'],
  ['types/tfjs.d.ts', 'types/tfjs.d.ts'],
  // Stored without the dot: packaging tools treat dotfiles specially.
  ['gitignore', '.gitignore'],
];

interface ParamSchema {
  type?: string;
  enum?: unknown[];
  description?: string;
  default?: unknown;
}

/** The ParamsConfig members of types/gan-studio.d.ts, from the schema (its single source of truth). */
export function paramsDeclaration(): string {
  const params = (configSchema.properties?.params?.properties ?? {}) as Record<string, ParamSchema>;
  return Object.entries(params)
    .map(([key, p]) => {
      const type = p.enum
        ? p.enum.map((v) => JSON.stringify(v)).join(' | ')
        : p.type === 'integer' || p.type === 'number'
          ? 'number'
          : p.type === 'boolean'
            ? 'boolean'
            : 'string';
      const doc =
        `${p.description ?? ''}${p.default !== undefined ? ` Default ${JSON.stringify(p.default)}.` : ''}`.replace(
          /\*\//g,
          '* /',
        );
      return `  /** ${doc.trim()} */\n  ${key}: ${type};`;
    })
    .join('\n');
}

function fill(text: string, vars: Record<string, string>): string {
  return text.replace(/\{\{(\w+)\}\}/g, (m, k: string) => vars[k] ?? m);
}

export function planProject(opts: ScaffoldOptions): ScaffoldPlan {
  const t = projectTemplate(opts.kind);
  if (!t) throw new InputError(`unknown template "${opts.kind}"`);
  if (opts.images !== undefined && !t.images && !t.folder)
    throw new InputError(`"${opts.kind}" trains on MNIST: it takes no folder of pictures`);
  const templates = opts.templatesDir ?? findTemplatesDir();
  const onFolder = opts.images !== undefined && t.folder;
  // A folder project of dcgan/cgan: gan.config.paper.json, model.paper.ts, README.paper.md.
  const own = (f: string) => {
    const paper = f.replace(/\.(\w+)$/, '.paper.$1');
    return path.join(
      templates,
      opts.kind,
      onFolder && fs.existsSync(path.join(templates, opts.kind, paper)) ? paper : f,
    );
  };
  const shared = (f: string) => path.join(templates, '_project', f);
  const target = path.resolve(opts.target);
  const name = opts.name ?? projectName(path.basename(target), opts.kind);
  // Listing the user's folder happens now, so a missing folder is reported before anything is written.
  const data = exampleData(opts.kind, { fromFolder: opts.images ? path.resolve(opts.images) : undefined });
  if (opts.images && !onFolder && !data.files.length) throw new InputError(`no PNG or JPEG pictures in ${opts.images}`);
  const dataset = onFolder ? folderDataset(opts.kind, path.resolve(opts.images as string), target) : undefined;
  const vars = { name, origin: data.origin, family: t.label, images: dataset?.path ?? '' };

  const files: PlannedFile[] = [
    {
      rel: 'gan.config.json',
      make: () => {
        const cfg = JSON.parse(fs.readFileSync(own('gan.config.json'), 'utf8')) as Record<string, unknown>;
        cfg.name = name;
        if (dataset) cfg.dataset = { ...(cfg.dataset as object), ...dataset };
        return `${JSON.stringify(cfg, null, 2)}\n`;
      },
    },
    { rel: 'model.ts', make: () => fs.readFileSync(own('model.ts'), 'utf8') },
    {
      rel: 'README.md',
      make: () =>
        fill(
          `${fs.readFileSync(own('README.md'), 'utf8').trimEnd()}\n\n${fs.readFileSync(shared('README.md'), 'utf8')}`,
          vars,
        ),
    },
    ...SHARED_FILES.map(([from, to]) => ({
      rel: to,
      make: () =>
        fs
          .readFileSync(shared(from), 'utf8')
          .replace(/^\/\/ eslint-disable-next-line .*no-empty-object-type.*\n/m, '')
          .replace('  // @generated params', () => paramsDeclaration()),
    })),
    ...data.files.map((f) => ({ rel: f.rel.split(path.sep).join('/'), make: f.make })),
  ];
  return { target, kind: opts.kind, files };
}

/**
 * The "dataset" of a project that trains on the user's folder where it is: its path relative
 * to the project (what the config resolves it against), labels from subfolders for a
 * conditional family. Refused now, before anything is written, if it holds no pictures (or,
 * conditional, no subfolder with pictures).
 */
function folderDataset(
  kind: ModelKind,
  dir: string,
  target: string,
): { kind: 'folder'; path: string; labels?: 'subfolders' } {
  const images = listImages(dir);
  if (!images.length) throw new InputError(`no PNG or JPEG pictures in ${dir}`);
  const conditional = FAMILY_INFOS[kind].conditional;
  if (conditional && images.every((f) => path.dirname(f) === dir)) {
    throw new InputError(
      `${FAMILY_INFOS[kind].label} needs one subfolder of pictures per class in ${dir} (class = subfolder name); it has pictures only at its top`,
    );
  }
  const rel = path.relative(target, dir).split(path.sep).join('/');
  return {
    kind: 'folder',
    path: rel === '' ? '.' : rel.startsWith('.') || path.isAbsolute(rel) ? rel : `./${rel}`,
    ...(conditional ? { labels: 'subfolders' as const } : {}),
  };
}

/** Files of the plan that already exist (relative paths). */
export function existingFiles(plan: ScaffoldPlan): string[] {
  return plan.files.filter((f) => fs.existsSync(path.join(plan.target, f.rel))).map((f) => f.rel);
}

export type ExistingPolicy = 'refuse' | 'overwrite' | 'keep';

export interface ScaffoldResult {
  written: string[];
  /** Existing files left as they were (policy "keep"). */
  kept: string[];
  /** Pictures of the user's folder that could not be read (left out of the example set). */
  unreadable: string[];
}

/**
 * Writes the plan. "refuse" (the default) throws before writing anything if a file exists;
 * "keep" writes only the missing files; "overwrite" replaces existing ones.
 */
export function writeProject(plan: ScaffoldPlan, policy: ExistingPolicy = 'refuse'): ScaffoldResult {
  const exist = new Set(existingFiles(plan));
  if (exist.size && policy === 'refuse') {
    const list = [...exist];
    throw new InputError(
      `${plan.target} already has ${list.slice(0, 3).join(', ')}${list.length > 3 ? ` and ${list.length - 3} more` : ''}: not overwritten (--overwrite replaces them, --keep-existing writes only the missing files)`,
    );
  }
  const result: ScaffoldResult = { written: [], kept: [], unreadable: [] };
  for (const f of plan.files) {
    if (exist.has(f.rel) && policy === 'keep') {
      result.kept.push(f.rel);
      continue;
    }
    const content = f.make();
    if (content === undefined) {
      result.unreadable.push(f.rel);
      continue;
    }
    const file = path.join(plan.target, f.rel);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content);
    result.written.push(f.rel);
  }
  return result;
}
