// Fuzzing the validators that stand between untrusted input and the engine/host:
//  - the config validator (resolveConfig, and loadConfig on mangled JSON text): accepts, or
//    throws ConfigError whose every problem is one short line; nothing else, ever;
//  - the webview message guards (dashboard/preview, compare, dataset check) and the IPC guards
//    (trainer requests/events, inference requests/events): accept or refuse without throwing,
//    and an accepted message never names a path outside the run folder (or the job's output).
// Inputs are mutations of valid ones: wrong types, extreme numbers, unknown keys and types,
// path traversal, huge strings, deep nesting, prototype-pollution keys.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseCompareWebviewMessage } from '../../src/shared/compareProtocol';
import { ConfigError, loadConfig, MODEL_KINDS, resolveConfig } from '../../src/shared/config';
import { parseCheckPageMessage } from '../../src/shared/datasetCheckProtocol';
import { parseInferEvent, parseInferRequest } from '../../src/shared/inferProtocol';
import { isInsideDir } from '../../src/shared/pathGuard';
import { parseTrainerEvent, parseTrainerRequest } from '../../src/shared/trainerProtocol';
import { parseHostMessage, parseWebviewMessage } from '../../src/shared/webviewProtocol';
import { seeded, Tally, tmpDir } from './common';

type Json = unknown;
const HUGE = 'x'.repeat(1 << 20);

function deep(n: number): Json {
  let o: Json = { step: 1 };
  for (let i = 0; i < n; i++) o = i % 2 ? { losses: o, type: 'metrics' } : { record: o, type: 'metrics' };
  return o;
}

export class Mutator {
  constructor(
    private readonly rand: () => number,
    private readonly root: string,
  ) {}
  pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.rand() * xs.length)];
  }
  value(): Json {
    const r = this.root;
    return this.pick<() => Json>([
      () => 0,
      () => -1,
      () => 1e308,
      () => -1e308,
      () => Number.MAX_SAFE_INTEGER + 2,
      () => NaN,
      () => Infinity,
      () => 0.5,
      () => '',
      () => 'abc',
      () => 'auto',
      () => HUGE,
      () => true,
      () => false,
      () => null,
      () => undefined,
      () => [],
      () => [1, 'a', null],
      () => ({}),
      () => '../../etc/passwd',
      () => '/etc/passwd',
      () => `${r}/../../etc/passwd`,
      () => `${r}/x/../../../etc`,
      () => `${r}/ok\0.png`,
      () => `${r}-sibling/a.png`,
      () => 'C:\\Windows\\system32',
      () => `${r}/samples/step-00000001.png`,
      () => r,
      () => JSON.parse('{"__proto__": {"polluted": 1}}'),
      () => ({ constructor: { prototype: { polluted: 1 } } }),
      () => deep(200),
    ])();
  }
  /** 1-3 random mutations of a copy of `base` (keys anywhere in the tree). */
  mutate(base: Json): Json {
    if (this.rand() < 0.05) return this.value();
    let o = structuredClone(base) as Record<string, unknown>;
    const n = 1 + Math.floor(this.rand() * 3);
    for (let i = 0; i < n; i++) {
      const paths = objectPaths(o);
      const [parent, key] = this.pick(paths.length ? paths : [[o, 'type'] as [Record<string, unknown>, string]]);
      const op = this.rand();
      if (op < 0.2) delete parent[key];
      else if (op < 0.7) parent[key] = this.value();
      else if (op < 0.8)
        parent[this.pick(['unknownKey', '__proto__', 'constructor', 'prototype', HUGE.slice(0, 5000)])] = this.value();
      else if (op < 0.9)
        o.type = this.pick([
          '',
          'openFile',
          'action',
          'start',
          'run',
          'sample',
          'checkpoint',
          'finished',
          'eval',
          '__proto__',
          'toString',
          HUGE,
        ]);
      else o = Object.assign(JSON.parse('{"__proto__": {"polluted": true}}') as Record<string, unknown>, o);
    }
    return o;
  }
}

