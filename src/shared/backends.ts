/**
 * Compute backends by name (DESIGN.md "Compute"). `auto` picks a hardware GPU (`webgpu`), else
 * `native` (tfjs-wasm with its heavy kernels on onnxruntime), else `wasm`; the others are
 * asked for by name. A run records the backend it really used, never `auto`.
 */
export const BACKEND_NAMES = ['auto', 'webgpu', 'native', 'wasm', 'cpu', 'tfjs-node'] as const;
export type BackendName = (typeof BACKEND_NAMES)[number];
/** A backend that actually runs (what `auto` resolved to). */
export type ActiveBackend = Exclude<BackendName, 'auto'>;
export const DEFAULT_BACKEND: BackendName = 'auto';
export function isBackendName(s: unknown): s is BackendName {
  return typeof s === 'string' && (BACKEND_NAMES as readonly string[]).includes(s);
}
