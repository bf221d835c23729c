// Saving and loading networks and optimizer state in the standard tfjs formats, through
// our own IOHandlers (tfjs's file:// handler lives in tfjs-node, which we do not use).
//   <dir>/model.json + <dir>/weights.bin      what tf.loadLayersModel expects
//   <dir>/optimizer.json + <dir>/optimizer.bin  optimizer.getWeights(), same weight-spec format
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { writeFileSynced } from './files';

export const MODEL_FILES = {
  model: 'model.json',
  weights: 'weights.bin',
  optimizer: 'optimizer.json',
  optimizerWeights: 'optimizer.bin',
} as const;

function joinWeightData(data: tf.io.WeightData | undefined): Uint8Array {
  if (!data) return new Uint8Array(0);
  return new Uint8Array(tf.io.CompositeArrayBuffer.join(data));
}

/** Writes model.json + weights.bin into dir (created if needed), each fsynced. */
export async function saveModel(model: tf.LayersModel, dir: string): Promise<void> {
  fs.mkdirSync(dir, { recursive: true });
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const modelJson = {
        format: artifacts.format ?? 'layers-model',
        generatedBy: artifacts.generatedBy,
        convertedBy: artifacts.convertedBy ?? null,
        modelTopology: artifacts.modelTopology,
        weightsManifest: [{ paths: [`./${MODEL_FILES.weights}`], weights: artifacts.weightSpecs ?? [] }],
      };
      writeFileSynced(path.join(dir, MODEL_FILES.weights), joinWeightData(artifacts.weightData));
      writeFileSynced(path.join(dir, MODEL_FILES.model), JSON.stringify(modelJson));
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
}

/** A load handler for <dir>/model.json with its weight files. */
export function modelLoadHandler(dir: string): tf.io.IOHandler {
  return {
    load: async () => {
      const file = path.join(dir, MODEL_FILES.model);
      const json = JSON.parse(fs.readFileSync(file, 'utf8')) as tf.io.ModelJSON;
      return tf.io.getModelArtifactsForJSON(json, async (manifest) => {
        const specs: tf.io.WeightsManifestEntry[] = [];
        const buffers: ArrayBuffer[] = [];
        for (const group of manifest) {
          specs.push(...group.weights);
          for (const p of group.paths) {
            const b = fs.readFileSync(path.join(dir, p));
            buffers.push(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer);
          }
        }
        return [specs, tf.io.concatenateArrayBuffers(buffers)];
      });
    },
  };
}

export async function loadModel(dir: string): Promise<tf.LayersModel> {
  return tf.loadLayersModel(modelLoadHandler(dir));
}

/**
 * A copy with the same architecture and weights, through the same serialization as a
 * checkpoint (no optimizer, no shared variables). Loading sets the weights without running
 * the initialisers, so it draws no random numbers.
 */
export async function cloneModel(model: tf.LayersModel): Promise<tf.LayersModel> {
  let copy: tf.io.ModelArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      copy = artifacts;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  const clone = await tf.loadLayersModel(tf.io.fromMemory(copy as tf.io.ModelArtifacts));
  clone.name = model.name;
  return clone;
}

/** Writes optimizer.getWeights() as optimizer.json (specs + class/config) + optimizer.bin. */
export async function saveOptimizer(opt: tf.Optimizer, dir: string): Promise<void> {
  const weights = await opt.getWeights();
  const { data, specs } = await tf.io.encodeWeights(weights);
  // getWeights() makes a fresh scalar for the iteration count (the rest are the optimizer's own variables).
  tf.dispose(weights.filter((w) => !(w.tensor instanceof tf.Variable)).map((w) => w.tensor));
  writeFileSynced(path.join(dir, MODEL_FILES.optimizerWeights), new Uint8Array(data));
  writeFileSynced(
    path.join(dir, MODEL_FILES.optimizer),
    JSON.stringify({
      className: opt.getClassName(),
      config: opt.getConfig(),
      weights: specs,
    }),
  );
}

/** Restores optimizer state saved by saveOptimizer into an optimizer of the same kind. */
export async function loadOptimizer(opt: tf.Optimizer, dir: string): Promise<void> {
  const meta = JSON.parse(fs.readFileSync(path.join(dir, MODEL_FILES.optimizer), 'utf8')) as {
    weights: tf.io.WeightsManifestEntry[];
  };
  const b = fs.readFileSync(path.join(dir, MODEL_FILES.optimizerWeights));
  const named = tf.io.decodeWeights(
    b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer,
    meta.weights,
  );
  // Order matters (Adam pairs moments with variables by position); decodeWeights keeps the specs' order.
  const list = meta.weights.map((s) => ({ name: s.name, tensor: named[s.name] }));
  await opt.setWeights(list);
  tf.dispose(list.map((w) => w.tensor));
}
