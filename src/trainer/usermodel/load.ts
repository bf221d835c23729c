// Loads a user's model file (TypeScript) into the trainer: esbuild's transform API strips the
// types (no type check: the editor does that), the result runs as a CommonJS module in this
// realm, and every problem comes back as one line "model.ts:12:5: <message>" pointing at the
// user's source, not at the transpiled code.
//
// What a model file can import (the contract, see templates/_project/README section):
//  - "@tensorflow/tfjs": the trainer's own tfjs instance (a second copy from node_modules
//    would have its own engine and backends, and its layers would not train here);
//  - "gan-studio": the project's building blocks (src/trainer/usermodel/blocks.ts);
//  - relative files (.ts, .js, .json), node's built-in modules, and plain JS packages
//    installed next to the model file.
import * as fs from 'node:fs';
import { createRequire, isBuiltin } from 'node:module';
import * as path from 'node:path';
import * as vm from 'node:vm';
import { InputError } from '../train/errors';
import { SourceMap } from './sourceMap';

/** A problem in the user's model file, located in their source when possible. */
export class ModelFileError extends InputError {
  override name = 'ModelFileError';
  constructor(
    readonly file: string,
    readonly detail: string,
    readonly line?: number,
    readonly column?: number,
  ) {
    super(`${displayPath(file)}${line ? `:${line}:${column ?? 1}` : ''}: ${detail}`);
  }
}

/** Paths in messages are relative to the working directory (the trainer runs in the config's folder). */
export function displayPath(file: string): string {
  const rel = path.relative(process.cwd(), file);
  return rel && !path.isAbsolute(rel) ? rel : file;
}

const SOURCE_EXTENSIONS = ['.ts', '.mts', '.cts', '.js', '.mjs', '.cjs'];
const RESOLVE_SUFFIXES = ['', '.ts', '.js', '.json', '/index.ts', '/index.js'];

type Transform = (code: string, opts: Record<string, unknown>) => { code: string; map: string };

interface EsbuildMessage {
  text: string;
  location?: { line: number; column: number } | null;
}

/** esbuild's transform API, required lazily: only runs with a modelFile pay for it. */
function esbuildTransform(): Transform {
  try {
    return (require('esbuild') as { transformSync: Transform }).transformSync;
  } catch (e) {
    throw new Error(`cannot load esbuild to compile the model file: ${(e as Error).message.split('\n')[0]}`, {
      cause: e,
    });
  }
}

export interface ModuleRecord {
  file: string;
  source: string;
  map: SourceMap;
  exports: Record<string, unknown>;
}

export class UserModule {
  private readonly modules = new Map<string, ModuleRecord>();
  readonly root: ModuleRecord;

  /**
   * Compiles and runs `file`. `provided` maps bare import names to the objects the trainer
   * hands over (its tfjs, the building blocks).
   */
  constructor(
    file: string,
    private readonly provided: Record<string, unknown>,
  ) {
    this.root = this.load(path.resolve(file));
  }

  get exports(): Record<string, unknown> {
    return this.root.exports;
  }

  /** Calls code of the model file; a throw becomes a ModelFileError at the user's line. */
  run<T>(fn: () => T, what: string): T {
    const limit = Error.stackTraceLimit;
    // tfjs errors are thrown deep inside layer code: keep enough frames to reach the user's.
    Error.stackTraceLimit = 200;
    try {
      return fn();
    } catch (e) {
      throw this.locate(e, what);
    } finally {
      Error.stackTraceLimit = limit;
    }
  }

  /** Where an export is declared (1-based line and column), for problems about its result. */
  declaration(name: string): { line: number; column: number } | undefined {
    const re = new RegExp(`\\b(?:function\\s*\\*?\\s*${name}\\b|(?:const|let|var)\\s+${name}\\b)`);
    const lines = this.root.source.split('\n');
    for (let i = 0; i < lines.length; i++) {
      const m = re.exec(lines[i]);
      if (m) return { line: i + 1, column: m.index + 1 };
    }
    return undefined;
  }

