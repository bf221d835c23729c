// Places config problems (one line each, from src/shared/config.ts) on the JSON text so they
// can be shown as diagnostics: `unknown key "dataset.foo"` underlines that key,
// `"imageSize" must be ...` its value, `missing required key "dataset.path"` the parent object.
// Pure (no vscode): unit-tested. jsonc-parser's ESM build is imported by path: its UMD main
// hides its requires from the bundler.
import {
  findNodeAtLocation,
  parseTree,
  printParseErrorCode,
  type Node,
  type ParseError,
} from 'jsonc-parser/lib/esm/main.js';

export interface LocatedProblem {
  message: string;
  offset: number;
  length: number;
}

/** JSON syntax errors with their positions (strict JSON: the trainer uses JSON.parse). */
export function syntaxProblems(text: string): LocatedProblem[] {
  const errors: ParseError[] = [];
  parseTree(text, errors, { allowTrailingComma: false, disallowComments: true });
  return errors.map((e) => ({
    message: `broken JSON: ${printParseErrorCode(e.error)}`,
    offset: e.offset,
    length: Math.max(1, e.length),
  }));
}

function pathOf(key: string): (string | number)[] {
  return key.split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p));
}

/** The property node (key + value) that holds `path`, for underlining a key. */
function propertyNode(root: Node, path: (string | number)[]): Node | undefined {
  const value = findNodeAtLocation(root, path);
  return value?.parent?.type === 'property' ? value.parent : undefined;
}

function keyRange(prop: Node): { offset: number; length: number } {
  const k = prop.children?.[0];
  return k ? { offset: k.offset, length: k.length } : { offset: prop.offset, length: prop.length };
}

export function stripLabel(problem: string): string {
  // "gan.config.json: unknown key ..." -> "unknown key ..."
  const m = /^[^\s:"]+\.json:\s+/.exec(problem);
  return m ? problem.slice(m[0].length) : problem;
}

export function locateProblem(root: Node | undefined, problem: string): LocatedProblem {
  const message = stripLabel(problem);
  const fallback = { message, offset: root?.offset ?? 0, length: 1 };
  if (!root) return fallback;
  const quoted = [...message.matchAll(/"([^"\s]+)"/g)].map((m) => m[1]);
  for (const key of quoted) {
    const path = pathOf(key);
    if (message.startsWith('missing required key')) {
      // Point at the object that lacks it: its key, or the document's opening brace.
      const parent = path.slice(0, -1);
      if (!parent.length) return { message, offset: root.offset, length: 1 };
      const prop = propertyNode(root, parent);
      if (prop) return { message, ...keyRange(prop) };
      continue;
    }
    const prop = propertyNode(root, path);
    if (!prop) continue;
    if (message.startsWith('unknown key')) return { message, ...keyRange(prop) };
    const value = prop.children?.[1];
    return { message, offset: (value ?? prop).offset, length: (value ?? prop).length };
  }
  return fallback;
}

/** Places every problem; syntax errors come from the text itself. */
export function locateProblems(text: string, problems: string[]): LocatedProblem[] {
  const syntax = syntaxProblems(text);
  if (syntax.length) return syntax;
  const root = parseTree(text);
  return problems.map((p) => locateProblem(root, p));
}
