// Reverse-mode gradients over tfjs's tape that give memory back as they go. tfjs 4.22's own
// `engine.gradients` keeps every tensor the backward pass makes (the gradient of each
// activation, every temporary of a gradient function, every partial sum) and every tensor
// saved for it until the last gradient is done, so a step's memory grows through the backward
// pass to about twice its forward peak (CycleGAN 64: 243 -> 790 MB in the forward pass, 1.67 GB
// at the end of the backward). Here each node's saved tensors and its outputs' gradients are
// freed once the node has been differentiated, as PyTorch's autograd does. Same operations in
// the same order as tfjs's, so the gradients are bitwise the same (the conformance suite runs
// its cpu reference through this too; the whole-step check compares with PyTorch-free cpu).
import * as tf from '@tensorflow/tfjs';

type Tensor = tf.Tensor;

/** The parts of tfjs-core 4.22's tape node this reads (tfjs-core/src/tape.ts). */
interface TapeNode {
  id: number;
  kernelName: string;
  inputs: Record<string, Tensor>;
  outputs: Tensor[];
  gradient?: (dys: (Tensor | null)[]) => Record<string, () => Tensor>;
  saved?: Tensor[];
}

/** The parts of tfjs-core 4.22's Engine this uses; all of them exist on the class since 2.x. */
interface EngineInternals {
  state: { activeTape: TapeNode[] | null; gradientDepth: number };
  scopedRun<T>(start: () => void, end: () => void, f: () => T): T;
  startTape(): void;
  endTape(): void;
  tidy<T extends tf.TensorContainer>(nameOrFn: string | (() => T), fn?: () => T): T;
  gradients: GradientsFn;
}
type GradientsFn = (
  f: () => Tensor,
  xs: Tensor[],
  dy?: Tensor,
  allowNoGradients?: boolean,
) => { value: Tensor; grads: Tensor[] };

/** The nodes on a path from some x to y, each with only the inputs that depend on an x. */
function nodesFromXsToY(tape: readonly TapeNode[], xs: readonly Tensor[], y: Tensor): TapeNode[] {
  const fromX = new Set(xs.map((x) => x.id));
  const onForwardPath = new Set<number>();
  for (const node of tape) {
    if (Object.values(node.inputs).some((t) => fromX.has(t.id))) {
      onForwardPath.add(node.id);
      for (const o of node.outputs) fromX.add(o.id);
    }
  }
  const toY = new Set([y.id]);
  const onBackwardPath = new Set<number>();
  for (let i = tape.length - 1; i >= 0; i--) {
    const node = tape[i];
    if (!node.outputs.some((o) => toY.has(o.id))) continue;
    onBackwardPath.add(node.id);
    for (const t of Object.values(node.inputs)) toY.add(t.id);
  }
  return tape
    .filter((n) => onForwardPath.has(n.id) && onBackwardPath.has(n.id))
    .map((n) => ({
      ...n,
      inputs: Object.fromEntries(Object.entries(n.inputs).filter(([, t]) => fromX.has(t.id))),
    }));
}

/**
 * Walks `nodes` backwards from `grads` (tensor id -> gradient), adding each node's input
 * gradients into the map. A node's outputs' gradients and its saved tensors are disposed right
 * after it (`keep`: the ids whose gradients the caller wants, never disposed).
 */
function backpropagate(grads: Map<number, Tensor>, nodes: readonly TapeNode[], keep: ReadonlySet<number>): void {
  for (let i = nodes.length - 1; i >= 0; i--) {
    const node = nodes[i];
    if (!node.gradient) throw new Error(`Cannot compute gradient: gradient function not found for ${node.kernelName}.`);
    const names = Object.keys(node.inputs);
    const dys = node.outputs.map((o) => grads.get(o.id) ?? null);
    // One tidy for the gradient function and its closures: what they share (and everything
    // else they make) goes as soon as this node's input gradients exist.
    const dxs = tf.tidy(() => {
      const fns = node.gradient!(dys);
      // A gradient may hand back dy or a saved tensor as it is, or one tensor for two inputs;
      // those are freed below or owned twice, so each such result gets its own handle.
      const owned = new Set<Tensor>([...(dys.filter((t) => t) as Tensor[]), ...(node.saved ?? [])]);
      return names.map((name) => {
        if (!(name in fns)) throw new Error(`Cannot backprop through input ${name} of ${node.kernelName}.`);
        const dx = fns[name]();
        if (owned.has(dx)) return tf.clone(dx);
        owned.add(dx);
        return dx;
      });
    });
    for (const o of node.outputs) {
      if (keep.has(o.id)) continue;
      grads.get(o.id)?.dispose();
      grads.delete(o.id);
    }
    for (const t of node.saved ?? []) t.dispose();
    names.forEach((name, k) => accumulate(grads, node, name, dxs[k]));
  }
}

function accumulate(grads: Map<number, Tensor>, node: TapeNode, name: string, dx: Tensor): void {
  const x = node.inputs[name];
  if (dx.dtype !== 'float32')
    throw new Error(`Error in gradient for op ${node.kernelName}: the gradient of ${name} is ${dx.dtype}, not float32`);
  if (!tf.util.arraysEqual(dx.shape, x.shape))
    throw new Error(
      `Error in gradient for op ${node.kernelName}: the gradient of ${name} has shape ${dx.shape}, not ${x.shape}`,
    );
  const sum = grads.get(x.id);
  if (!sum) return void grads.set(x.id, dx);
  grads.set(x.id, tf.add(sum, dx));
  sum.dispose();
  dx.dispose();
}

let original: GradientsFn | undefined;

/** Puts this backward pass in place of tfjs's for every backend (idempotent). */
export function installReleasingBackprop(): void {
  const engine = tf.engine() as unknown as EngineInternals;
  if (original) return;
  original = engine.gradients;
  const fallback = original;
  engine.gradients = function (this: EngineInternals, f, xs, dy, allowNoGradients = false) {
    // Gradients of gradients keep the tape for an outer pass: leave those to tfjs.
    if (this.state.gradientDepth > 0) return fallback.call(this, f, xs, dy, allowNoGradients);
    if (xs.length === 0) throw new Error('gradients() received an empty list of xs.');
    if (dy && dy.dtype !== 'float32') throw new Error(`dy must have 'float32' dtype, but has '${dy.dtype}'`);
    const y = this.scopedRun(
      () => this.startTape(),
      () => this.endTape(),
      () => this.tidy('forward', f),
    );
    if (!(y instanceof tf.Tensor)) throw new Error('The result y returned by f() must be a tensor.');
    const tape = this.state.activeTape ?? [];
    const nodes = nodesFromXsToY(tape, xs, y);
    if (!allowNoGradients && nodes.length === 0)
      throw new Error('Cannot compute gradient of y=f(x) with respect to x: f does not use x.');
    return this.tidy('backward', () => {
      const grads = new Map<number, Tensor>([[y.id, dy ?? tf.ones(y.shape)]]);
      const keep = new Set(xs.map((x) => x.id));
      if (dy) keep.add(y.id);
      backpropagate(grads, nodes, keep);
      for (const node of tape) for (const t of node.saved ?? []) t.dispose();
      this.state.activeTape = null;
      // An x that y does not depend on gets undefined, as from tfjs (variableGrads skips it).
      return { value: y, grads: xs.map((x) => grads.get(x.id)) as Tensor[] };
    });
  };
}
