// What the rest of GAN Studio knows about a family without loading it: a light descriptor
// (no TensorFlow.js) per family, in <kind>/info.ts, collected in infos.ts. The config, the
// scaffold, the extension's menus, the wiring checks and the generated JSON schema ask these
// questions instead of comparing family names, so a new family is a folder and two registry lines.
import type { DatasetKind, Direction, GanConfig, ParamsConfig } from '../../shared/config';

/** One `params` key's JSON schema (type, bounds, enum, description, default). */
export type ParamSchema = Readonly<Record<string, unknown>>;
export type ParamsFragment = Readonly<Record<string, ParamSchema>>;

/** Image-to-image translation (gan translate, "Translate Image with Model…"). */
export interface TranslateInfo {
  /** True: it translates only the direction it was trained in (dataset.direction); false: both ways. */
  readonly trainedDirectionOnly: boolean;
  /** The checkpoint's generator folder for each direction. */
  readonly generator: Readonly<Record<Direction, string>>;
  /** How an image of another size meets the generator by default: resized whole, or in tiles. */
  readonly defaultMode: 'resize' | 'tile';
  /** Run the generator as the paper tests it (dropout on, batch statistics of the image at hand). */
  readonly paperTestMode: boolean;
}

/** The example data set a new project of this family gets (src/trainer/scaffold/exampleData.ts). */
export interface ExampleLayout {
  /**
   * pairs: data/pairs/NNN.png, A|B side by side (A = greyscale, B = colour);
   * twoDomains: data/trainA/ and data/trainB/; highRes: data/hr/, high-resolution pictures.
   */
  readonly layout: 'pairs' | 'twoDomains' | 'highRes';
  /** How many pictures are painted when no folder of the user's is given. */
  readonly painted: number;
}

/** Kind-specific facts of the wiring checks on a user's model file (src/trainer/usermodel/shapes.ts). */
export interface WiringInfo {
  /** The training images are RGB whatever the data's channels. */
  readonly alwaysRgb?: boolean;
  /** The discriminator judges (input, output) pairs: one input concatenated on channels, or two inputs. */
  readonly pairDiscriminator?: boolean;
  /** The discriminator returns [logit, ...feature maps] (a content loss compares the maps). */
  readonly featureOutputs?: boolean;
}

export interface FamilyInfo {
  /** How people write it: "CycleGAN". */
  readonly label: string;
  /** The New-Project quick pick's line (the template itself is templates/<kind>/). */
  readonly description: string;
  /** The schema's enumDescription of this "model" value. */
  readonly enumDescription: string;
  /** A few words after the name in the schema's "model" description: "gan (MLP, non-saturating loss)". */
  readonly schemaNote?: string;
  /** The generator draws from noise (params.latentDim) and the discriminator outputs one logit. */
  readonly latent: boolean;
  /** Training needs labelled data; the generator and discriminator take a one-hot label too. */
  readonly conditional: boolean;
  /** Present for families that translate images. */
  readonly translate?: TranslateInfo;
  /** Upscales images (gan upscale, the SR checkpoints of "Upscale Image"). */
  readonly superResolution: boolean;
  /** The dataset kinds it trains on, the usual one first. */
  readonly datasets: readonly DatasetKind[];
  /** Present when a new project makes example pictures in the workspace (the others use MNIST). */
  readonly example?: ExampleLayout;
  /** The params it reads (listed per family in the schema's params description). */
  readonly paramKeys: readonly (keyof ParamsConfig)[];
  /** Schema of the params keys only this family uses (shared ones: common/params.ts). */
  readonly params: ParamsFragment;
  /** What a config of it holds beyond `model` so that `gan bench` can resolve one (data is never read). */
  readonly bench?: Readonly<Record<string, unknown>>;
  readonly wiring?: WiringInfo;
  /**
   * Defaults that depend on the family, applied after the schema's: only to keys the config
   * leaves out (`raw` is the config as written), so anything written in the file wins.
   */
  applyDefaults?(cfg: GanConfig, raw: Record<string, unknown>): void;
  /** Rules the schema cannot say well (which data and sizes it accepts): one line per problem. */
  check?(cfg: GanConfig, label: string): string[];
}

/** The params keys the config wrote (for "only if left out" defaults). */
export function givenParams(raw: Record<string, unknown>): Record<string, unknown> {
  const p = raw.params;
  return typeof p === 'object' && p !== null ? (p as Record<string, unknown>) : {};
}

/** The sizes nearest to n that are multiples of m (for "use 96 or 128" hints). */
export function nearestMultiples(n: number, m: number, min: number): string {
  const lo = Math.max(min, Math.floor(n / m) * m), hi = Math.max(min, Math.ceil(n / m) * m);
  return lo === hi ? `${lo}` : `${lo} or ${hi}`;
}