function objectPaths(
  o: unknown,
  out: Array<[Record<string, unknown>, string]> = [],
  depth = 0,
): Array<[Record<string, unknown>, string]> {
  if (!o || typeof o !== 'object' || depth > 6) return out;
  for (const k of Object.keys(o)) {
    out.push([o as Record<string, unknown>, k]);
    objectPaths((o as Record<string, unknown>)[k], out, depth + 1);
  }
  return out;
}

const polluted = () =>
  (({}) as Record<string, unknown>).polluted !== undefined ||
  (Object.prototype as Record<string, unknown>).polluted !== undefined;

/** Every string under a key that names a file or folder, anywhere in an accepted message. */
function pathsIn(o: unknown, out: string[] = []): string[] {
  if (!o || typeof o !== 'object') return out;
  for (const [k, v] of Object.entries(o)) {
    if (typeof v === 'string' && /path|dir|output|input|checkpoint/i.test(k)) out.push(v);
    else pathsIn(v, out);
  }
  return out;
}

/** What an accepted trainer event says about the backend that ran: never `auto`, a GPU name that fits a line. */
function usedBackendProblem(r: unknown): string | undefined {
  if (!r || typeof r !== 'object') return undefined;
  const e = r as {
    type?: unknown;
    backend?: unknown;
    probe?: { active?: unknown; device?: unknown; software?: unknown; reason?: unknown };
  };
  if (e.type === 'started' && e.backend === 'auto') return 'accepted `auto` as the backend a run started on';
  const p = e.type === 'response' ? e.probe : undefined;
  if (!p) return undefined;
  if (p.active === 'auto') return 'accepted `auto` as the backend a probe resolved to';
  if (p.device !== undefined && (typeof p.device !== 'string' || !p.device || p.device.length > 1024))
    return 'accepted a bad GPU description';
  if (p.software !== undefined && typeof p.software !== 'boolean') return 'accepted a non-boolean `software`';
  if (p.reason !== undefined && (typeof p.reason !== 'string' || p.reason.length > 4096))
    return 'accepted a bad `reason`';
  return undefined;
}

// ---- configs ----------------------------------------------------------------------------

function validConfigs(dir: string): Array<Record<string, unknown>> {
  return [
    {
      name: 'tiny',
      model: 'gan',
      dataset: { kind: 'mnist', limit: 256 },
      imageSize: 28,
      batchSize: 8,
      steps: 10,
      params: { latentDim: 8 },
    },
    {
      name: 'd',
      model: 'dcgan',
      dataset: { kind: 'folder', path: 'faces' },
      imageSize: 64,
      optimizer: { lr: 0.0002, beta1: 0.5 },
    },
    { name: 'c', model: 'cgan', dataset: { kind: 'fashion-mnist', split: 'test' } },
    {
      name: 'p',
      model: 'pix2pix',
      dataset: { kind: 'paired', path: 'pairs', direction: 'BtoA' },
      imageSize: 64,
      params: { lambdaL1: 100 },
    },
    {
      name: 'cg',
      model: 'cyclegan',
      dataset: { kind: 'unpaired', pathA: 'a', pathB: 'b' },
      imageSize: 64,
      params: { residualBlocks: 2 },
    },
    {
      name: 's',
      model: 'srgan',
      dataset: { kind: 'sr', path: path.join(dir, 'hr'), scale: 4 },
      imageSize: 96,
      modelFile: 'model.ts',
    },
  ];
}

