// Maps positions in a transpiled model file back to the user's TypeScript. esbuild's transform
// returns a standard v3 source map; we only need "generated line:column -> original
// line:column" for error messages, so this decodes the mappings (base64 VLQ) and nothing else.

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const B64_INDEX = new Map([...B64].map((c, i) => [c, i]));

/** One mapping segment: generated column, original line, original column (all 0-based). */
type Segment = [number, number, number];

function decodeVlq(s: string): number[] {
  const out: number[] = [];
  let value = 0,
    shift = 0;
  for (const ch of s) {
    const digit = B64_INDEX.get(ch);
    if (digit === undefined) throw new Error(`bad source map character "${ch}"`);
    value += (digit & 31) << shift;
    if (digit & 32) {
      shift += 5;
      continue;
    }
    out.push(value & 1 ? -(value >>> 1) : value >>> 1);
    value = 0;
    shift = 0;
  }
  return out;
}

export class SourceMap {
  private readonly lines: Segment[][] = [];

  constructor(mappings: string) {
    // Source index, original line and column are deltas across the whole file; the
    // generated column resets on each line.
    let origLine = 0,
      origCol = 0;
    for (const lineText of mappings.split(';')) {
      const segs: Segment[] = [];
      let genCol = 0;
      for (const part of lineText.split(',')) {
        if (!part) continue;
        const v = decodeVlq(part);
        genCol += v[0];
        if (v.length >= 4) {
          origLine += v[2];
          origCol += v[3];
          segs.push([genCol, origLine, origCol]);
        }
      }
      this.lines.push(segs);
    }
  }

  static fromJson(json: string): SourceMap {
    return new SourceMap((JSON.parse(json) as { mappings: string }).mappings);
  }

  /** 1-based line and column in the original for a 1-based generated position. */
  original(line: number, column: number): { line: number; column: number } | undefined {
    const segs = this.lines[line - 1];
    if (!segs?.length) return undefined;
    let best: Segment | undefined;
    for (const s of segs) {
      if (s[0] <= column - 1) best = s;
      else break;
    }
    best ??= segs[0];
    // The segment's start, not an offset into it: esbuild rewrites imported calls
    // (deconv(...) -> (0, import_x.deconv)(...)), so generated and original widths differ.
    return { line: best[1] + 1, column: best[2] + 1 };
  }
}
