// Reads run directories (DESIGN.md "The run directory") into summaries for the Runs tree, the
// resume picker and the dashboard. Pure Node, no `vscode`: unit-tested on fixture run dirs.
// Everything on disk may be half-written (a run is training right now): bad lines are skipped.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { RUN_FILES, parseStepName, runPaths } from '../../shared/runDir';
import { parseMetricsRecord } from '../../shared/trainerProtocol';
import type { MetricPoint, RunStatus } from '../../shared/webviewProtocol';
import { isObj } from '../../shared/guards';

export interface CheckpointInfo {
  name: string;
  path: string;
  step: number | undefined;
  isLatest: boolean;
}

export interface SampleInfo {
  step: number;
  path: string;
}

export interface RunSummary {
  runDir: string;
  name: string;
  /** From disk only; a live session overrides it. */
  status: RunStatus;
  step: number;
  totalSteps: number;
  model?: string;
  backend?: string;
  msPerStep?: number;
  lastLosses: Record<string, number>;
  dReal?: number;
  dFake?: number;
  checkpoints: CheckpointInfo[];
  samples: SampleInfo[];
  hasLatest: boolean;
  /** The line a user should see first: why it failed, else the newest training warning. */
  note?: string;
  /** Newest modification time of the run's files (ms), for sorting. */
  modified: number;
}

const TAIL_BYTES = 64 * 1024;

async function statOrUndef(p: string) {
  try {
    return await fs.stat(p);
  } catch {
    return undefined;
  }
}

async function readJson(p: string): Promise<unknown> {
  try {
    return JSON.parse(await fs.readFile(p, 'utf8'));
  } catch {
    return undefined;
  }
}

/** The last `bytes` of a file as text (whole lines only). */
export async function readTail(file: string, bytes = TAIL_BYTES): Promise<string> {
  let fh: fs.FileHandle | undefined;
  try {
    fh = await fs.open(file, 'r');
    const { size } = await fh.stat();
    const start = Math.max(0, size - bytes);
    const buf = Buffer.alloc(size - start);
    await fh.read(buf, 0, buf.length, start);
    const text = buf.toString('utf8');
    // Drop the first, probably cut, line unless we read from the start.
    return start > 0 ? text.slice(text.indexOf('\n') + 1) : text;
  } catch {
    return '';
  } finally {
    await fh?.close();
  }
}

export function toPoint(r: NonNullable<ReturnType<typeof parseMetricsRecord>>): MetricPoint {
  const p: MetricPoint = { step: r.step, losses: r.losses, msPerStep: r.msPerStep };
  if (r.dReal !== undefined) p.dReal = r.dReal;
  if (r.dFake !== undefined) p.dFake = r.dFake;
  if (r.scores) p.scores = r.scores;
  return p;
}

/** Parses metrics.jsonl text: one record a line, bad or partial lines skipped. */
export function parseMetricsText(text: string): MetricPoint[] {
  const out: MetricPoint[] = [];
  for (const line of text.split('\n')) {
    const t = line.trim();
    if (!t) continue;
    try {
      const r = parseMetricsRecord(JSON.parse(t));
      if (r) out.push(toPoint(r));
    } catch {
      // a line being written right now, or garbage
    }
  }
  return out;
}

/** Keeps at most `max` points, evenly spaced, always including the first and the last. */
export function downsample<T>(points: T[], max: number): T[] {
  if (points.length <= max || max < 2) return points;
  const out: T[] = [];
  const stride = (points.length - 1) / (max - 1);
  for (let i = 0; i < max; i++) out.push(points[Math.round(i * stride)]);
  return out;
}

export async function readMetrics(runDir: string, maxPoints = 20_000): Promise<MetricPoint[]> {
  let text: string;
  try {
    text = await fs.readFile(runPaths(runDir).metrics, 'utf8');
  } catch {
    return [];
  }
  return downsample(parseMetricsText(text), maxPoints);
}

export async function listSamples(runDir: string): Promise<SampleInfo[]> {
  const dir = runPaths(runDir).samples;
  let names: string[];
  try {
    names = await fs.readdir(dir);
  } catch {
    return [];
  }
  const out: SampleInfo[] = [];
  for (const n of names) {
    const step = n.endsWith('.png') ? parseStepName(n) : undefined;
    if (step !== undefined) out.push({ step, path: path.join(dir, n) });
  }
  return out.sort((a, b) => a.step - b.step);
}

