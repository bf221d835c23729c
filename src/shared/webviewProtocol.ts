// Host <-> webview messages for the Live Preview view and the Training Dashboard panel.
// Webview -> host messages are untrusted input (a webview runs page script): the host parses
// them with parseWebviewMessage, giving it a predicate for which paths that webview may name.
// Host -> webview messages are checked in the webview too, so a bad message cannot break a page.
// Browser-safe: no Node imports here.
import { isInt, isNum, isObj, isStr, oneOf, optional, toLosses, toMetric } from './guards';

export const RUN_STATUSES = [
  'starting',
  'running',
  'paused',
  'stopping',
  'finished',
  'stopped',
  'failed',
  'incomplete',
] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

/** What a view shows about one run, live or from disk. */
export interface RunInfo {
  runDir: string;
  name: string;
  status: RunStatus;
  step: number;
  totalSteps: number;
  live: boolean;
  backend?: string;
  stepsPerSec?: number;
  etaSec?: number;
  /** Failure message or other one-line note. */
  message?: string;
}

/** One logged step as the charts need it (a subset of MetricsRecord). */
export interface MetricPoint {
  step: number;
  losses: Record<string, number>;
  dReal?: number;
  dFake?: number;
  msPerStep?: number;
  /** Sample steps: quality scores of the samples, e.g. swd (lower is better). */
  scores?: Record<string, number>;
}

/** A saved sample grid; `uri` is already a webview URI (asWebviewUri), never a file path. */
export interface SampleRef {
  step: number;
  uri: string;
}

export type HostMessage =
  /** Replace everything the view shows (a new run, or the webview had nothing). */
  | {
      type: 'reset';
      run: RunInfo | null;
      points: MetricPoint[];
      samples: SampleRef[];
      config?: unknown;
      configPath?: string;
    }
  | { type: 'status'; run: RunInfo }
  /** Points newer than anything sent before for that run. */
  | { type: 'points'; runDir: string; points: MetricPoint[] }
  | { type: 'samples'; runDir: string; samples: SampleRef[] };

/** The pages that show a training run; each names itself in its `ready`. */
export const VIEW_KINDS = ['preview', 'dashboard'] as const;
export type ViewKind = (typeof VIEW_KINDS)[number];
/**
 * Every webview page, the one list of their names: page `x` is webview/x.ts, bundled to
 * dist/webview/x.js, and its body carries data-view="x".
 */
export const PAGE_NAMES = [...VIEW_KINDS, 'compare', 'datasetCheck', 'runs', 'explore'] as const;
export type PageName = (typeof PAGE_NAMES)[number];
export const RUN_ACTIONS = [
  'stop',
  'pause',
  'resume',
  'sampleNow',
  'openDashboard',
  'train',
  'showLog',
  'resumeRun',
] as const;
export type RunAction = (typeof RUN_ACTIONS)[number];

export type WebviewMessage =
  /**
   * Handshake: the page is loaded. It says what it already shows (restored from getState)
   * so the host sends only what is newer instead of replaying the history.
   */
  | { type: 'ready'; view: ViewKind; runDir: string | null; lastStep: number; lastSampleStep: number }
  | { type: 'action'; action: RunAction; runDir: string | null }
  /** Open a file of the run (config, a sample grid) in an editor. */
  | { type: 'openFile'; path: string };

const isView = oneOf(VIEW_KINDS);
const isAction = oneOf(RUN_ACTIONS);
const isStatus = oneOf(RUN_STATUSES);
const MAX_PATH = 4096;

export interface WebviewMessageContext {
  /** True for run directories and files this webview may refer to. */
  allowPath(p: string): boolean;
}

/** Validates a message from a webview. Anything unexpected yields undefined and is ignored. */
export function parseWebviewMessage(m: unknown, ctx: WebviewMessageContext): WebviewMessage | undefined {
  if (!isObj(m)) return undefined;
  const runDirOk = (v: unknown): v is string | null => v === null || (isStr(v, MAX_PATH) && ctx.allowPath(v));
  switch (m.type) {
    case 'ready':
      if (!isView(m.view) || !isInt(m.lastStep, -1) || !isInt(m.lastSampleStep, -1)) return undefined;
      // An unknown runDir in a restored state is not an attack: treat it as "shows nothing".
      return {
        type: 'ready',
        view: m.view,
        runDir: runDirOk(m.runDir) ? m.runDir : null,
        lastStep: runDirOk(m.runDir) ? m.lastStep : -1,
        lastSampleStep: runDirOk(m.runDir) ? m.lastSampleStep : -1,
      };
    case 'action':
      if (!isAction(m.action) || !runDirOk(m.runDir)) return undefined;
      return { type: 'action', action: m.action, runDir: m.runDir };
    case 'openFile':
      if (!isStr(m.path, MAX_PATH) || !ctx.allowPath(m.path)) return undefined;
      return { type: 'openFile', path: m.path };
    default:
      return undefined;
  }
}

