// CycleGAN (Zhu et al. 2017): generators G: A -> B ("generatorAB") and F: B -> A
// ("generatorBA"), ResNet-style; discriminators D_B (judges B images: real ones against G(a))
// and D_A (real A against F(b)), 70x70 PatchGANs with instance norm. LSGAN losses,
// cycle-consistency lambdaCycle = 10 each way, identity 0.5 * lambdaCycle, and the
// discriminators see fakes from a 50-image history pool. The learning-rate schedule
// (constant, then linear decay) is applied by the training loop from params.decayFrom.
//
// Reported: gLoss = both adversarial terms, cycleLoss = mean round-trip L1 of the two
// directions (unweighted, in [-1, 1] pixel units), idtLoss likewise, dLoss = D_A + D_B;
// dReal / dFake are the mean raw D outputs on real and pooled fake images (LSGAN targets 1, 0).
import * as tf from '@tensorflow/tfjs';
import type { Batch } from '../../data';
import { readScalars, takeScalars } from '../../engine/read';
import type { Rng } from '../../engine/rng';
import { ImagePool } from '../../train/imagePool';
import { trainableVariables } from '../../train/nsgan';
import { inputOfKind, type ExampleImages, type GeneratorInput, type ModelFamily, type ModelSpec, type Networks, type SampleRequest, type StepContext, type StepResult } from '../family';
import { exampleInputs, gridRows, resolveNorm, runGenerator } from '../common/imageToImage';
import { cycleDirection, identityTerms, l1, lsganDLoss } from '../common/translationLosses';
import { gradsOfSum } from '../../train/gradsOfSum';
import { buildPatchGan } from '../blocks/patchGan';
import { buildResnetGenerator } from './resnetGenerator';
import { cycleganInfo } from './info';

export function buildCycleGan(spec: ModelSpec): Networks {
  const norm = resolveNorm(spec, 'instance');
  const { ngf, ndf, residualBlocks: blocks } = spec.params;
  const g = (name: string) => buildResnetGenerator({ imageSize: spec.imageSize, channels: spec.channels, ngf, blocks, norm, name });
  const d = () => buildPatchGan({ imageSize: spec.imageSize, channels: spec.channels, conditionChannels: 0, ndf, norm });
  return { generatorAB: g('generator_ab'), generatorBA: g('generator_ba'), discriminatorA: d(), discriminatorB: d() };
}

/** The pools of a run, by its networks object (one per run; dropped with it). */
const pools = new WeakMap<Networks, { a: ImagePool; b: ImagePool }>();
function poolsOf(nets: Networks, size: number) {
  let p = pools.get(nets);
  if (!p) pools.set(nets, (p = { a: new ImagePool(size), b: new ImagePool(size) }));
  return p;
}

type Run = (m: tf.LayersModel, x: tf.Tensor) => tf.Tensor;

/**
 * The generator loss as three terms that share no forward pass (direction A -> B -> A, direction
 * B -> A -> B, the identities), each a closure for its own tape: see gradsOfSum. `report` gets
 * each term's scalars to keep (adversarial, cycle; or identity A, identity B), `keepFake` G(a) as
 * 'B' and F(b) as 'A' while their tape is open (the tape's end frees what isn't kept).
 */
export function generatorTerms(
  ctx: StepContext, run: Run, a: tf.Tensor4D, b: tf.Tensor4D,
  report: (...t: tf.Scalar[]) => void, keepFake: (domain: 'A' | 'B', fake: tf.Tensor4D) => void,
): (() => tf.Scalar)[] {
  const { generatorAB: G, generatorBA: F, discriminatorA: DA, discriminatorB: DB } = ctx.nets;
  const { lambdaCycle, lambdaIdentity } = ctx.spec.params;
  // real -> there -> fake -> back, with `judge` scoring the fake (G, F, D_B for A; F, G, D_A for B).
  const direction = (real: tf.Tensor4D, there: tf.LayersModel, back: tf.LayersModel, judge: tf.LayersModel, fakeDomain: 'A' | 'B') => () => {
    const fake = run(there, real) as tf.Tensor4D;
    keepFake(fakeDomain, fake);
    const t = cycleDirection(run(judge, fake), run(back, fake), real, lambdaCycle);
    report(t.adv, t.cycle);
    return t.total;
  };
  const terms = [direction(a, G, F, DB, 'B'), direction(b, F, G, DA, 'A')];
  if (lambdaIdentity > 0)
    terms.push(() => {
      const t = identityTerms(run(F, a), a, run(G, b), b, lambdaIdentity * lambdaCycle);
      report(t.idtA, t.idtB);
      return t.total;
    });
  return terms;
}

