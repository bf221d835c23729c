// Host <-> trainer child IPC (process.send / process.on('message')). Requests carry an id and
// get exactly one `response` back; everything else the child sends is an event without id.
// Both directions are validated on arrival: a crashed or foreign child must not crash the host.
import { BACKEND_NAMES, type ActiveBackend, type BackendName } from './backends';
import type { MetricsRecord } from './runDir';
import { isInsideDir } from './pathGuard';
import { isBool, isInt, isNum, isObj, isStr, oneOf, optional, toLosses, toMetric, type Obj } from './guards';

export interface StartOptions {
  configPath: string;
  runDir?: string;
  maxSteps?: number;
  backend?: BackendName;
  seed?: number;
  resume?: boolean;
  threads?: number;
}

export type TrainerRequest =
  | { type: 'start'; id: number; options: StartOptions }
  | { type: 'pause'; id: number }
  | { type: 'resume'; id: number }
  | { type: 'stop'; id: number }
  | { type: 'sample-now'; id: number }
  /** Initialise one backend and time a DCGAN step: for "Select Compute Backend". */
  | { type: 'probe'; id: number; backend: BackendName };

export type TrainerRequestType = TrainerRequest['type'];

export interface ProbeResult {
  backend: BackendName;
  /** The backend that actually initialised (a fallback shows as a different name); for `auto`, the one it chose. */
  active?: ActiveBackend;
  ok: boolean;
  /** Milliseconds for one DCGAN training step at batch 16 (as `gan bench`); lower is faster. */
  msPerStep?: number;
  /** Why it failed; with ok, a note (e.g. why it was not timed). */
  error?: string;
  /** `webgpu` and `auto`: the GPU adapter found, e.g. "NVIDIA H200 (nvidia hopper)" (software ones say so in the name). */
  device?: string;
  /** `webgpu` and `auto`: that adapter is a CPU renderer (llvmpipe, SwiftShader, WARP): correct but slower than native. */
  software?: boolean;
  /** `auto`: why it chose `active` (e.g. "no hardware GPU (the only WebGPU adapter is llvmpipe…)"). */
  reason?: string;
}

export type LogLevel = 'info' | 'warn' | 'error';
export type FinishStatus = 'finished' | 'stopped';

export type TrainerEvent =
  | { type: 'response'; id: number; ok: boolean; error?: string; probe?: ProbeResult }
  | { type: 'started'; backend: ActiveBackend; runDir: string; step: number; totalSteps: number; config: unknown }
  | { type: 'metrics'; record: MetricsRecord }
  | { type: 'sample'; step: number; path: string }
  | { type: 'checkpoint'; step: number; path: string }
  | { type: 'log'; line: string; level: LogLevel }
  | { type: 'state'; paused: boolean }
  | { type: 'finished'; runDir: string; step: number; status: FinishStatus }
  | { type: 'failed'; message: string; stack?: string };

export type TrainerEventType = TrainerEvent['type'];

const isBackend = oneOf(BACKEND_NAMES);
/** A backend a process really runs on: what a run or a probe reports as used, never `auto`. */
const isActive = oneOf(BACKEND_NAMES.filter((b): b is ActiveBackend => b !== 'auto'));
const isLevel = oneOf(['info', 'warn', 'error'] as const);
const isFinish = oneOf(['finished', 'stopped'] as const);
const isPath = (x: unknown): x is string => isStr(x) && x.length > 0;

function parseStartOptions(o: unknown): StartOptions | undefined {
  if (!isObj(o) || !isPath(o.configPath)) return undefined;
  if (!optional(o.runDir, isPath) || !optional(o.maxSteps, (v): v is number => isInt(v, 1))) return undefined;
  if (!optional(o.backend, isBackend) || !optional(o.seed, (v): v is number => isInt(v, 0))) return undefined;
  if (!optional(o.resume, isBool) || !optional(o.threads, (v): v is number => isInt(v, 1))) return undefined;
  return {
    configPath: o.configPath,
    runDir: o.runDir,
    maxSteps: o.maxSteps,
    backend: o.backend,
    seed: o.seed,
    resume: o.resume,
    threads: o.threads,
  };
}

/** Validates a request in the child. Returns undefined for anything malformed. */
export function parseTrainerRequest(m: unknown): TrainerRequest | undefined {
  if (!isObj(m) || !isInt(m.id, 0)) return undefined;
  const id = m.id;
  switch (m.type) {
    case 'start': {
      const options = parseStartOptions(m.options);
      return options && { type: 'start', id, options };
    }
    case 'pause':
    case 'resume':
    case 'stop':
    case 'sample-now':
      return { type: m.type, id };
    case 'probe':
      return isBackend(m.backend) ? { type: 'probe', id, backend: m.backend } : undefined;
    default:
      return undefined;
  }
}

