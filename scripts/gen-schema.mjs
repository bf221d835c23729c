// Writes the family registry's parts of src/shared/gan.config.schema.json: the "model" key's
// enum, enumDescriptions and description, and the "params" keys and their descriptions
// (src/trainer/models/schemaParts.ts says which). Only those values are replaced, in the file
// as it is now, so every other byte (the dataset branches, the formatting) stays as written.
//   node scripts/gen-schema.mjs          rewrite the file when it differs
//   node scripts/gen-schema.mjs --check  exit 1 with one line when it is out of date (npm run lint)
import * as esbuild from 'esbuild';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const schemaFile = `${root}src/shared/gan.config.schema.json`;
const entry = `${root}src/trainer/models/schemaParts.ts`;

/** The registry's parts, from the TypeScript sources (bundled in memory, no tfjs involved). */
async function loadParts() {
  const out = await esbuild.build({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    write: false,
    logLevel: 'error',
  });
  const module = { exports: {} };
  new Function('module', 'exports', 'require', out.outputFiles[0].text)(module, module.exports, createRequire(entry));
  return module.exports.schemaParts();
}

/** [start, end) of the value at `path` in the JSON text. */
function locate(text, path) {
  let i = 0;
  const ws = () => {
    while (/\s/.test(text[i] ?? '')) i++;
  };
  const string = () => {
    const s = i++;
    while (text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    return JSON.parse(text.slice(s, ++i));
  };
  const skip = () => {
    ws();
    if (text[i] === '"') return void string();
    if (text[i] !== '{' && text[i] !== '[') {
      while (i < text.length && !/[,}\]\s]/.test(text[i])) i++;
      return;
    }
    let depth = 0;
    do {
      if (text[i] === '"') {
        string();
        continue;
      }
      if (text[i] === '{' || text[i] === '[') depth++;
      else if (text[i] === '}' || text[i] === ']') depth--;
      i++;
    } while (depth > 0);
  };
  for (const key of path) {
    ws();
    if (text[i] !== '{') throw new Error(`${path.join('.')}: not an object at ${key}`);
    i++;
    for (;;) {
      ws();
      if (text[i] === '}') throw new Error(`${path.join('.')}: no key "${key}" in the schema`);
      const k = string();
      ws();
      i++; // ':'
      if (k === key) break;
      skip();
      ws();
      if (text[i] === ',') i++;
    }
  }
  ws();
  const start = i;
  skip();
  return [start, i];
}

/** Like the hand-written file: leaf values on one line, "{ "a": 1 }" and "[1, 2]". */
function inline(v) {
  if (Array.isArray(v)) return `[${v.map(inline).join(', ')}]`;
  if (v && typeof v === 'object') {
    const e = Object.entries(v);
    return e.length ? `{ ${e.map(([k, x]) => `${JSON.stringify(k)}: ${inline(x)}`).join(', ')} }` : '{}';
  }
  return JSON.stringify(v);
}

/** Objects (the params properties) and long arrays (enumDescriptions): one entry a line. */
function format(v, indent) {
  const inner = `${indent}  `;
  if (Array.isArray(v))
    return inline(v).length <= 120 ? inline(v) : `[\n${v.map((x) => inner + inline(x)).join(',\n')}\n${indent}]`;
  if (v && typeof v === 'object')
    return `{\n${Object.entries(v)
      .map(([k, x]) => `${inner}${JSON.stringify(k)}: ${inline(x)}`)
      .join(',\n')}\n${indent}}`;
  return inline(v);
}

function generate(text, parts) {
  for (const [path, value] of parts) {
    const [start, end] = locate(text, path);
    const lineStart = text.lastIndexOf('\n', start) + 1;
    const indent = /^ */.exec(text.slice(lineStart))[0];
    text = text.slice(0, start) + format(value, indent) + text.slice(end);
  }
  JSON.parse(text); // never write a broken file
  return text;
}

const current = readFileSync(schemaFile, 'utf8');
const next = generate(current, await loadParts());
if (process.argv.includes('--check')) {
  if (next !== current) {
    console.error(
      'src/shared/gan.config.schema.json is out of date with the family registry (src/trainer/models): run node scripts/gen-schema.mjs',
    );
    process.exit(1);
  }
} else if (next !== current) {
  writeFileSync(schemaFile, next);
  console.log('gen-schema: src/shared/gan.config.schema.json updated from the family registry');
}
