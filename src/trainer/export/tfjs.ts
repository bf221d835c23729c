// The TensorFlow.js layers-model format for a web page: <out>/model.json + weights.bin (what
// tf.loadLayersModel fetches) and, when the network uses GAN Studio's own layer classes,
// <out>/gan-studio-layers.js, a script that registers inference-only versions of them with the
// page's tf (load it after tfjs and before the model).
import * as fs from 'node:fs';
import * as path from 'node:path';
import type * as tf from '@tensorflow/tfjs';
import { writeFileSynced } from '../engine/files';
import { saveModel } from '../engine/modelIO';

/** Our custom layer classes: a page must register these to load a model that uses them. */
export const CUSTOM_LAYER_CLASSES = [
  'InstanceNormalization',
  'ReflectionPadding2D',
  'PixelShuffle',
  'AlwaysDropout',
] as const;

export const LAYERS_SCRIPT = 'gan-studio-layers.js';

/** The custom classes a model's layers use. */
export function customClassesOf(model: tf.LayersModel): string[] {
  const used = new Set(model.layers.map((l) => l.getClassName()));
  return CUSTOM_LAYER_CLASSES.filter((c) => used.has(c));
}

export interface TfjsExport {
  files: string[];
  customClasses: string[];
}

/** Writes the model into the folder `out` (created; must be empty or absent, or hold a previous export). */
export async function writeTfjs(model: tf.LayersModel, out: string): Promise<TfjsExport> {
  await saveModel(model, out);
  const files = [path.join(out, 'model.json'), path.join(out, 'weights.bin')];
  const customClasses = customClassesOf(model);
  const script = path.join(out, LAYERS_SCRIPT);
  if (customClasses.length) {
    writeFileSynced(script, LAYERS_SOURCE);
    files.push(script);
  } else if (fs.existsSync(script)) {
    fs.rmSync(script);
  }
  return { files, customClasses };
}

/**
 * The registration script. Plain JavaScript for a browser (<script> after tfjs: uses the
 * global tf) or Node (require('./gan-studio-layers.js')(tf)). Inference only: no gradients.
 */
export const LAYERS_SOURCE = `// GAN Studio's custom layers, for tf.loadLayersModel (inference only). Written by \`gan export\`.
// Browser: <script src="gan-studio-layers.js"></script> after TensorFlow.js, before loading.
// Node: require('./gan-studio-layers.js')(tf).
(function (root) {
  function register(tf) {
    var Layer = tf.layers.Layer;
    function first(inputs) { return Array.isArray(inputs) ? inputs[0] : inputs; }

    // Each image and channel normalised over its own height x width (Ulyanov et al. 2016).
    class InstanceNormalization extends Layer {
      constructor(args) {
        super(args || {});
        this.epsilon = args && args.epsilon !== undefined ? args.epsilon : 1e-5;
        this.affine = !!(args && args.affine);
      }
      build(inputShape) {
        var c = inputShape[inputShape.length - 1];
        if (this.affine) {
          this.gamma = this.addWeight('gamma', [c], 'float32', tf.initializers.ones());
          this.beta = this.addWeight('beta', [c], 'float32', tf.initializers.zeros());
        }
        this.built = true;
      }
      call(inputs) {
        var self = this;
        return tf.tidy(function () {
          var x = first(inputs);
          var m = tf.moments(x, [1, 2], true);
          var y = tf.div(tf.sub(x, m.mean), tf.sqrt(tf.add(m.variance, self.epsilon)));
          return self.affine ? tf.add(tf.mul(y, self.gamma.read()), self.beta.read()) : y;
        });
      }
      getConfig() { return Object.assign({}, super.getConfig(), { epsilon: this.epsilon, affine: this.affine }); }
    }
    InstanceNormalization.className = 'InstanceNormalization';

    // Mirror padding of height and width, the edge not repeated.
    class ReflectionPadding2D extends Layer {
      constructor(args) {
        super(args);
        this.padding = typeof args.padding === 'number' ? [args.padding, args.padding] : args.padding;
      }
      computeOutputShape(s) {
        var p = this.padding;
        return [s[0], s[1] === null ? null : s[1] + 2 * p[0], s[2] === null ? null : s[2] + 2 * p[1], s[3]];
      }
      call(inputs) {
        var p = this.padding;
        return tf.mirrorPad(first(inputs), [[0, 0], [p[0], p[0]], [p[1], p[1]], [0, 0]], 'reflect');
      }
      getConfig() { return Object.assign({}, super.getConfig(), { padding: this.padding }); }
    }
    ReflectionPadding2D.className = 'ReflectionPadding2D';

    // Sub-pixel upsampling: TensorFlow's depth_to_space.
    class PixelShuffle extends Layer {
      constructor(args) { super(args); this.scale = args.scale; }
      computeOutputShape(s) {
        var r = this.scale;
        return [s[0], s[1] === null ? null : s[1] * r, s[2] === null ? null : s[2] * r, s[3] === null ? null : s[3] / (r * r)];
      }
      call(inputs) { return tf.depthToSpace(first(inputs), this.scale, 'NHWC'); }
      getConfig() { return Object.assign({}, super.getConfig(), { scale: this.scale }); }
    }
    PixelShuffle.className = 'PixelShuffle';

    // pix2pix's dropout, on at inference too: it is the generator's noise.
    class AlwaysDropout extends Layer {
      constructor(args) { super(args); this.rate = args.rate; }
      call(inputs) { var x = first(inputs); return this.rate > 0 ? tf.dropout(x, this.rate) : x; }
      getConfig() { return Object.assign({}, super.getConfig(), { rate: this.rate }); }
    }
    AlwaysDropout.className = 'AlwaysDropout';

    [InstanceNormalization, ReflectionPadding2D, PixelShuffle, AlwaysDropout].forEach(function (c) { tf.serialization.registerClass(c); });
  }
  if (typeof module === 'object' && module.exports) module.exports = register;
  else register(root.tf);
})(typeof globalThis !== 'undefined' ? globalThis : this);
`;
