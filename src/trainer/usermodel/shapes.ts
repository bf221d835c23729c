// Shape checks between the networks of a user's model file, done on the built models'
// symbolic shapes before the first step: a generator whose output does not fit its
// discriminator would otherwise fail deep inside tfjs with a message about some layer.
// Pure (shapes in, problems out) so every family's wiring is unit-testable without tfjs.
import type { ModelKind } from '../../shared/config';
import { FAMILY_INFOS } from '../models/infos';

/** Per-example shapes (batch dimension removed); null = any size. */
export type Shape = (number | null)[];
export interface NetShapes {
  inputs: Shape[];
  outputs: Shape[];
}

export interface WiringSpec {
  imageSize: number;
  channels: number;
  numClasses: number;
  latentDim: number;
  scale?: number;
}

export interface WiringProblem {
  /** The network the problem is reported on (its builder's declaration is where it points). */
  network: string;
  message: string;
}

export const fmt = (s: Shape | undefined): string =>
  s ? `[${s.map((d) => (d === null ? '?' : d)).join(', ')}]` : 'nothing';

/** Same rank and every known dimension equal. */
export function fits(a: Shape | undefined, b: Shape | undefined): boolean {
  return !!a && !!b && a.length === b.length && a.every((d, i) => d === null || b[i] === null || d === b[i]);
}

export const isGenerator = (name: string) => /^g/i.test(name);
export const isDiscriminator = (name: string) => /^d/i.test(name);

/** The discriminator a generator feeds: the only one, or the one named after G's target domain (generatorAB -> discriminatorB). */
export function pairOf(g: string, discriminators: string[]): string | undefined {
  if (discriminators.length === 1) return discriminators[0];
  const target = g.at(-1)?.toUpperCase();
  return discriminators.find((d) => d.at(-1)?.toUpperCase() === target);
}

function channelsText(c: number): string {
  return `${c} channel${c === 1 ? '' : 's'}`;
}

export function wiringProblems(kind: ModelKind, spec: WiringSpec, nets: Record<string, NetShapes>): WiringProblem[] {
  const out: WiringProblem[] = [];
  const s = spec.imageSize;
  const family = FAMILY_INFOS[kind];
  const wiring = family.wiring ?? {};
  const c = wiring.alwaysRgb ? 3 : spec.channels;
  const image: Shape = [s, s, c];
  const names = Object.keys(nets);
  const gens = names.filter(isGenerator);
  const discs = names.filter(isDiscriminator);
  const latent = family.latent;

  for (const g of gens) {
    const G = nets[g];
    const gOut = G.outputs[0];
    if (latent) {
      if (!fits(G.inputs[0], [spec.latentDim]))
        out.push({
          network: g,
          message: `the ${g}'s input is ${fmt(G.inputs[0])}, but the noise it gets is [${spec.latentDim}] (params.latentDim)`,
        });
      if (family.conditional && !fits(G.inputs[1], [spec.numClasses])) {
        out.push({
          network: g,
          message: `the ${g}'s second input must be the one-hot label [${spec.numClasses}], got ${fmt(G.inputs[1])}`,
        });
      }
    } else if (family.superResolution) {
      const lr = G.inputs[0];
      if (!lr || lr.length !== 3 || lr[2] !== 3)
        out.push({
          network: g,
          message: `the ${g}'s input must be a low-resolution RGB image [?, ?, 3], got ${fmt(lr)}`,
        });
      const [ih, iw] = lr ?? [],
        [oh, ow] = gOut ?? [];
      if (spec.scale && ih != null && oh != null && (oh !== ih * spec.scale || ow !== (iw ?? 0) * spec.scale)) {
        out.push({
          network: g,
          message: `the ${g} must upscale by ${spec.scale} (dataset.scale): input ${fmt(lr)}, output ${fmt(gOut)}`,
        });
        continue;
      }
    } else if (!fits(G.inputs[0], image)) {
      out.push({
        network: g,
        message: `the ${g}'s input ${fmt(G.inputs[0])} does not fit the training images ${fmt(image)} (imageSize ${s}, ${channelsText(c)})`,
      });
    }

    const dName = pairOf(g, discs);
    const D = dName ? nets[dName] : undefined;
    if (D && dName) {
      // A pair D (pix2pix's) judges (input, output) pairs: one input with both concatenated on channels, or two inputs.
      const pairInput =
        wiring.pairDiscriminator && D.inputs.length === 1 && gOut && G.inputs[0]
          ? [...gOut.slice(0, -1), sumChannels(G.inputs[0], gOut)]
          : undefined;
      const dIn = wiring.pairDiscriminator && D.inputs.length >= 2 ? D.inputs[1] : D.inputs[0];
      const want = pairInput ?? gOut;
      if (!fits(want, dIn)) {
        const what = pairInput
          ? `the (input, output) pair ${fmt(pairInput)} (concatenated on channels)`
          : `the ${g}'s output ${fmt(gOut)}`;
        out.push({ network: g, message: `${what} does not fit the ${dName}'s input ${fmt(dIn)}` });
        continue;
      }
      if (family.conditional && !fits(D.inputs[1], [spec.numClasses])) {
        out.push({
          network: dName,
          message: `the ${dName}'s second input must be the one-hot label [${spec.numClasses}], got ${fmt(D.inputs[1])}`,
        });
      }
    }
    const wantOut: Shape = family.superResolution ? [null, null, 3] : image;
    if (!fits(gOut, wantOut)) {
      out.push({
        network: g,
        message: `the ${g}'s output ${fmt(gOut)} is not the shape of the training images ${fmt(wantOut)} (imageSize ${s}, ${channelsText(c)})`,
      });
    }
  }

  for (const d of discs) {
    const D = nets[d];
    if (!fits(D.inputs[0], wiring.pairDiscriminator ? [s, s, null] : image)) {
      // Reported above as a G/D mismatch when a generator feeds it; here only the data side.
      if (!gens.some((g) => pairOf(g, discs) === d))
        out.push({
          network: d,
          message: `the ${d}'s input ${fmt(D.inputs[0])} does not fit the training images ${fmt(image)}`,
        });
    }
    if (latent && !fits(D.outputs[0], [1]))
      out.push({ network: d, message: `the ${d} must output one logit per image ([1]), got ${fmt(D.outputs[0])}` });
    if (wiring.featureOutputs && D.outputs.length < 2) {
      out.push({
        network: d,
        message: `the ${kind} ${d} must return [logit, ...feature maps] (the content loss compares its feature maps), got ${D.outputs.length} output`,
      });
    }
  }
  return out;
}

function sumChannels(a: Shape, b: Shape): number | null {
  const x = a.at(-1),
    y = b.at(-1);
  return x == null || y == null ? null : x + y;
}
