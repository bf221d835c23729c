// Which DCGAN networks a config gets (TensorFlow-free: the descriptor and the networks share it).
// "auto": the DCGAN paper's at 32, 64 and 128 px, the TensorFlow tutorial's at any other
// multiple of 4 (28 for MNIST, and the small sizes older configs and checkpoints use).

/** The sizes the paper's networks take: 4x4 doubled 3, 4 or 5 times. */
export const PAPER_SIZES: readonly number[] = [32, 64, 128];

export type DcganNetworks = 'auto' | 'tutorial' | 'paper';

export function usesPaperNetworks(imageSize: number, networks: DcganNetworks | undefined): boolean {
  return networks === 'paper' || ((networks ?? 'auto') === 'auto' && PAPER_SIZES.includes(imageSize));
}
