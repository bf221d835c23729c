// Host <-> compare webview messages. The page asks for nothing but "ready" and to open or
// reveal one of its two files (by side, never by path: a page cannot name files).
import { isInt, isObj, isStr, oneOf } from './guards';

export type Side = 'before' | 'after';
export const SIDES: readonly Side[] = ['before', 'after'];

export interface CompareImage {
  /** webview URI (asWebviewUri) of the file. */
  uri: string;
  name: string;
  /** Path relative to the workspace (or absolute), for display only. */
  label: string;
  bytes: number;
  /** Size from the file header, when known (the page measures the decoded image anyway). */
  width?: number;
  height?: number;
}

export interface CompareShow {
  type: 'show';
  before: CompareImage;
  after: CompareImage;
  /** e.g. "Upscaled x4 with default in 3.2 s". */
  note?: string;
  /** The two paths, kept in the page's state so the host can restore the view after a reload. */
  files: { before: string; after: string };
}

export type CompareHostMessage = CompareShow;

export type CompareAction = 'open' | 'reveal';

export type CompareWebviewMessage = { type: 'ready' } | { type: 'file'; side: Side; action: CompareAction };

/** What the page keeps across hide/show (getState/setState). */
export interface CompareViewState {
  files?: { before: string; after: string };
  mode: 'slider' | 'side';
  split: number;
  smoothBefore: boolean;
}

const isSide = oneOf(SIDES);
const isAction = oneOf(['open', 'reveal'] as const);

/** Host side: a message from the page (untrusted). */
export function parseCompareWebviewMessage(m: unknown): CompareWebviewMessage | undefined {
  if (!isObj(m)) return undefined;
  if (m.type === 'ready') return { type: 'ready' };
  if (m.type === 'file' && isSide(m.side) && isAction(m.action))
    return { type: 'file', side: m.side, action: m.action };
  return undefined;
}

function parseImage(x: unknown): CompareImage | undefined {
  if (!isObj(x) || !isStr(x.uri, 8192) || !isStr(x.name, 1024) || !isStr(x.label, 8192) || !isInt(x.bytes, 0))
    return undefined;
  // Webview resource URIs are https: (no javascript:, data: or plain http:); the CSP limits hosts.
  if (!/^https:\/\//.test(x.uri)) return undefined;
  const dim = (v: unknown) => (v === undefined || isInt(v, 1) ? (v as number | undefined) : null);
  const width = dim(x.width),
    height = dim(x.height);
  if (width === null || height === null) return undefined;
  return { uri: x.uri, name: x.name, label: x.label, bytes: x.bytes, width, height };
}

/** Page side: a message from the host (checked too: the page must never break on one). */
export function parseCompareHostMessage(m: unknown): CompareHostMessage | undefined {
  if (!isObj(m) || m.type !== 'show') return undefined;
  const before = parseImage(m.before),
    after = parseImage(m.after);
  if (!before || !after || (m.note !== undefined && !isStr(m.note, 1024))) return undefined;
  const f = m.files;
  if (!isObj(f) || !isStr(f.before, 8192) || !isStr(f.after, 8192)) return undefined;
  return {
    type: 'show',
    before,
    after,
    note: m.note as string | undefined,
    files: { before: f.before, after: f.after },
  };
}

export function parseCompareState(s: unknown): CompareViewState {
  const d: CompareViewState = { mode: 'slider', split: 50, smoothBefore: true };
  if (!isObj(s)) return d;
  return {
    mode: s.mode === 'side' ? 'side' : 'slider',
    split: typeof s.split === 'number' && s.split >= 0 && s.split <= 100 ? s.split : d.split,
    smoothBefore: typeof s.smoothBefore === 'boolean' ? s.smoothBefore : d.smoothBefore,
  };
}
