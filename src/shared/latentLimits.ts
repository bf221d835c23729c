// Bounds of a latent-space explorer request, shared by the inference protocol (Node) and the
// explorer page (browser): no imports, so either side may bundle it.
export const LATENT_LIMITS = { seeds: 64, labels: 100, steps: 32, images: 640, cols: 64 } as const;
/** Seeds are unsigned 32-bit, as `gan sample --seed` takes them. */
export const MAX_SEED = 0xffffffff;