export function configFuzz(seed: number, n: number): { t: Tally; rejected: number; accepted: number } {
  const rand = seeded(seed);
  const dir = tmpDir('gan-rel-fuzz-');
  const m = new Mutator(rand, dir);
  const bases = validConfigs(dir);
  const t = new Tally();
  let rejected = 0,
    accepted = 0;
  const judge = (label: string, run: () => unknown) => {
    try {
      const cfg = run() as { name: string; model: string };
      accepted++;
      // The name becomes runs/<name>-<time>: it must not lead out of runs/.
      t.check(
        !/[/\\]|^\.\.?$/.test(cfg.name) && MODEL_KINDS.includes(cfg.model as never) && !polluted(),
        `${label}: accepted a config with name ${JSON.stringify(cfg.name).slice(0, 80)}`,
      );
    } catch (e) {
      rejected++;
      const lines = e instanceof ConfigError ? e.problems : [];
      t.check(
        e instanceof ConfigError &&
          lines.length > 0 &&
          lines.every((l) => l.length > 0 && l.length <= 400 && !l.includes('\n')) &&
          !polluted(),
        `${label}: threw ${e instanceof ConfigError ? `ConfigError with ${lines.length} problem(s), longest ${Math.max(...lines.map((l) => l.length))} chars` : String(e).slice(0, 200)}`,
      );
    }
  };
  for (const b of bases) judge(`valid ${b.model}`, () => resolveConfig(b, dir));
  for (let i = 0; i < n; i++) {
    const input = m.mutate(m.pick(bases));
    judge(`config #${i} ${JSON.stringify(input)?.slice(0, 160)}`, () => resolveConfig(input, dir));
  }
  // Mangled files through loadConfig: cut, spliced bytes, not JSON at all.
  const file = path.join(dir, 'gan.config.json');
  for (let i = 0; i < n / 5; i++) {
    const text = JSON.stringify(m.pick(bases));
    const cut = Math.floor(rand() * text.length);
    const variants = [
      text.slice(0, cut),
      text.slice(0, cut) + String.fromCharCode(Math.floor(rand() * 65536)) + text.slice(cut + 1),
      '\uFEFF' + text,
      'null',
      '[]',
      '"x"',
      '{"__proto__": {"polluted": 1}}',
    ];
    fs.writeFileSync(file, m.pick(variants));
    judge(`config file #${i}`, () => loadConfig(file));
  }
  fs.rmSync(dir, { recursive: true, force: true });
  return { t, rejected, accepted };
}

// ---- messages ---------------------------------------------------------------------------

