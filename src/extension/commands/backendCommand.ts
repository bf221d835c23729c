// "Select Compute Backend": lists auto / webgpu / native / wasm / cpu / tfjs-node, probes each
// one in a short-lived trainer process (does it load here, on which GPU, how fast is a DCGAN
// step; what `auto` would pick and why) and shows the speed the runs on disk measured. The pick
// becomes the default for new runs.
import * as vscode from 'vscode';
import { BACKEND_NAMES, type BackendName } from '../../shared/backends';
import type { ProbeResult } from '../../shared/trainerProtocol';
import * as settings from '../settings';
import type { RunsTreeProvider } from '../runIndex/runsTree';
import { TrainerProcess } from '../trainer/trainerProcess';
import { formatRate } from '../trainer/progressMath';
import { probeSummary } from './probeSummary';

const ABOUT: Record<BackendName, string> = {
  auto: 'a hardware GPU if there is one, else native',
  webgpu: 'the GPU through WebGPU (Vulkan, D3D12 or Metal); software renderers are slow',
  native: 'tfjs with onnxruntime kernels: the fast one',
  wasm: 'tfjs WebAssembly: portable fallback',
  cpu: 'pure JavaScript: slow, the reference',
  'tfjs-node': 'libtensorflow, only when installed separately',
};

type Item = vscode.QuickPickItem & { backend: BackendName };

export class BackendPicker {
  /** Probes are cached for the session: the machine does not change while VS Code runs. */
  private readonly cache = new Map<BackendName, ProbeResult>();

  constructor(
    private readonly script: string,
    private readonly runs: RunsTreeProvider,
  ) {}

  private async probe(backend: BackendName): Promise<ProbeResult> {
    const hit = this.cache.get(backend);
    if (hit) return hit;
    const proc = new TrainerProcess({
      script: this.script,
      env: { GAN_STUDIO_TRAINER: '1' },
      execPath: settings.trainerNodePath(),
    });
    let result: ProbeResult;
    try {
      await proc.spawn();
      result = (await proc.request({ type: 'probe', backend }, 120_000)).probe ?? {
        backend,
        ok: false,
        error: 'no answer',
      };
    } catch (err) {
      result = { backend, ok: false, error: err instanceof Error ? err.message : String(err) };
    } finally {
      proc.dispose();
    }
    this.cache.set(backend, result);
    return result;
  }

  /** The speed the newest run on each backend measured (from metrics.jsonl). */
  private measured(): Map<string, string> {
    const out = new Map<string, string>();
    for (const r of this.runs.list()) {
      if (r.backend && r.msPerStep && !out.has(r.backend))
        out.set(r.backend, `${formatRate(1000 / r.msPerStep)} in ${r.name}`);
    }
    return out;
  }

  async pick(): Promise<void> {
    const current = settings.defaultBackend();
    const measured = this.measured();
    const qp = vscode.window.createQuickPick<Item>();
    qp.title = 'Select Compute Backend';
    qp.placeholder = 'Default backend for new training runs (probing what loads on this machine…)';
    qp.busy = true;
    const details = new Map<BackendName, string>();
    const render = () => {
      const best = Math.min(
        ...[...this.cache.values()].filter((p) => p.ok && p.msPerStep).map((p) => p.msPerStep as number),
      );
      qp.items = BACKEND_NAMES.map((b) => ({
        backend: b,
        label: b,
        description: `${ABOUT[b]}${b === current ? ' · current' : ''}`,
        detail:
          [details.get(b) ?? 'probing…', measured.has(b) ? `last run: ${measured.get(b)}` : '']
            .filter(Boolean)
            .join(' · ') + (this.cache.get(b)?.msPerStep === best ? ' · fastest here' : ''),
      }));
      qp.activeItems = qp.items.filter((i) => i.backend === current);
    };
    render();
    let closed = false;
    const done = new Promise<Item | undefined>((resolve) => {
      qp.onDidAccept(() => resolve(qp.selectedItems[0]));
      qp.onDidHide(() => {
        closed = true;
        resolve(undefined);
      });
    });
    qp.show();
    void (async () => {
      // One at a time: each probe loads tfjs and spins the CPU.
      // The pure-JS backend is slow to probe: last.
      for (const b of [...BACKEND_NAMES].sort((x, y) => Number(x === 'cpu') - Number(y === 'cpu'))) {
        if (closed) break;
        await this.probe(b);
        // `auto` borrows the speed of the backend it would use: say it again as each one lands.
        for (const [name, p] of this.cache) details.set(name, probeSummary(p, this.cache));
        if (!closed) render();
      }
      qp.busy = false;
      qp.placeholder = 'Default backend for new training runs (speeds: one DCGAN training step, batch 16)';
    })();
    const choice = await done;
    qp.dispose();
    if (!choice) return;
    const probe = this.cache.get(choice.backend);
    if (probe && !probe.ok) {
      const go = await vscode.window.showWarningMessage(
        `"${choice.backend}" did not load on this machine (${probe.error}). Runs would fall back to another backend. Use it anyway?`,
        'Use Anyway',
      );
      if (!go) return;
    } else if (probe?.backend === 'webgpu' && probe.software) {
      const go = await vscode.window.showWarningMessage(
        `The only GPU here is a software renderer (${probe.device}): "webgpu" would train correctly but slower than "native". Use it anyway?`,
        'Use Anyway',
      );
      if (!go) return;
    }
    await settings.setDefaultBackend(choice.backend);
    void vscode.window.showInformationMessage(`New training runs will use the "${choice.backend}" backend.`);
  }
}
