// The Fréchet distance between two Gaussians fitted to feature vectors (the FID formula, on
// our own classifier's features):
//   FD = |mu1 - mu2|^2 + tr(C1) + tr(C2) - 2 tr sqrt(C1^1/2 C2 C1^1/2)
// The trace term goes through symmetric matrices only (tr sqrt(C1 C2) equals that of the
// symmetric C1^1/2 C2 C1^1/2), so one small Jacobi eigen-solver is all the linear algebra.
// Everything is float64 and row-major; d is small (the classifier's 64 features).

/** Gaussian statistics of a set of d-dimensional vectors. */
export interface Moments {
  d: number;
  mean: Float64Array;
  /** d*d, row-major, sample covariance (divided by n - 1). */
  cov: Float64Array;
}

/** Mean and covariance of `n` rows of `d` values each (rows at x[i*d .. i*d+d)). */
export function moments(x: ArrayLike<number>, n: number, d: number): Moments {
  if (n < 2) throw new Error(`moments: need at least 2 vectors, got ${n}`);
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j] += x[i * d + j];
  for (let j = 0; j < d; j++) mean[j] /= n;
  const cov = new Float64Array(d * d);
  const row = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) row[j] = x[i * d + j] - mean[j];
    for (let a = 0; a < d; a++) {
      const ra = row[a];
      if (ra === 0) continue;
      for (let b = a; b < d; b++) cov[a * d + b] += ra * row[b];
    }
  }
  for (let a = 0; a < d; a++) {
    for (let b = a; b < d; b++) {
      const v = cov[a * d + b] / (n - 1);
      cov[a * d + b] = v;
      cov[b * d + a] = v;
    }
  }
  return { d, mean, cov };
}

/**
 * Eigen-decomposition of a symmetric d*d matrix by cyclic Jacobi rotations: A = V diag(values) V^T,
 * V's columns the eigenvectors. Converges quadratically; sweeps stop once the off-diagonal mass
 * is negligible against the diagonal.
 */
export function symmetricEigen(matrix: ArrayLike<number>, d: number): { values: Float64Array; vectors: Float64Array } {
  const a = Float64Array.from(matrix);
  const v = new Float64Array(d * d);
  for (let i = 0; i < d; i++) v[i * d + i] = 1;
  for (let sweep = 0; sweep < 50; sweep++) {
    let off = 0;
    let diag = 0;
    for (let p = 0; p < d; p++) {
      diag += a[p * d + p] * a[p * d + p];
      for (let q = p + 1; q < d; q++) off += a[p * d + q] * a[p * d + q];
    }
    // Off-diagonal norm below 1e-11 of the diagonal's: eigenvalues good to ~1e-22 relative.
    if (off <= 1e-22 * diag || diag === 0) break;
    for (let p = 0; p < d - 1; p++) for (let q = p + 1; q < d; q++) rotate(a, v, d, p, q);
  }
  const values = new Float64Array(d);
  for (let i = 0; i < d; i++) values[i] = a[i * d + i];
  return { values, vectors: v };
}

/** One Jacobi rotation zeroing a[p][q] (and a[q][p]); v collects the rotations. */
function rotate(a: Float64Array, v: Float64Array, d: number, p: number, q: number): void {
  const apq = a[p * d + q];
  if (apq === 0) return;
  const theta = (a[q * d + q] - a[p * d + p]) / (2 * apq);
  // The smaller root of t^2 + 2 theta t - 1 = 0: the rotation angle stays under pi/4.
  const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
  const c = 1 / Math.sqrt(t * t + 1);
  const s = t * c;
  for (let k = 0; k < d; k++) {
    const akp = a[k * d + p];
    const akq = a[k * d + q];
    a[k * d + p] = c * akp - s * akq;
    a[k * d + q] = s * akp + c * akq;
  }
  for (let k = 0; k < d; k++) {
    const apk = a[p * d + k];
    const aqk = a[q * d + k];
    a[p * d + k] = c * apk - s * aqk;
    a[q * d + k] = s * apk + c * aqk;
  }
  for (let k = 0; k < d; k++) {
    const vkp = v[k * d + p];
    const vkq = v[k * d + q];
    v[k * d + p] = c * vkp - s * vkq;
    v[k * d + q] = s * vkp + c * vkq;
  }
}

/** The symmetric square root of a symmetric positive semi-definite matrix (negative round-off clipped to 0). */
export function sqrtPsd(matrix: ArrayLike<number>, d: number): Float64Array {
  const { values, vectors: v } = symmetricEigen(matrix, d);
  const out = new Float64Array(d * d);
  for (let k = 0; k < d; k++) {
    const r = Math.sqrt(Math.max(values[k], 0));
    if (r === 0) continue;
    for (let i = 0; i < d; i++) {
      const vik = v[i * d + k] * r;
      for (let j = 0; j < d; j++) out[i * d + j] += vik * v[j * d + k];
    }
  }
  return out;
}

/** a * b for d*d row-major matrices. */
function matmul(a: Float64Array, b: ArrayLike<number>, d: number): Float64Array {
  const out = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let k = 0; k < d; k++) {
      const aik = a[i * d + k];
      if (aik === 0) continue;
      for (let j = 0; j < d; j++) out[i * d + j] += aik * b[k * d + j];
    }
  }
  return out;
}

function trace(m: ArrayLike<number>, d: number): number {
  let t = 0;
  for (let i = 0; i < d; i++) t += m[i * d + i];
  return t;
}

/**
 * Fréchet distance to a fixed reference: the reference's square root is taken once, so each
 * call costs one d*d eigen-decomposition and two matrix products.
 */
export class FrechetReference {
  private readonly sqrtCov: Float64Array;
  private readonly traceCov: number;

  constructor(readonly ref: Moments) {
    this.sqrtCov = sqrtPsd(ref.cov, ref.d);
    this.traceCov = trace(ref.cov, ref.d);
  }

  distance(m: Moments): number {
    const { d } = this.ref;
    if (m.d !== d) throw new Error(`Fréchet distance: ${m.d} features against a reference of ${d}`);
    let meanTerm = 0;
    for (let j = 0; j < d; j++) meanTerm += (m.mean[j] - this.ref.mean[j]) ** 2;
    // S C S with S = C_ref^1/2: symmetric PSD, with the eigenvalues of C_ref C.
    const prod = matmul(matmul(this.sqrtCov, m.cov, d), this.sqrtCov, d);
    for (let i = 0; i < d; i++)
      for (let j = i + 1; j < d; j++) prod[i * d + j] = prod[j * d + i] = (prod[i * d + j] + prod[j * d + i]) / 2;
    const { values } = symmetricEigen(prod, d);
    let traceSqrt = 0;
    for (const l of values) traceSqrt += Math.sqrt(Math.max(l, 0));
    // Round-off can take a distance of (nearly) identical sets a hair below zero.
    return Math.max(0, meanTerm + this.traceCov + trace(m.cov, d) - 2 * traceSqrt);
  }
}

export function frechetDistance(a: Moments, b: Moments): number {
  return new FrechetReference(a).distance(b);
}
