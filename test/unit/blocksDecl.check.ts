// Compile-time only (npx tsc -p .): the declarations a scaffolded project gets in
// types/gan-studio.d.ts must describe exactly the module the trainer provides as "gan-studio".
// Assignability both ways catches a missing, extra or differently typed export.
import type * as real from '../../src/trainer/usermodel/blocks';
import type * as decl from '../../templates/_project/types/gan-studio';

const as = <T>(): T => null as unknown as T;
export const declHasReal: typeof decl = as<typeof real>();
export const realHasDecl: typeof real = as<typeof decl>();
export const norm: [decl.Norm, real.Norm] = [as<real.Norm>(), as<decl.Norm>()];
export const act: [decl.Activation, real.Activation] = [as<real.Activation>(), as<decl.Activation>()];
export const block: [decl.BlockOptions, real.BlockOptions] = [as<real.BlockOptions>(), as<decl.BlockOptions>()];
export const conv: [decl.ConvOptions, real.ConvOptions] = [as<real.ConvOptions>(), as<decl.ConvOptions>()];
// The template's ParamsConfig is filled from the schema when a project is written.
export const spec: decl.ModelSpec = as<real.ModelSpec>();
