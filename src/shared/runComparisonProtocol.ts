// Host <-> "Run Comparison" page messages (page `runs`: several training runs side by side;
// not the before/after image Compare view of compareProtocol.ts). After a `reset` naming the
// runs, live runs stream `status` / `points` / `samples` exactly as on the dashboard's channel.
// The page names runs by their index in the reset, never by path: it cannot name other files.
// Browser-safe: no Node imports here.
import type { ConfigDiffRow } from './configDiff';
import { isInt, isObj, isStr, optional } from './guards';
import {
  parseHostMessage,
  parseList,
  parseMetricPoint,
  parseRunInfo,
  parseSample,
  type HostMessage,
  type MetricPoint,
  type RunInfo,
  type SampleRef,
} from './webviewProtocol';

export const MAX_COMPARED_RUNS = 12;

export interface ComparedRun {
  info: RunInfo;
  /** The config's `model` (gan, dcgan, cgan, ...), when it has one. */
  family?: string;
  points: MetricPoint[];
  samples: SampleRef[];
}

export type RunComparisonHostMessage =
  { type: 'reset'; runs: ComparedRun[]; configDiff: ConfigDiffRow[] } | Exclude<HostMessage, { type: 'reset' }>;

export type RunComparisonWebviewMessage =
  | { type: 'ready' }
  | { type: 'openDashboard'; run: number }
  | { type: 'openConfig'; run: number }
  | { type: 'openSample'; run: number; step: number };

/** What the page keeps across hide and reload; the serializer reads `runDirs` back. */
export interface RunComparisonState {
  runDirs: string[];
  smoothing: number;
  xAxis: 'step' | 'time';
  zoom: number;
  scrubStep: number | null;
  followLatest: boolean;
}

/** Host side: a message from the page (untrusted). `runCount`: how many runs the page was sent. */
export function parseRunComparisonWebviewMessage(
  m: unknown,
  runCount: number,
): RunComparisonWebviewMessage | undefined {
  if (!isObj(m)) return undefined;
  const runOk = isInt(m.run, 0) && m.run < runCount;
  switch (m.type) {
    case 'ready':
      return { type: 'ready' };
    case 'openDashboard':
    case 'openConfig':
      return runOk ? { type: m.type, run: m.run as number } : undefined;
    case 'openSample':
      return runOk && isInt(m.step, 0)
        ? { type: 'openSample', run: m.run as number, step: m.step as number }
        : undefined;
    default:
      return undefined;
  }
}

function parseRun(r: unknown): ComparedRun | undefined {
  if (!isObj(r) || !optional(r.family, (v): v is string => isStr(v, 64))) return undefined;
  const info = parseRunInfo(r.info);
  const points = parseList(r.points, parseMetricPoint);
  const samples = parseList(r.samples, parseSample);
  return info && points && samples ? { info, family: r.family, points, samples } : undefined;
}

function parseDiffRow(r: unknown): ConfigDiffRow | undefined {
  if (!isObj(r) || !isStr(r.key, 512)) return undefined;
  const values = parseList(r.values, (v) => (v === null || isStr(v, 4096) ? v : undefined));
  return values ? { key: r.key, values } : undefined;
}

/** Page side: a message from the host (checked too: the page must never break on one). */
export function parseRunComparisonHostMessage(m: unknown): RunComparisonHostMessage | undefined {
  if (!isObj(m)) return undefined;
  if (m.type !== 'reset') {
    const other = parseHostMessage(m);
    return other && other.type !== 'reset' ? other : undefined;
  }
  const runs = parseList(m.runs, parseRun);
  const configDiff = parseList(m.configDiff, parseDiffRow);
  if (!runs || runs.length > MAX_COMPARED_RUNS || !configDiff) return undefined;
  if (configDiff.some((row) => row.values.length !== runs.length)) return undefined;
  return { type: 'reset', runs, configDiff };
}

/** Run folders restored from a page's state: at most MAX_COMPARED_RUNS strings, else nothing. */
export function parseRunComparisonState(s: unknown): Pick<RunComparisonState, 'runDirs'> | undefined {
  if (!isObj(s) || !Array.isArray(s.runDirs) || s.runDirs.length > MAX_COMPARED_RUNS) return undefined;
  const runDirs = s.runDirs.filter((d): d is string => isStr(d, 4096) && d.length > 0);
  return runDirs.length === s.runDirs.length && runDirs.length >= 2 ? { runDirs } : undefined;
}
