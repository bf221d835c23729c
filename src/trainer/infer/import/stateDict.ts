// Reads the weights of community PyTorch models (.pth zip files and .safetensors) into plain
// float32 arrays, without running anything the file contains.
import { InputError } from '../../train/errors';

/** One tensor of a state dict; data is always float32 and C-contiguous. */
export interface StateTensor {
  shape: number[];
  dtype: 'float32' | 'float16' | 'bfloat16';
  data: Float32Array;
}
export type StateDict = Map<string, StateTensor>;

/** Reads a .pth/.pt (PyTorch zip) or .safetensors file, sniffed from its content. Throws InputError with one line. */
export function readStateDict(file: string): StateDict {
  throw new InputError(`${file}: reading PyTorch state dicts is not implemented yet`);
}
