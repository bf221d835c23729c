// A seeded, resumable stream of shuffled mini-batches. Each epoch is a fresh permutation;
// the remainder that does not fill a batch is skipped so every batch has the same shape.
// The state (epoch, cursor, generator state at the start of the epoch) is small enough for
// state.json: on resume the permutation is recomputed instead of stored.
import { Rng, type RngSnapshot } from '../engine/rng';

export interface BatchStreamState {
  /** 1-based epoch of the next batch. */
  epoch: number;
  /** Position of the next batch in this epoch's permutation. */
  cursor: number;
  /** Generator state before this epoch's permutation was drawn. */
  epochStart: RngSnapshot;
}

export interface IndexBatch {
  indices: Uint32Array;
  epoch: number;
}

export class ShuffledBatches {
  private perm = new Uint32Array(0);
  private epoch = 0;
  private cursor = 0;
  private epochStart!: RngSnapshot;

  constructor(
    readonly count: number,
    readonly batchSize: number,
    private readonly rng: Rng,
    state?: BatchStreamState,
  ) {
    if (batchSize > count)
      throw new RangeError(`batch size ${batchSize} is larger than the data set (${count} images)`);
    if (state) {
      this.rng.setState(state.epochStart);
      this.startEpoch(state.epoch);
      this.cursor = state.cursor;
    } else {
      this.startEpoch(1);
    }
  }

  private startEpoch(epoch: number): void {
    this.epochStart = this.rng.getState();
    this.perm = new Uint32Array(this.count);
    for (let i = 0; i < this.count; i++) this.perm[i] = i;
    this.rng.shuffle(this.perm);
    this.epoch = epoch;
    this.cursor = 0;
  }

  next(): IndexBatch {
    if (this.cursor + this.batchSize > this.count) this.startEpoch(this.epoch + 1);
    const indices = this.perm.slice(this.cursor, this.cursor + this.batchSize);
    this.cursor += this.batchSize;
    return { indices, epoch: this.epoch };
  }

  getState(): BatchStreamState {
    return { epoch: this.epoch, cursor: this.cursor, epochStart: this.epochStart };
  }
}
