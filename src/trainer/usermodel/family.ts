// A family whose networks come from the user's model file. Everything else (the training
// step, sampling, losses) is the built-in family's: the model file only defines networks.
//
// The contract (documented for users in the templates' README and model.ts headers):
//   export function buildGenerator(spec: ModelSpec, name: string): tf.LayersModel
//   export function buildDiscriminator(spec: ModelSpec, name: string): tf.LayersModel
// called once per network of the family (CycleGAN: twice each; `name` says which one), or
//   export function build(spec: ModelSpec): Record<networkName, tf.LayersModel>
// for full control. Networks are checked against each other before the first step.
import * as tf from '@tensorflow/tfjs';
import type { ModelFamily, ModelSpec, Networks } from '../models/family';
import * as blocks from './blocks';
import { ModelFileError, UserModule } from './load';
import { isDiscriminator, isGenerator, wiringProblems, type NetShapes, type Shape } from './shapes';

/** The bare names a model file imports, resolved to the trainer's own objects. */
export const PROVIDED_MODULES: Record<string, unknown> = { '@tensorflow/tfjs': tf, 'gan-studio': blocks };

type Builder = (spec: ModelSpec, name: string) => unknown;

function builderOf(name: string): 'buildGenerator' | 'buildDiscriminator' | undefined {
  return isGenerator(name) ? 'buildGenerator' : isDiscriminator(name) ? 'buildDiscriminator' : undefined;
}

function describe(v: unknown): string {
  if (v === undefined || v === null) return String(v);
  if (v instanceof tf.SymbolicTensor) return 'a SymbolicTensor (wrap it: tf.model({ inputs, outputs }))';
  if (typeof v === 'object') return `a ${(v as object).constructor?.name ?? 'object'}`;
  return `a ${typeof v}`;
}

const perExample = (s: tf.Shape | undefined): Shape => (s ?? []).slice(1) as Shape;
const shapesOf = (m: tf.LayersModel): NetShapes => ({
  inputs: m.inputs.map((t) => perExample(t.shape)),
  outputs: m.outputs.map((t) => perExample(t.shape)),
});

/** Checks the file's exports against what `base` needs; the error points at the file's first line. */
function checkExports(user: UserModule, base: ModelFamily): void {
  if (typeof user.exports.build === 'function') return;
  const need = [...new Set(base.networkNames.map((n) => builderOf(n) ?? 'build'))];
  const missing = need.filter((n) => typeof user.exports[n] !== 'function');
  if (missing.length) {
    const has = Object.keys(user.exports).filter((k) => k !== '__esModule');
    throw user.errorAt(
      undefined,
      `exports no ${missing.map((m) => `${m}(spec)`).join(' and ')} (a model file for "${base.kind}" exports ${need.join(' and ')}, or build(spec); it exports ${has.length ? has.join(', ') : 'nothing'})`,
    );
  }
}

function buildNetworks(
  user: UserModule,
  base: ModelFamily,
  spec: ModelSpec,
): { nets: Networks; builtBy: Record<string, string> } {
  const nets: Networks = {};
  const builtBy: Record<string, string> = {};
  const build = user.exports.build as ((spec: ModelSpec) => unknown) | undefined;
  if (typeof build === 'function') {
    const result = user.run(() => build(spec), 'build') as Record<string, unknown> | null;
    for (const name of base.networkNames) {
      const m = result?.[name];
      if (!(m instanceof tf.LayersModel))
        throw user.errorAt(
          'build',
          `build() must return { ${base.networkNames.join(', ')} } as tf.LayersModels; "${name}" is ${describe(m)}`,
        );
      nets[name] = m;
      builtBy[name] = 'build';
    }
    return { nets, builtBy };
  }
  for (const name of base.networkNames) {
    const fnName = builderOf(name) as string;
    const fn = user.exports[fnName] as Builder;
    // The spec is the trainer's: a model file that changes it must not change the run's.
    const m = user.run(() => fn(structuredClone(spec), name), fnName);
    if (!(m instanceof tf.LayersModel))
      throw user.errorAt(fnName, `${fnName}() must return a tf.LayersModel, got ${describe(m)}`);
    nets[name] = m;
    builtBy[name] = fnName;
  }
  return { nets, builtBy };
}

/** Builds the user's networks and checks their wiring; throws ModelFileError naming both shapes. */
export function buildUserNetworks(user: UserModule, base: ModelFamily, spec: ModelSpec): Networks {
  const { nets, builtBy } = buildNetworks(user, base, spec);
  try {
    const shapes = Object.fromEntries(Object.entries(nets).map(([k, m]) => [k, shapesOf(m)]));
    const problems = wiringProblems(
      base.kind,
      {
        imageSize: spec.imageSize,
        channels: spec.channels,
        numClasses: spec.numClasses,
        latentDim: spec.params.latentDim,
        scale: spec.scale,
      },
      shapes,
    );
    if (problems.length) {
      const p = problems[0];
      const more =
        problems.length > 1 ? ` (and ${problems.length - 1} more problem${problems.length > 2 ? 's' : ''})` : '';
      throw user.errorAt(builtBy[p.network], `${p.message}${more}`);
    }
    return nets;
  } catch (e) {
    for (const m of Object.values(nets)) m.dispose();
    throw e;
  }
}

/** Loads and compiles the model file now (syntax errors, missing exports); networks are built later. */
export function userModelFamily(base: ModelFamily, modelFile: string): ModelFamily & { readonly user: UserModule } {
  const user = new UserModule(modelFile, PROVIDED_MODULES);
  checkExports(user, base);
  // The built-in family stays the prototype: its step, sampling and names are used as they are.
  return Object.assign(Object.create(base) as ModelFamily, {
    user,
    build: (spec: ModelSpec) => buildUserNetworks(user, base, spec),
  });
}

/**
 * Builds once and throws away, before a run folder exists: a model-file problem then leaves
 * nothing behind. Random draws here come from the unseeded generator, so the run's own
 * (seeded) initialisation is unchanged.
 */
export function preflightUserModel(family: ModelFamily, spec: ModelSpec): void {
  if (!('user' in family)) return;
  const nets = family.build(spec);
  for (const m of Object.values(nets)) m.dispose();
}

export { ModelFileError };