export function messageFuzz(seed: number, n: number): { webview: Tally; ipc: Tally } {
  const rand = seeded(seed + 1);
  const root = tmpDir('gan-rel-msg-');
  const runDir = path.join(root, 'runs', 'tiny-20260101-000000');
  const m = new Mutator(rand, runDir);
  const webview = new Tally(),
    ipc = new Tally();
  const inRun = (p: string) => isInsideDir(runDir, p, true);
  const sample = path.join(runDir, 'samples', 'step-00000001.png');
  const out = path.join(root, 'photo-x4.png');
  const outputOf = (id: number) => (id === 1 ? out : undefined);

  const judge = (t: Tally, label: string, parse: () => unknown, allowed: (p: string) => boolean) => {
    try {
      const r = parse();
      const bad = r === undefined ? [] : pathsIn(r).filter((p) => !allowed(p));
      t.check(
        !bad.length && !polluted(),
        `${label}: accepted a path outside: ${bad.map((p) => p.slice(0, 80)).join(', ')}${polluted() ? ' (Object.prototype polluted)' : ''}`,
      );
      const used = r === undefined ? undefined : usedBackendProblem(r);
      t.check(!used, `${label}: ${used}`);
    } catch (e) {
      t.check(false, `${label}: threw ${String(e).slice(0, 200)}`);
    }
  };
  const webviewCases: Array<[Json, (x: Json) => unknown, (p: string) => boolean]> = [
    [{ type: 'openFile', path: sample }, (x) => parseWebviewMessage(x, { allowPath: inRun }), inRun],
    [{ type: 'action', action: 'stop', runDir }, (x) => parseWebviewMessage(x, { allowPath: inRun }), inRun],
    [
      { type: 'ready', view: 'dashboard', runDir, lastStep: 3, lastSampleStep: 2 },
      (x) => parseWebviewMessage(x, { allowPath: inRun }),
      inRun,
    ],
    [{ type: 'file', side: 'before', action: 'reveal' }, (x) => parseCompareWebviewMessage(x), () => false],
    [{ type: 'recheck' }, (x) => parseCheckPageMessage(x), () => false],
    // Host -> webview: checked in the page; only must not throw (paths there are display text).
    [{ type: 'points', runDir, points: [{ step: 1, losses: { dLoss: 1 } }] }, (x) => parseHostMessage(x), () => true],
  ];
  const ipcCases: Array<[Json, (x: Json) => unknown, (p: string) => boolean]> = [
    [{ type: 'sample', step: 2, path: sample }, (x) => parseTrainerEvent(x, runDir), inRun],
    [
      { type: 'checkpoint', step: 2, path: path.join(runDir, 'checkpoints', 'step-00000002') },
      (x) => parseTrainerEvent(x, runDir),
      inRun,
    ],
    [
      { type: 'started', backend: 'cpu', runDir, step: 0, totalSteps: 10, config: {} },
      (x) => parseTrainerEvent(x, runDir),
      inRun,
    ],
    [{ type: 'finished', runDir, step: 10, status: 'finished' }, (x) => parseTrainerEvent(x, runDir), inRun],
    [
      { type: 'metrics', record: { step: 3, epoch: 0, losses: { dLoss: 0.5, gLoss: 1 }, lr: 0.0002 } },
      (x) => parseTrainerEvent(x, runDir),
      inRun,
    ],
    [{ type: 'log', line: 'step 1/10', level: 'warn' }, (x) => parseTrainerEvent(x, runDir), inRun],
    [
      {
        type: 'response',
        id: 4,
        ok: true,
        probe: {
          backend: 'auto',
          active: 'native',
          ok: true,
          device: 'llvmpipe (LLVM 19.1.7, 256 bits) [software renderer]',
          software: true,
          reason: 'no hardware GPU',
        },
      },
      (x) => parseTrainerEvent(x, runDir),
      inRun,
    ],
    [
      {
        type: 'response',
        id: 5,
        ok: true,
        probe: {
          backend: 'webgpu',
          active: 'webgpu',
          ok: true,
          msPerStep: 80,
          device: 'NVIDIA H200 (nvidia hopper)',
          software: false,
        },
      },
      (x) => parseTrainerEvent(x, runDir),
      inRun,
    ],
    // Host -> child requests: the config path is the user's own choice; only must not throw.
    [
      {
        type: 'start',
        id: 1,
        options: { configPath: path.join(root, 'gan.config.json'), maxSteps: 5, backend: 'cpu' },
      },
      (x) => parseTrainerRequest(x),
      () => true,
    ],
    [
      {
        type: 'run',
        id: 1,
        job: { kind: 'upscale', input: path.join(root, 'photo.png'), output: out, scale: 4, model: 'default' },
        options: {},
      },
      (x) => parseInferRequest(x),
      () => true,
    ],
    [
      {
        type: 'response',
        id: 1,
        ok: true,
        result: { output: out, width: 8, height: 8, inputWidth: 2, inputHeight: 2, seconds: 1, model: 'x4' },
      },
      (x) => parseInferEvent(x, outputOf),
      (p) => p === out || /photo-x4 \(\d+\)\.png$/.test(p),
    ],
  ];
  for (let i = 0; i < n; i++) {
    const [wb, wp, wa] = m.pick(webviewCases);
    const wx = m.mutate(wb);
    judge(webview, `webview #${i} ${JSON.stringify(wx)?.slice(0, 160)}`, () => wp(wx), wa);
    const [ib, ip, ia] = m.pick(ipcCases);
    const ix = m.mutate(ib);
    judge(ipc, `ipc #${i} ${JSON.stringify(ix)?.slice(0, 160)}`, () => ip(ix), ia);
  }
  fs.rmSync(root, { recursive: true, force: true });
  return { webview, ipc };
}