export async function listCheckpoints(runDir: string): Promise<CheckpointInfo[]> {
  const dir = runPaths(runDir).checkpoints;
  let entries: import('node:fs').Dirent[];
  try {
    entries = await fs.readdir(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  const out: CheckpointInfo[] = [];
  for (const e of entries) {
    if (!e.isDirectory()) continue;
    const p = path.join(dir, e.name);
    if (e.name === RUN_FILES.latest) {
      const state = await readJson(path.join(p, 'state.json'));
      const step = isObj(state) && typeof state.step === 'number' ? state.step : undefined;
      out.push({ name: e.name, path: p, step, isLatest: true });
    } else {
      // Temporary names (a checkpoint being written) don't parse and are skipped.
      const step = parseStepName(e.name);
      if (step !== undefined) out.push({ name: e.name, path: p, step, isLatest: false });
    }
  }
  // latest first, then newest step first
  return out.sort((a, b) => Number(b.isLatest) - Number(a.isLatest) || (b.step ?? -1) - (a.step ?? -1));
}

/** True when the last non-empty line of events.log reports an error (the trainer died on it). */
export function endsWithError(logText: string): boolean {
  const last =
    logText
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean)
      .pop() ?? '';
  return /\b(error|failed|fatal)\b/i.test(last);
}

/** The failure (last line, when it is an error) or else the newest "WARN " line of events.log. */
export function logNote(logText: string): string | undefined {
  const lines = logText
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  if (endsWithError(logText)) return lines[lines.length - 1].replace(/^ERROR /, '');
  const warn = [...lines].reverse().find((l) => l.startsWith('WARN '));
  return warn ? `warning: ${warn.slice(5)}` : undefined;
}

/** A directory is a run when it has a config.json or a metrics.jsonl. */
export async function readRun(runDir: string): Promise<RunSummary | undefined> {
  const paths = runPaths(runDir);
  const [cfgStat, metricsStat, dirStat] = await Promise.all([
    statOrUndef(paths.config),
    statOrUndef(paths.metrics),
    statOrUndef(runDir),
  ]);
  if (!dirStat?.isDirectory() || (!cfgStat && !metricsStat)) return undefined;
  const config = await readJson(paths.config);
  const [tail, checkpoints, samples, logTail] = await Promise.all([
    readTail(paths.metrics),
    listCheckpoints(runDir),
    listSamples(runDir),
    readTail(paths.events, 4096),
  ]);
  const points = parseMetricsText(tail);
  const last = points[points.length - 1];
  // The last record with backend info, read again as a record (points drop that field).
  let backend: string | undefined;
  for (const line of tail.trim().split('\n').reverse()) {
    try {
      const r = parseMetricsRecord(JSON.parse(line));
      if (r?.backend) {
        backend = r.backend;
        break;
      }
    } catch {
      // skip
    }
  }
  const latest = checkpoints.find((c) => c.isLatest);
  const totalSteps = isObj(config) && typeof config.steps === 'number' ? config.steps : 0;
  const step = Math.max(last?.step ?? 0, latest?.step ?? 0);
  let status: RunStatus;
  if (totalSteps > 0 && step >= totalSteps) status = 'finished';
  else if (endsWithError(logTail)) status = 'failed';
  else if (latest) status = 'stopped';
  else status = 'incomplete';
  const modified = Math.max(dirStat.mtimeMs, cfgStat?.mtimeMs ?? 0, metricsStat?.mtimeMs ?? 0);
  return {
    runDir,
    name: path.basename(runDir),
    status,
    step,
    totalSteps,
    model: isObj(config) && typeof config.model === 'string' ? config.model : undefined,
    backend,
    msPerStep: last?.msPerStep,
    lastLosses: last?.losses ?? {},
    dReal: last?.dReal,
    dFake: last?.dFake,
    checkpoints,
    samples,
    hasLatest: !!latest,
    note: logNote(logTail),
    modified,
  };
}

/** Every run directly under `root`, newest first. A missing root is simply empty. */
export async function listRuns(root: string): Promise<RunSummary[]> {
  let entries: import('node:fs').Dirent[];
  try {
    entries = await fs.readdir(root, { withFileTypes: true });
  } catch {
    return [];
  }
  const runs = await Promise.all(entries.filter((e) => e.isDirectory()).map((e) => readRun(path.join(root, e.name))));
  return runs.filter((r): r is RunSummary => !!r).sort((a, b) => b.modified - a.modified);
}
