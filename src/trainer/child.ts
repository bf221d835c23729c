// The trainer child process (bundled to dist/trainer.js, forked by the extension host).
// It turns host requests (start/pause/resume/stop/sample-now/probe) into calls on the
// training engine and relays the engine's events as typed IPC messages. The engine and tfjs
// are imported lazily so this file's protocol logic is unit-testable without them.
import type { TrainControl, TrainEvents, TrainOptions, TrainResult } from './train/api';
import { processPort, type ProcessPort } from './processPort';
import type { ActiveBackend, BackendName } from '../shared/backends';
import {
  parseTrainerRequest,
  type ProbeResult,
  type TrainerEvent,
  type TrainerRequest,
} from '../shared/trainerProtocol';

export type RunTraining = (opts: TrainOptions, events: TrainEvents, control: TrainControl) => Promise<TrainResult>;

/** The IPC channel, abstracted so tests can drive the server in-process. */
export type ChildPort = ProcessPort<TrainerEvent>;

export interface ChildDeps {
  loadRunTraining(): Promise<RunTraining>;
  probe(backend: BackendName): Promise<ProbeResult>;
  exit(code: number): void;
}

export function serveTrainer(port: ChildPort, deps: ChildDeps): void {
  let control: TrainControl | undefined;
  let exiting = false;

  const post = (e: TrainerEvent) => port.send(e).catch(() => undefined);
  const reply = (req: TrainerRequest, ok = true, error?: string, probe?: ProbeResult) =>
    post({ type: 'response', id: req.id, ok, ...(error ? { error } : {}), ...(probe ? { probe } : {}) });
  // Exit only after the last message is handed to the channel, or the host never sees it.
  const exitAfter = (last: Promise<unknown>, code: number) => {
    if (exiting) return;
    exiting = true;
    void last.finally(() => deps.exit(code));
  };

  const start = async (req: Extract<TrainerRequest, { type: 'start' }>) => {
    const ctl: TrainControl = { stop: false, paused: false, sampleNow: false };
    control = ctl;
    await reply(req);
    const events: TrainEvents = {
      started: (i) =>
        void post({
          type: 'started',
          backend: i.backend,
          runDir: i.runDir,
          step: i.step,
          totalSteps: i.totalSteps,
          config: i.config,
        }),
      metrics: (record) => void post({ type: 'metrics', record }),
      sample: (s) => void post({ type: 'sample', step: s.step, path: s.path }),
      checkpoint: (c) => void post({ type: 'checkpoint', step: c.step, path: c.path }),
      log: (line, level) => void post({ type: 'log', line, level }),
    };
    try {
      const run = await deps.loadRunTraining();
      const res = await run({ ...req.options }, events, ctl);
      exitAfter(post({ type: 'finished', runDir: res.runDir, step: res.step, status: res.status }), 0);
    } catch (err) {
      exitAfter(post(failure(err)), 1);
    }
  };

  port.onMessage((m) => {
    const req = parseTrainerRequest(m);
    if (!req) {
      // No id to answer to: say so on the log channel and carry on.
      void post({ type: 'log', line: 'trainer ignored a malformed request', level: 'warn' });
      return;
    }
    switch (req.type) {
      case 'start':
        if (control) void reply(req, false, 'a run is already started in this process');
        else void start(req);
        return;
      case 'pause':
      case 'resume':
        if (!control) return void reply(req, false, 'no run started');
        control.paused = req.type === 'pause';
        void post({ type: 'state', paused: control.paused });
        return void reply(req);
      case 'sample-now':
        if (!control) return void reply(req, false, 'no run started');
        control.sampleNow = true;
        return void reply(req);
      case 'stop':
        if (!control) {
          exitAfter(reply(req), 0);
          return;
        }
        // The loop sees `stop` between steps, writes a checkpoint and returns 'stopped'.
        control.stop = true;
        control.paused = false;
        return void reply(req);
      case 'probe':
        deps.probe(req.backend).then(
          (p) => reply(req, true, undefined, p),
          (err) => reply(req, true, undefined, { backend: req.backend, ok: false, error: messageOf(err) }),
        );
        return;
    }
  });

  port.onDisconnect(() => {
    // The host went away (window closed, extension host crashed): save and leave.
    if (control && !exiting) {
      control.stop = true;
      control.paused = false;
    } else if (!control) {
      deps.exit(0);
    }
  });
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function failure(err: unknown): TrainerEvent {
  return {
    type: 'failed',
    message: messageOf(err) || 'training failed',
    ...(err instanceof Error && err.stack ? { stack: err.stack } : {}),
  };
}

/**
 * Initialises one backend and times one DCGAN training step (the tutorial networks, as
 * `gan bench` does) at batch 16 after a warm-up step. The pure-JS backend is only loaded, not
 * timed: a step takes it minutes. (Scaling a small-batch time does not work: per-step overhead
 * dominates small batches.) `webgpu` and `auto` also say which GPU adapter there is (or why
 * none is usable); `auto` is not timed: it says which backend it would use, and why.
 */
const PROBE_BATCH = 16;

/** `auto`'s reason, from initBackend's choice line "backend auto -> native: <reason>". */
export function autoReason(infos: readonly string[], active: ActiveBackend): string | undefined {
  const head = `backend auto -> ${active}: `;
  return infos.find((l) => l.startsWith(head))?.slice(head.length);
}

async function probeBackend(backend: BackendName): Promise<ProbeResult> {
  const [
    { initBackend },
    { probeGpu },
    tf,
    { resolveConfig },
    { getFamily },
    { Rng, installAsMathRandom },
    { oneHot },
    { DEFAULT_BENCH_MODEL },
    { adam },
  ] = await Promise.all([
    import('./engine/backend'),
    import('./engine/gpu/dawn'),
    import('@tensorflow/tfjs'),
    import('../shared/config'),
    import('./models'),
    import('./engine/rng'),
    import('./models/common/latentFamily'),
    import('./models/infos'),
    import('./train/adam'),
  ]);
  const gpu = backend === 'webgpu' || backend === 'auto' ? await probeGpu() : undefined;
  const seen: Pick<ProbeResult, 'device' | 'software'> =
    gpu?.ok && gpu.name ? { device: gpu.name, software: !!gpu.software } : {};
  if (backend === 'webgpu' && gpu && !gpu.ok) return { backend, ok: false, error: gpu.reason ?? 'no WebGPU adapter' };
  const warnings: string[] = [];
  const infos: string[] = [];
  const active = await initBackend(backend, { warn: (m) => warnings.push(m), info: (m) => infos.push(m) });
  if (backend === 'auto') {
    const reason = autoReason(infos, active);
    return {
      backend,
      active,
      ok: true,
      ...seen,
      ...(reason ? { reason } : {}),
      ...(warnings.length ? { error: warnings.join('; ') } : {}),
    };
  }
  if (active !== backend)
    return { backend, active, ok: false, ...seen, error: warnings[0] ?? `fell back to ${active}` };
  const family = getFamily(DEFAULT_BENCH_MODEL);
  const cfg = resolveConfig({ model: DEFAULT_BENCH_MODEL }, process.cwd());
  const spec = { imageSize: cfg.imageSize, channels: 1, numClasses: 0, params: cfg.params };
  const rng = new Rng(0);
  const restore = installAsMathRandom(rng);
  const nets = family.build(spec);
  const optimizers = Object.fromEntries(
    family.networkNames.map((n) => [n, adam(cfg.optimizer.lr, cfg.optimizer.beta1, cfg.optimizer.beta2)]),
  );
  const time = async (batch: number) => {
    const images = tf.randomUniform(
      [batch, spec.imageSize, spec.imageSize, 1],
      -1,
      1,
    ) as import('@tensorflow/tfjs').Tensor4D;
    const labels = oneHot(
      Array.from({ length: batch }, () => 0),
      10,
    );
    const t0 = performance.now();
    try {
      await family.trainStep({ nets, optimizers, spec, rng }, { images, labels });
      return performance.now() - t0;
    } finally {
      tf.dispose([images, labels]);
    }
  };
  try {
    if (backend === 'cpu')
      return { backend, active, ok: true, error: 'pure JavaScript: not timed, far slower than the others' };
    // A CPU renderer takes tens of seconds a step (llvmpipe on 2 cores: 30 s, native 0.4 s).
    if (seen.software)
      return { backend, active, ok: true, ...seen, error: 'a software renderer: not timed, far slower than native' };
    await time(PROBE_BATCH); // warm-up: kernel setup, native graphs for these shapes
    return { backend, active, ok: true, ...seen, msPerStep: await time(PROBE_BATCH) };
  } catch (err) {
    // It loaded but cannot train (e.g. a GPU driver failing a kernel): say so, with the device.
    return { backend, active, ok: false, ...seen, error: `a training step failed: ${messageOf(err).split('\n')[0]}` };
  } finally {
    Object.values(nets).forEach((m) => m.dispose());
    Object.values(optimizers).forEach((o) => o.dispose());
    restore();
  }
}

// The host sets GAN_STUDIO_TRAINER=1 when it forks this bundle; importing the module (tests)
// does nothing.
if (process.env.GAN_STUDIO_TRAINER === '1' && typeof process.send === 'function') {
  const port = processPort<TrainerEvent>();
  const fatal = (err: unknown) => {
    void port.send(failure(err)).finally(() => process.exit(1));
  };
  // With the host gone, writing to the closed stdout/stderr pipes must not kill the run before
  // it has saved its checkpoint.
  process.stdout.on('error', () => undefined);
  process.stderr.on('error', () => undefined);
  process.on('uncaughtException', fatal);
  process.on('unhandledRejection', fatal);
  serveTrainer(port, {
    loadRunTraining: async () => (await import('./train/run')).runTraining,
    probe: probeBackend,
    exit: (code) => process.exit(code),
  });
}

// The same bundle serves inference (GAN_STUDIO_INFER=1, its own protocol in
// shared/inferProtocol.ts): one copy of tfjs in the .vsix instead of two.
if (process.env.GAN_STUDIO_INFER === '1' && typeof process.send === 'function') {
  void import('./infer/inferChild').then((m) => m.startInferenceChild());
}
