// The project templates "GAN: New GAN Project…" and `gan init` offer: one per family, with the
// line the quick pick shows, from the family registry. The files themselves live in
// templates/<kind>/ (see src/trainer/scaffold/scaffold.ts); the registry is TensorFlow-free, so
// the host needs no trainer code.
import { FAMILY_INFOS, MODEL_KINDS, type ModelKind } from '../trainer/models/infos';

export interface ProjectTemplate {
  kind: ModelKind;
  label: string;
  description: string;
  /** True when the project trains on pictures from the workspace (an example set is made). */
  images: boolean;
  /**
   * True when the project trains on MNIST unless given a folder of the user's pictures, which
   * it then trains on where it is (gan init --images DIR: dataset.kind "folder"; dcgan and cgan
   * with the DCGAN paper's networks at 64x64, the template's *.paper.* files).
   */
  folder: boolean;
}

export const PROJECT_TEMPLATES: readonly ProjectTemplate[] = MODEL_KINDS.map((kind) => {
  const f = FAMILY_INFOS[kind];
  return {
    kind,
    label: f.label,
    description: f.description,
    images: f.example !== undefined,
    folder: f.example === undefined && f.datasets.includes('folder'),
  };
});

export function projectTemplate(kind: string): ProjectTemplate | undefined {
  return PROJECT_TEMPLATES.find((t) => t.kind === kind);
}

/** A config "name" from a folder name: letters, digits, '.', '_' and '-', starting with a letter or digit. */
export function projectName(folderName: string, fallback: string): string {
  const s = folderName
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/^[^A-Za-z0-9]+/, '')
    .replace(/-+$/, '');
  return s || fallback;
}