export async function cycleGanStep(ctx: StepContext, a: tf.Tensor4D, b: tf.Tensor4D, rng: Rng): Promise<StepResult> {
  const { generatorAB: G, generatorBA: F, discriminatorA: DA, discriminatorB: DB } = ctx.nets;
  const { poolSize } = ctx.spec.params;
  const run = (m: tf.LayersModel, x: tf.Tensor) => m.apply(x, { training: true }) as tf.Tensor;
  // Scalars to report, kept out of the tidies and read together at the end: G's [advAB, cycleA,
  // advBA, cycleB, (idtA, idtB)], then D's [mean D_A(real), mean D_B(real), mean D_A(fake),
  // mean D_B(fake), loss D_A, loss D_B].
  const gOut: tf.Tensor[] = [], dOut: tf.Tensor[] = [];
  // The fakes leave G's tapes kept: on the later tapes of D's update they are constants.
  let fakeB: tf.Tensor4D | undefined, fakeA: tf.Tensor4D | undefined;
  let poolB: tf.Tensor4D | undefined, poolA: tf.Tensor4D | undefined;
  try {
    tf.tidy(() => {
      const terms = generatorTerms(
        ctx, run, a, b,
        (...t) => gOut.push(...t.map((x) => tf.keep(x))),
        (domain, fake) => {
          if (domain === 'B') fakeB = tf.keep(fake);
          else fakeA = tf.keep(fake);
        },
      );
      const gGrads = gradsOfSum(terms, [...trainableVariables(G), ...trainableVariables(F)]);
      ctx.optimizers.generatorAB.applyGradients(Object.fromEntries(trainableVariables(G).map((v) => [v.name, gGrads[v.name]])));
      ctx.optimizers.generatorBA.applyGradients(Object.fromEntries(trainableVariables(F).map((v) => [v.name, gGrads[v.name]])));
    });

    // The pools hold plain floats: B's first, then A's (the order the rng is drawn in).
    const p = poolsOf(ctx.nets, poolSize);
    poolB = await p.b.query(fakeB as tf.Tensor4D, rng);
    poolA = await p.a.query(fakeA as tf.Tensor4D, rng);
    const fromPoolB = poolB, fromPoolA = poolA;
    tf.tidy(() => {
      const { grads: dGrads } = tf.variableGrads(() => {
        const rB = run(DB, b), fB = run(DB, fromPoolB), rA = run(DA, a), fA = run(DA, fromPoolA);
        const lossA = lsganDLoss(rA, fA), lossB = lsganDLoss(rB, fB);
        for (const t of [tf.mean(rA), tf.mean(rB), tf.mean(fA), tf.mean(fB), lossA, lossB]) dOut.push(tf.keep(t));
        return tf.add(lossA, lossB) as tf.Scalar;
      }, [...trainableVariables(DA), ...trainableVariables(DB)]);
      ctx.optimizers.discriminatorA.applyGradients(Object.fromEntries(trainableVariables(DA).map((v) => [v.name, dGrads[v.name]])));
      ctx.optimizers.discriminatorB.applyGradients(Object.fromEntries(trainableVariables(DB).map((v) => [v.name, dGrads[v.name]])));
    });

    const v = await readScalars([...gOut, ...dOut]);
    const [advAB, cycleA, advBA, cycleB] = v;
    const out: Record<string, number> = { gLoss: advAB + advBA, cycleLoss: (cycleA + cycleB) / 2 };
    if (gOut.length === 6) out.idtLoss = (v[4] + v[5]) / 2;
    const [rA, rB, fA, fB, lossA, lossB] = v.slice(gOut.length);
    out.dLoss = lossA + lossB;
    return { losses: out, dReal: (rA + rB) / 2, dFake: (fA + fB) / 2 };
  } finally {
    tf.dispose([...gOut, ...dOut, ...[fakeA, fakeB, poolA, poolB].filter((t): t is tf.Tensor4D => !!t)]);
  }
}

export const cyclegan: ModelFamily = {
  kind: 'cyclegan',
  info: cycleganInfo,
  networkNames: ['generatorAB', 'generatorBA', 'discriminatorA', 'discriminatorB'],
  lossNames: ['gLoss', 'cycleLoss', 'idtLoss', 'dLoss'],

  build: buildCycleGan,

  async trainStep(ctx: StepContext, batch: Batch): Promise<StepResult> {
    if (!batch.targets) throw new Error('cyclegan needs batches of A and B images');
    return cycleGanStep(ctx, batch.images, batch.targets, ctx.rng);
  },

  // Rows of A -> G(A) -> F(G(A)) | B -> F(B) -> G(F(B)): both cycles at work.
  sampleGrid: () => ({ request: { count: 4 }, cols: 6 }),

  sampleInputs: (_spec: ModelSpec, _rng, req: SampleRequest): GeneratorInput => exampleInputs('cyclegan', req),

  generate(nets: Networks, input: GeneratorInput): tf.Tensor4D {
    const { a, b } = inputOfKind(input, 'translate', 'cyclegan');
    // The grid shows both cycles, so it needs images of both domains.
    if (!b) throw new Error('cyclegan samples need B images as well as A');
    return tf.tidy(() => {
      const G = (x: tf.Tensor4D) => runGenerator(nets.generatorAB, x, false);
      const F = (x: tf.Tensor4D) => runGenerator(nets.generatorBA, x, false);
      const fakeB = G(a), fakeA = F(b);
      return gridRows([a, fakeB, F(fakeB), b, fakeA, G(fakeA)]);
    });
  },

  async evaluate(nets: Networks, held: ExampleImages): Promise<Record<string, number>> {
    const [ca, cb] = await takeScalars(tf.tidy(() => {
      const G = (x: tf.Tensor4D) => runGenerator(nets.generatorAB, x, false);
      const F = (x: tf.Tensor4D) => runGenerator(nets.generatorBA, x, false);
      return [l1(F(G(held.images)), held.images), l1(G(F(held.targets)), held.targets)];
    }));
    return { valCycle: (ca + cb) / 2 };
  },
};