  /** A ModelFileError for the root file, at an export's declaration when it can be found. */
  errorAt(exportName: string | undefined, detail: string): ModelFileError {
    const at = exportName ? this.declaration(exportName) : undefined;
    return new ModelFileError(this.root.file, detail, at?.line ?? 1, at?.column ?? 1);
  }

  /** Maps an error thrown by user code to the first stack frame inside a model file. */
  locate(e: unknown, what: string): Error {
    if (e instanceof ModelFileError) return e;
    const err = e instanceof Error ? e : new Error(String(e));
    const message = `${what}: ${err.message.split('\n')[0]}`;
    for (const line of (err.stack ?? '').split('\n').slice(1)) {
      const m = /\(?([^()]+?):(\d+):(\d+)\)?\s*$/.exec(line.trim());
      const rec = m && this.modules.get(m[1].replace(/^at\s+/, ''));
      if (!m || !rec) continue;
      const pos = rec.map.original(Number(m[2]), Number(m[3]));
      return new ModelFileError(rec.file, message, pos?.line, pos?.column);
    }
    return new ModelFileError(this.root.file, message);
  }

  private load(file: string): ModuleRecord {
    const cached = this.modules.get(file);
    if (cached) return cached; // a cycle: the partial exports, as CommonJS does
    let source: string;
    try {
      source = fs.readFileSync(file, 'utf8');
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw new ModelFileError(
        file,
        code === 'ENOENT' ? 'model file not found' : `cannot read the model file (${code})`,
      );
    }
    const ext = path.extname(file).toLowerCase();
    let code: string, map: string;
    try {
      ({ code, map } = esbuildTransform()(source, {
        loader: ext.endsWith('ts') ? 'ts' : 'js',
        format: 'cjs',
        target: 'node20',
        sourcemap: 'external',
        sourcefile: path.basename(file),
        logLevel: 'silent',
      }));
    } catch (e) {
      const first = (e as { errors?: EsbuildMessage[] }).errors?.[0];
      if (!first) throw e;
      throw new ModelFileError(
        file,
        first.text,
        first.location?.line,
        first.location ? first.location.column + 1 : undefined,
      );
    }
    const rec: ModuleRecord = { file, source, map: SourceMap.fromJson(map), exports: {} };
    this.modules.set(file, rec);
    const mod = { exports: rec.exports as unknown };
    const fn = vm.compileFunction(code, ['exports', 'require', 'module', '__filename', '__dirname'], {
      filename: file,
    });
    this.run(
      () => fn(mod.exports, (spec: string) => this.require(spec, file), mod, file, path.dirname(file)),
      'while loading the model file',
    );
    rec.exports = mod.exports as Record<string, unknown>;
    return rec;
  }

  private require(spec: string, from: string): unknown {
    if (Object.prototype.hasOwnProperty.call(this.provided, spec)) return this.provided[spec];
    if (spec.startsWith('./') || spec.startsWith('../') || path.isAbsolute(spec)) {
      const base = path.resolve(path.dirname(from), spec);
      const file = RESOLVE_SUFFIXES.map((s) => base + s).find((f) => fs.existsSync(f) && fs.statSync(f).isFile());
      if (!file) throw new Error(`cannot find "${spec}" next to ${path.basename(from)}`);
      if (file.endsWith('.json')) return JSON.parse(fs.readFileSync(file, 'utf8'));
      if (!SOURCE_EXTENSIONS.includes(path.extname(file).toLowerCase()))
        throw new Error(`cannot import "${spec}": not a .ts, .js or .json file`);
      return this.load(file).exports;
    }
    if (spec.startsWith('@tensorflow/')) {
      throw new Error(`import "@tensorflow/tfjs" instead of "${spec}": the trainer provides one tfjs for everything`);
    }
    if (isBuiltin(spec)) return require(spec);
    try {
      return createRequire(from)(spec);
    } catch {
      throw new Error(
        `cannot find module "${spec}" (a model file can import ${Object.keys(this.provided)
          .map((k) => `"${k}"`)
          .join(', ')}, relative files, node's modules and packages installed next to it)`,
      );
    }
  }
}
