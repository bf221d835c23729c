// Seeded pseudo-random numbers with a state that fits in state.json.
//
// Why install it as Math.random: tfjs draws the seeds of every unseeded random op
// (weight initialisers, dropout masks, randomNormal without a seed) from Math.random.
// With our generator in its place a whole run follows from --seed, and restoring the
// saved state continues the exact stream after a resume. (A fixed `seed` on a dropout
// layer would instead repeat the same mask every step.)

/** xoshiro128** state: four unsigned 32-bit words, never all zero. */
export type RngState = [number, number, number, number];

function splitmix32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

export class Rng {
  private s: Uint32Array;
  /** A second Box-Muller value kept for the next normal(); part of the state. */
  private spare: number | null = null;

  constructor(seed: number, stream = 0) {
    // Mixing the stream id into the seed gives independent generators from one seed.
    const mix = splitmix32((seed >>> 0) ^ Math.imul(stream + 1, 0x632be5ab));
    this.s = new Uint32Array([mix(), mix(), mix(), mix()]);
    if (this.s.every((w) => w === 0)) this.s[0] = 1;
  }

  static fromState(state: RngSnapshot): Rng {
    const r = new Rng(0);
    r.setState(state);
    return r;
  }

  /** Next unsigned 32-bit integer (xoshiro128**). */
  nextU32(): number {
    const s = this.s;
    const result = Math.imul(rotl(Math.imul(s[1], 5) >>> 0, 7), 9) >>> 0;
    const t = (s[1] << 9) >>> 0;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 11);
    return result;
  }

  /** Uniform in [0, 1) with 32 bits of resolution (what Math.random callers expect). */
  random(): number {
    return this.nextU32() / 4294967296;
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.random() * n);
  }

  /** Standard normal (Box-Muller; the second value is kept for the next call). */
  normal(): number {
    if (this.spare !== null) {
      const v = this.spare;
      this.spare = null;
      return v;
    }
    let u = 0;
    while (u === 0) u = this.random();
    const v = this.random();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  /** Fills a new Float32Array with standard normals. */
  normals(n: number): Float32Array {
    const out = new Float32Array(n);
    for (let i = 0; i < n; i++) out[i] = this.normal();
    return out;
  }

  /** In-place Fisher-Yates shuffle. */
  shuffle<T extends { length: number; [i: number]: unknown }>(a: T): T {
    for (let i = a.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const tmp = a[i];
      a[i] = a[j];
      a[j] = tmp;
    }
    return a;
  }

  getState(): RngSnapshot {
    return { s: [this.s[0], this.s[1], this.s[2], this.s[3]], spare: this.spare };
  }

  setState(state: RngSnapshot): void {
    if (!isRngSnapshot(state)) throw new Error('invalid RNG state');
    this.s = Uint32Array.from(state.s);
    this.spare = state.spare;
  }
}

/** JSON-safe generator state. */
export interface RngSnapshot {
  s: RngState;
  spare: number | null;
}

export function isRngSnapshot(x: unknown): x is RngSnapshot {
  if (typeof x !== 'object' || x === null) return false;
  const o = x as { s?: unknown; spare?: unknown };
  return (
    Array.isArray(o.s) &&
    o.s.length === 4 &&
    o.s.every((w) => Number.isInteger(w) && w >= 0 && w <= 0xffffffff) &&
    !o.s.every((w) => w === 0) &&
    (o.spare === null || typeof o.spare === 'number')
  );
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

const originalRandom = Math.random;

/**
 * Makes `rng` the process's Math.random (see the comment at the top). Returns a function
 * that puts the previous Math.random back.
 */
export function installAsMathRandom(rng: Rng): () => void {
  const previous = Math.random;
  Math.random = () => rng.random();
  return () => {
    Math.random = previous;
  };
}

/** Math.random as it was when this module loaded (for code that must stay unseeded). */
export function unseededRandom(): number {
  return originalRandom();
}
