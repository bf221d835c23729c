// Community ESRGAN-family upscaling models: what the CLI, srModels.ts and the inference child use.
export { loadSrNetwork, loadTorchSrRunner, describeNetwork, TorchSrRunner, MODEL_FILE_RE } from './load';
export { importSrModel, readStoredModel, type StoredSrModel, type ImportedResult } from './store';
export type { ImportedSrModel } from '../../../shared/importedModels';
export { detectSrModel, type DetectedSr } from './detect';
