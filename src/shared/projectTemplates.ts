// The project templates "GAN: New GAN Project…" and `gan init` offer: one per family, with the
// line the quick pick shows. The files themselves live in templates/<kind>/ (see
// src/trainer/scaffold/scaffold.ts); this list is shared so the host needs no trainer code.
import type { ModelKind } from './config';

export interface ProjectTemplate {
  kind: ModelKind;
  label: string;
  description: string;
  /** True when the project trains on pictures from the workspace (an example set is made). */
  images: boolean;
}

export const PROJECT_TEMPLATES: readonly ProjectTemplate[] = [
  { kind: 'gan', label: 'GAN', description: 'The original GAN: two small MLPs learn MNIST digits', images: false },
  { kind: 'dcgan', label: 'DCGAN', description: 'Convolutional GAN (TensorFlow tutorial networks) on MNIST digits', images: false },
  { kind: 'cgan', label: 'cGAN', description: 'Conditional DCGAN: generate the MNIST digit you ask for', images: false },
  { kind: 'pix2pix', label: 'pix2pix', description: 'Paired image-to-image translation: U-Net + PatchGAN (greyscale to colour)', images: true },
  { kind: 'cyclegan', label: 'CycleGAN', description: 'Unpaired translation between two image folders: ResNet generators + PatchGANs', images: true },
  { kind: 'srgan', label: 'SRGAN', description: 'Super-resolution x4 from a folder of pictures: SRResNet + VGG-style discriminator', images: true },
];

export function projectTemplate(kind: string): ProjectTemplate | undefined {
  return PROJECT_TEMPLATES.find((t) => t.kind === kind);
}

/** A config "name" from a folder name: letters, digits, '.', '_' and '-', starting with a letter or digit. */
export function projectName(folderName: string, fallback: string): string {
  const s = folderName.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[^A-Za-z0-9]+/, '').replace(/-+$/, '');
  return s || fallback;
}