/** Validates one metrics record (from IPC or a metrics.jsonl line). NaN losses arrive as null. */
export function parseMetricsRecord(r: unknown): MetricsRecord | undefined {
  if (!isObj(r) || !isInt(r.step, 0)) return undefined;
  const losses = toLosses(r.losses ?? {});
  if (!losses) return undefined;
  const num = (v: unknown, d = NaN) => (typeof v === 'number' ? v : v === null ? NaN : d);
  const rec: MetricsRecord = {
    step: r.step,
    epoch: num(r.epoch, 0),
    time: isStr(r.time, 64) ? r.time : '',
    msPerStep: num(r.msPerStep),
    losses,
    lr: num(r.lr),
    // The backend the step ran on; `auto` is a request, never what ran.
    backend: isStr(r.backend, 32) && r.backend !== 'auto' ? r.backend : '',
    numTensors: num(r.numTensors),
    rssMB: num(r.rssMB),
  };
  const dReal = toMetric(r.dReal);
  const dFake = toMetric(r.dFake);
  if (dReal !== undefined) rec.dReal = dReal;
  if (dFake !== undefined) rec.dFake = dFake;
  const scores = r.scores === undefined ? undefined : toLosses(r.scores);
  if (scores) rec.scores = scores;
  return rec;
}

const isDevice = (v: unknown): v is string => isStr(v, 1024) && v.length > 0;

function parseProbe(p: unknown): ProbeResult | undefined {
  if (!isObj(p) || !isBackend(p.backend) || !isBool(p.ok)) return undefined;
  if (!optional(p.active, isActive) || !optional(p.msPerStep, isNum) || !optional(p.error, isStr)) return undefined;
  if (!optional(p.device, isDevice) || !optional(p.software, isBool) || !optional(p.reason, isStr)) return undefined;
  const r: ProbeResult = { backend: p.backend, active: p.active, ok: p.ok, msPerStep: p.msPerStep, error: p.error };
  if (p.device !== undefined) r.device = p.device;
  if (p.software !== undefined) r.software = p.software;
  if (p.reason !== undefined) r.reason = p.reason;
  return r;
}

/**
 * Validates an event in the host. `runDir` is the run the child announced in `started`:
 * sample and checkpoint paths must lie inside it (before `started` they are rejected).
 */
export function parseTrainerEvent(m: unknown, runDir?: string): TrainerEvent | undefined {
  if (!isObj(m)) return undefined;
  const e: Obj = m;
  switch (e.type) {
    case 'response': {
      if (!isInt(e.id, 0) || !isBool(e.ok) || !optional(e.error, isStr)) return undefined;
      const probe = e.probe === undefined ? undefined : parseProbe(e.probe);
      if (e.probe !== undefined && !probe) return undefined;
      return { type: 'response', id: e.id, ok: e.ok, error: e.error, probe };
    }
    case 'started':
      if (!isActive(e.backend) || !isPath(e.runDir) || !isInt(e.step, 0) || !isInt(e.totalSteps, 0)) return undefined;
      if (runDir !== undefined && !isInsideDir(runDir, e.runDir, true)) return undefined;
      return {
        type: 'started',
        backend: e.backend,
        runDir: e.runDir,
        step: e.step,
        totalSteps: e.totalSteps,
        config: e.config,
      };
    case 'metrics': {
      const record = parseMetricsRecord(e.record);
      return record && { type: 'metrics', record };
    }
    case 'sample':
    case 'checkpoint':
      if (!isInt(e.step, 0) || runDir === undefined || !isInsideDir(runDir, e.path)) return undefined;
      return { type: e.type, step: e.step, path: e.path };
    case 'log':
      if (!isStr(e.line, 64 * 1024) || !isLevel(e.level)) return undefined;
      return { type: 'log', line: e.line, level: e.level };
    case 'state':
      return isBool(e.paused) ? { type: 'state', paused: e.paused } : undefined;
    case 'finished':
      if (!isPath(e.runDir) || !isInt(e.step, 0) || !isFinish(e.status)) return undefined;
      if (runDir !== undefined && !isInsideDir(runDir, e.runDir, true)) return undefined;
      return { type: 'finished', runDir: e.runDir, step: e.step, status: e.status };
    case 'failed':
      if (!isStr(e.message, 64 * 1024) || !optional(e.stack, (v): v is string => isStr(v, 64 * 1024))) return undefined;
      return { type: 'failed', message: e.message, stack: e.stack };
    default:
      return undefined;
  }
}