export function parseMetricPoint(p: unknown): MetricPoint | undefined {
  if (!isObj(p) || !isInt(p.step, 0)) return undefined;
  const losses = toLosses(p.losses);
  if (!losses) return undefined;
  const out: MetricPoint = { step: p.step, losses };
  for (const k of ['dReal', 'dFake', 'msPerStep'] as const) {
    const v = toMetric(p[k]);
    if (v !== undefined) out[k] = v;
  }
  const scores = p.scores === undefined ? undefined : toLosses(p.scores);
  if (scores) out.scores = scores;
  return out;
}

export function parseSample(s: unknown): SampleRef | undefined {
  return isObj(s) && isInt(s.step, 0) && isStr(s.uri, 8192) ? { step: s.step, uri: s.uri } : undefined;
}

export function parseRunInfo(r: unknown): RunInfo | undefined {
  if (!isObj(r) || !isStr(r.runDir, MAX_PATH) || !isStr(r.name, 512) || !isStatus(r.status)) return undefined;
  if (!isInt(r.step, 0) || !isInt(r.totalSteps, 0) || typeof r.live !== 'boolean') return undefined;
  if (
    !optional(r.backend, isStr) ||
    !optional(r.stepsPerSec, isNum) ||
    !optional(r.etaSec, isNum) ||
    !optional(r.message, isStr)
  ) {
    return undefined;
  }
  return {
    runDir: r.runDir,
    name: r.name,
    status: r.status,
    step: r.step,
    totalSteps: r.totalSteps,
    live: r.live,
    backend: r.backend,
    stepsPerSec: r.stepsPerSec,
    etaSec: r.etaSec,
    message: r.message,
  };
}

export function parseList<T>(x: unknown, item: (v: unknown) => T | undefined): T[] | undefined {
  if (!Array.isArray(x)) return undefined;
  const out: T[] = [];
  for (const v of x) {
    const p = item(v);
    if (p === undefined) return undefined;
    out.push(p);
  }
  return out;
}

/** Used inside the webview on every message from the host. */
export function parseHostMessage(m: unknown): HostMessage | undefined {
  if (!isObj(m)) return undefined;
  switch (m.type) {
    case 'reset': {
      const run = m.run === null ? null : parseRunInfo(m.run);
      const points = parseList(m.points, parseMetricPoint);
      const samples = parseList(m.samples, parseSample);
      if (run === undefined || !points || !samples || !optional(m.configPath, isStr)) return undefined;
      return { type: 'reset', run, points, samples, config: m.config, configPath: m.configPath };
    }
    case 'status': {
      const run = parseRunInfo(m.run);
      return run && { type: 'status', run };
    }
    case 'points': {
      const points = parseList(m.points, parseMetricPoint);
      return isStr(m.runDir, MAX_PATH) && points ? { type: 'points', runDir: m.runDir, points } : undefined;
    }
    case 'samples': {
      const samples = parseList(m.samples, parseSample);
      return isStr(m.runDir, MAX_PATH) && samples ? { type: 'samples', runDir: m.runDir, samples } : undefined;
    }
    default:
      return undefined;
  }
}

/** Webview-side persisted state (vscode.getState/setState) of the Live Preview. */
export interface PreviewState {
  run: RunInfo | null;
  points: MetricPoint[];
  sample: SampleRef | null;
}

/** Webview-side persisted state of a dashboard; the host also reads runDir from it on reload. */
export interface DashboardState {
  runDir: string;
  smoothing: number;
  logScale: boolean;
  hidden: string[];
  scrubStep: number | null;
  followLatest: boolean;
}

/** The dashboard serializer gets this state back after a reload: validate before trusting. */
export function parseDashboardState(s: unknown): Pick<DashboardState, 'runDir'> | undefined {
  return isObj(s) && isStr(s.runDir, MAX_PATH) && s.runDir.length > 0 ? { runDir: s.runDir } : undefined;
}
