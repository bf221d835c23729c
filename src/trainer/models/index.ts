// Family registry: the config's "model" key -> its implementation.
import type { ModelKind } from '../../shared/config';
import { cgan } from './cgan';
import { cyclegan } from './cyclegan';
import { dcgan } from './dcgan';
import { UnknownModelError, type ModelFamily } from './family';
import { gan } from './gan';
import { pix2pix } from './pix2pix';
import { srgan } from './srgan';

const FAMILIES: Record<ModelKind, ModelFamily> = { gan, dcgan, cgan, pix2pix, cyclegan, srgan };

export function getFamily(kind: ModelKind): ModelFamily {
  // `kind` is not always a ModelKind: a checkpoint's state.json (gan sample) is not checked
  // against the list, so an unknown name still gets one line instead of a TypeError.
  const f: ModelFamily | undefined = FAMILIES[kind];
  if (!f) throw new UnknownModelError(`unknown model "${kind}": this version of GAN Studio has ${Object.keys(FAMILIES).join(', ')}`);
  return f;
}

export * from './family';
