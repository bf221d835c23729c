// Float32 views of tensors in tfjs-wasm's heap, for the kernels that read and write it directly
// (the onnxruntime kernels, Adam's one-pass update, the reflection-pad gradient).
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

/**
 * A tensor's float32 memory in the wasm heap. Take views after any allocation, and use them
 * before the next: growing the heap replaces its buffer.
 */
export function heapF32(backend: BackendWasm, t: { dataId: object; shape: readonly number[] }): Float32Array {
  const offset = backend.dataIdMap.get(t.dataId)!.memoryOffset;
  // HEAPU8 is on the Emscripten module but missing from tfjs's type declarations.
  const heap = (backend.wasm as unknown as { HEAPU8: Uint8Array }).HEAPU8;
  return new Float32Array(
    heap.buffer,
    offset,
    t.shape.reduce((a, b) => a * b, 1),
  );
}
