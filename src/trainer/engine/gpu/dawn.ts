// Dawn (the npm package `webgpu`: prebuilt dawn.node per platform) gives Node a WebGPU API.
// Loaded only when a GPU backend is asked for (`webgpu`, or `auto` looking for a GPU), so
// CPU users never pay for it. This file finds the adapter and says what it is; webgpu.ts
// turns it into a tfjs backend.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** What the machine's best WebGPU adapter is, or why there is none. */
export interface GpuProbe {
  ok: boolean;
  /** e.g. "NVIDIA H200 (nvidia hopper, Vulkan)" or "llvmpipe: Mesa 25.0.7 (software)". */
  name?: string;
  vendor?: string;
  architecture?: string;
  description?: string;
  /** A CPU renderer (llvmpipe, lavapipe, SwiftShader, WARP): correct but slower than `native`. */
  software?: boolean;
  /** Why no adapter can be used, said so that a user knows what to do. */
  reason?: string;
}

/** The parts of the WebGPU API this project uses, typed loosely: dawn.node's globals. */
export interface Dawn {
  gpu: GpuLike;
  globals: Record<string, unknown>;
}
export interface GpuLike {
  requestAdapter(opts?: { powerPreference?: 'high-performance' | 'low-power' }): Promise<AdapterLike | null>;
}
export interface AdapterLike {
  info?: { vendor?: string; architecture?: string; device?: string; description?: string; isFallbackAdapter?: boolean };
  isFallbackAdapter?: boolean;
  features: { has(name: string): boolean };
  limits: Record<string, number>;
  requestDevice(desc?: object): Promise<unknown>;
}

const SOFTWARE = /llvmpipe|lavapipe|swiftshader|software|microsoft basic render|warp/i;

let loaded: Promise<Dawn> | undefined;

/** Loads dawn.node once per process. Throws with the loader's own first line on failure. */
export function loadDawn(): Promise<Dawn> {
  loaded ??= (async () => {
    // Test-only fault injection: dawn.node refused by an older C library than it was built for.
    if (process.env.GAN_TEST_INJECT_GPU === 'noload')
      throw new Error("/lib/x86_64-linux-gnu/libc.so.6: version `GLIBC_2.99' not found (required by dawn.node)");
    // A real dynamic import: the package is ESM-only and stays outside the bundle.
    const mod = (await import('webgpu')) as unknown as {
      create(flags: string[]): GpuLike;
      globals: Record<string, unknown>;
    };
    return { gpu: mod.create([]), globals: mod.globals };
  })();
  return loaded;
}

/** One line from whatever dawn.node threw while loading (old glibc, missing Vulkan loader...). */
export function dawnLoadError(e: unknown): string {
  const first = (e instanceof Error ? e.message : String(e)).split('\n')[0];
  if (/GLIBC|GLIBCXX/.test(first)) return `dawn.node needs a newer C library than this system has (${first})`;
  if (/libvulkan/i.test(first))
    return "the Vulkan loader (libvulkan.so.1) is missing: install your GPU driver's Vulkan support (Debian/Ubuntu: libvulkan1 and mesa-vulkan-drivers or the vendor driver)";
  if (/Cannot find (module|package)/.test(first)) return 'the webgpu package is not installed next to the bundle';
  return `dawn.node could not load (${first})`;
}

export function describeAdapter(adapter: AdapterLike): Required<Pick<GpuProbe, 'name' | 'software'>> & GpuProbe {
  const i = adapter.info ?? {};
  const vendor = i.vendor || undefined;
  const architecture = i.architecture || undefined;
  const description = i.description || i.device || undefined;
  const software = !!(
    adapter.isFallbackAdapter ||
    i.isFallbackAdapter ||
    architecture === 'software' ||
    SOFTWARE.test(`${description ?? ''} ${i.device ?? ''}`)
  );
  const what = [vendor, architecture].filter(Boolean).join(' ');
  const name = `${description ?? (what || 'unnamed adapter')}${what && description ? ` (${what})` : ''}${software ? ' [software renderer]' : ''}`;
  return { ok: true, name, vendor, architecture, description, software };
}

/**
 * probeGpu() in a separate process (dist/gpuProbe.js next to this bundle), for `auto`: this
 * process loads nothing, and Dawn's driver chatter on stderr is dropped. Falls back to an
 * in-process probe where the probe script is absent (bundles under test).
 */
export async function probeGpuIsolated(): Promise<GpuProbe> {
  const script = path.join(__dirname, 'gpuProbe.js');
  if (!fs.existsSync(script)) return probeGpu();
  const r = spawnSync(process.execPath, [script], { encoding: 'utf8', timeout: PROBE_TIMEOUT_MS, env: process.env });
  try {
    const probe = JSON.parse(r.stdout.trim().split('\n').at(-1) ?? '') as GpuProbe;
    if (typeof probe.ok === 'boolean') return probe;
  } catch {
    // below
  }
  const why = r.error ? r.error.message : r.signal ? `ended by ${r.signal}` : `exit code ${r.status}`;
  return {
    ok: false,
    reason: `the GPU probe failed (${why}): the GPU driver may be broken; --backend webgpu shows its error`,
  };
}

/** Enumerating drivers takes well under a second; a hung driver must not hang training. */
const PROBE_TIMEOUT_MS = 20_000;

/** The high-performance adapter, described; never throws. */
export async function probeGpu(): Promise<GpuProbe & { adapter?: AdapterLike }> {
  let dawn: Dawn;
  try {
    dawn = await loadDawn();
  } catch (e) {
    return { ok: false, reason: dawnLoadError(e) };
  }
  try {
    const adapter = await dawn.gpu.requestAdapter({ powerPreference: 'high-performance' });
    if (!adapter) {
      return {
        ok: false,
        reason: 'no WebGPU adapter: no GPU with a Vulkan (Linux), D3D12 (Windows) or Metal (macOS) driver was found',
      };
    }
    return { ...describeAdapter(adapter), adapter };
  } catch (e) {
    return { ok: false, reason: `the GPU adapter could not be queried (${(e as Error).message.split('\n')[0]})` };
  }
}
