// Fixed-capacity buffer keeping the newest items: the host keeps the recent metrics of a live
// run in one (a re-shown view gets what it missed, memory stays bounded); the Live Preview's
// sparkline keeps its window in one. Browser-safe.
export class RingBuffer<T> {
  private items: (T | undefined)[];
  private start = 0;
  private count = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError('capacity must be a positive integer');
    this.items = new Array(capacity);
  }

  get length(): number {
    return this.count;
  }

  push(item: T): void {
    const end = (this.start + this.count) % this.capacity;
    this.items[end] = item;
    if (this.count < this.capacity) this.count++;
    else this.start = (this.start + 1) % this.capacity;
  }

  last(): T | undefined {
    return this.count ? this.items[(this.start + this.count - 1) % this.capacity] : undefined;
  }

  toArray(): T[] {
    const out: T[] = [];
    for (let i = 0; i < this.count; i++) out.push(this.items[(this.start + i) % this.capacity] as T);
    return out;
  }

  /** The trailing run of items for which `isNewer` holds, oldest first (the buffer is ordered). */
  since(isNewer: (item: T) => boolean): T[] {
    const all = this.toArray();
    let i = all.length;
    while (i > 0 && isNewer(all[i - 1])) i--;
    return all.slice(i);
  }

  clear(): void {
    this.items = new Array(this.capacity);
    this.start = 0;
    this.count = 0;
  }
}
