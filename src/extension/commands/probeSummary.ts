// What "Select Compute Backend" says about one backend after probing it: the GPU's name or why
// there is none, how fast a DCGAN step is, what `auto` would use and why. No `vscode` import:
// unit-tested as plain text.
import type { BackendName } from '../../shared/backends';
import { formatRate } from '../../shared/format';
import type { ProbeResult } from '../../shared/trainerProtocol';

const rate = (msPerStep: number | undefined) =>
  msPerStep !== undefined && msPerStep > 0 ? formatRate(1000 / msPerStep) : undefined;

/**
 * One line, after the backend's name: "NVIDIA H200 (nvidia hopper), 12.3 steps/s",
 * "not usable: no WebGPU adapter: …", "llvmpipe … [software renderer]: slower than native",
 * "would use native: no hardware GPU (…)". `probes` are the other backends' results so far:
 * `auto` borrows the speed of the backend it would use.
 */
export function probeSummary(p: ProbeResult, probes: ReadonlyMap<BackendName, ProbeResult> = new Map()): string {
  const speed = rate(p.msPerStep);
  if (p.backend === 'auto') {
    if (!p.ok || !p.active) return `not usable: ${p.error ?? 'no backend loads'}`;
    const what = p.active === 'webgpu' && p.device ? `webgpu on ${p.device}` : p.active;
    const borrowed = rate(probes.get(p.active)?.msPerStep);
    return `would use ${what}${p.reason ? `: ${p.reason}` : ''}${borrowed ? `, ${borrowed}` : ''}${p.error ? ` (${p.error})` : ''}`;
  }
  if (!p.ok) return `not usable${p.device ? ` on ${p.device}` : ''}: ${p.error ?? 'failed to load'}`;
  const device = p.device && `${p.device}${p.software ? ': slower than native' : ''}`;
  // A software renderer's note ("not timed") only repeats what its name says.
  return [device ?? (speed ? undefined : 'loads'), speed ?? (p.software ? undefined : p.error)]
    .filter(Boolean)
    .join(', ');
}
