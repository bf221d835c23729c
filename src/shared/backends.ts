/** Compute backends by name (DESIGN.md "Compute"). `native` = tfjs-wasm with its heavy kernels on onnxruntime. */
export const BACKEND_NAMES = ['native', 'wasm', 'cpu', 'tfjs-node'] as const;
export type BackendName = (typeof BACKEND_NAMES)[number];
export const DEFAULT_BACKEND: BackendName = 'native';
export function isBackendName(s: unknown): s is BackendName {
  return typeof s === 'string' && (BACKEND_NAMES as readonly string[]).includes(s);
}
