// The family registry everything outside models/ reads: the config's "model" key -> its
// descriptor (familyInfo.ts). TensorFlow-free, so the extension host and the config module may
// import it; the implementations are registered in index.ts. Adding a family: see README.md.
import type { FamilyInfo } from './familyInfo';
import { cganInfo } from './cgan/info';
import { cycleganInfo } from './cyclegan/info';
import { dcganInfo } from './dcgan/info';
import { ganInfo } from './gan/info';
import { pix2pixInfo } from './pix2pix/info';
import { srganInfo } from './srgan/info';

/** In the order menus and the schema list them. */
export const FAMILY_INFOS = {
  gan: ganInfo,
  dcgan: dcganInfo,
  cgan: cganInfo,
  pix2pix: pix2pixInfo,
  cyclegan: cycleganInfo,
  srgan: srganInfo,
} as const satisfies Record<string, FamilyInfo>;

export type ModelKind = keyof typeof FAMILY_INFOS;
export const MODEL_KINDS = Object.keys(FAMILY_INFOS) as readonly ModelKind[];

/** The family `gan bench` and the backend probe time when none is named. */
export const DEFAULT_BENCH_MODEL: ModelKind = 'dcgan';

export function isModelKind(kind: unknown): kind is ModelKind {
  return typeof kind === 'string' && Object.hasOwn(FAMILY_INFOS, kind);
}

/** The descriptor of `kind`, or undefined for a name that is no family (an old or foreign checkpoint's). */
export function familyInfo(kind: unknown): FamilyInfo | undefined {
  return isModelKind(kind) ? FAMILY_INFOS[kind] : undefined;
}

/** Their labels as a phrase for prompts and messages: "GAN, DCGAN or cGAN". */
export function labelsWhere(test: (info: FamilyInfo) => boolean): string {
  const labels = kindsWhere(test).map((k) => FAMILY_INFOS[k].label);
  return labels.length > 1 ? `${labels.slice(0, -1).join(', ')} or ${labels.at(-1)}` : labels.join('');
}

/** The families that can do something, e.g. kindsWhere((f) => !!f.translate). */
export function kindsWhere(test: (info: FamilyInfo) => boolean): ModelKind[] {
  return MODEL_KINDS.filter((k) => test(FAMILY_INFOS[k]));
}

export type { FamilyInfo } from './familyInfo';
