// A small pickle interpreter for exactly what torch.save writes for state dicts. It runs no code:
// GLOBAL only names things, and the caller's hooks decide which names are allowed and what
// applying them (REDUCE) yields. Any opcode outside this set is refused by name.

/** A module attribute named by GLOBAL, e.g. torch._utils._rebuild_tensor_v2. */
export class PickleGlobal {
  constructor(
    readonly module: string,
    readonly name: string,
  ) {}
  toString(): string {
    return `${this.module}.${this.name}`;
  }
}

export interface PickleHooks {
  /** Called at each GLOBAL: returns its value or throws (for names not on the allow-list). */
  global(module: string, name: string): unknown;
  /** REDUCE: applies a callable (a value from global()) to a tuple of arguments. */
  reduce(callable: unknown, args: unknown[]): unknown;
  /** BINPERSID: resolves a persistent id (torch's storage tuples). */
  persistentLoad(pid: unknown): unknown;
  /** BUILD: sets an object's state; throws if that object takes none. */
  build(obj: unknown, state: unknown): void;
}

/** Thrown for a malformed pickle or an opcode outside the supported set. */
export class PickleError extends Error {
  override name = 'PickleError';
  /** True when the pickle is well formed but uses an opcode outside the safe set. */
  refused = false;
}

// Names of the opcodes refused, so the message says which one (pickletools' names).
const REFUSED: Record<number, string> = {
  0x69: 'INST',
  0x6f: 'OBJ',
  0x81: 'NEWOBJ',
  0x92: 'NEWOBJ_EX',
  0x82: 'EXT1',
  0x83: 'EXT2',
  0x84: 'EXT4',
  0x50: 'PERSID',
  0x42: 'BINBYTES',
  0x43: 'SHORT_BINBYTES',
  0x8e: 'BINBYTES8',
  0x8d: 'BINUNICODE8',
  0x53: 'STRING',
  0x54: 'BINSTRING',
  0x55: 'SHORT_BINSTRING',
  0x56: 'UNICODE',
  0x49: 'INT',
  0x4c: 'LONG',
  0x8b: 'LONG4',
  0x46: 'FLOAT',
  0x70: 'PUT',
  0x67: 'GET',
  0x32: 'DUP',
  0x30: 'POP',
  0x31: 'POP_MARK',
  0x8f: 'EMPTY_SET',
  0x90: 'ADDITEMS',
  0x91: 'FROZENSET',
  0x96: 'BYTEARRAY8',
  0x97: 'NEXT_BUFFER',
  0x98: 'READONLY_BUFFER',
};

const MARK = Symbol('mark');

/** Runs the pickle in bytes and returns the value STOP leaves. */
export function unpickle(bytes: Uint8Array, hooks: PickleHooks): unknown {
  const r = new Reader(bytes);
  const stack: unknown[] = [];
  const memo = new Map<number, unknown>();
  const pop = (): unknown => {
    if (stack.length === 0) throw new PickleError('the pickle pops an empty stack');
    return stack.pop();
  };
  const popMark = (): unknown[] => {
    const at = stack.lastIndexOf(MARK);
    if (at < 0) throw new PickleError('the pickle has no MARK where one is needed');
    const items = stack.splice(at);
    items.shift();
    return items;
  };
  const top = (): unknown => {
    if (stack.length === 0) throw new PickleError('the pickle reads an empty stack');
    return stack[stack.length - 1];
  };
  for (;;) {
    const op = r.u8();
    switch (op) {
      case 0x80: // PROTO
        if (r.u8() > 5) throw new PickleError('the pickle protocol is newer than 5');
        break;
      case 0x95: // FRAME: a length prefix only
        r.skip(8);
        break;
      case 0x2e: // STOP
        return pop();
      case 0x28: // MARK
        stack.push(MARK);
        break;
      case 0x7d: // EMPTY_DICT
        stack.push(new Map());
        break;
      case 0x64: // DICT
        stack.push(pairsToMap(popMark()));
        break;
      case 0x5d: // EMPTY_LIST
        stack.push([]);
        break;
      case 0x6c: // LIST
        stack.push(popMark());
        break;
      case 0x29: // EMPTY_TUPLE
        stack.push([]);
        break;
      case 0x74: // TUPLE
        stack.push(popMark());
        break;
      case 0x85: // TUPLE1
      case 0x86: // TUPLE2
      case 0x87: {
        // TUPLE3
        const n = op - 0x84;
        if (stack.length < n) throw new PickleError('the pickle pops an empty stack');
        stack.push(stack.splice(stack.length - n, n));
        break;
      }
      case 0x58: // BINUNICODE
        stack.push(r.utf8(r.u32()));
        break;
      case 0x8c: // SHORT_BINUNICODE
        stack.push(r.utf8(r.u8()));
        break;
      case 0x4a: // BININT
        stack.push(r.i32());
        break;
      case 0x4b: // BININT1
        stack.push(r.u8());
        break;
      case 0x4d: // BININT2
        stack.push(r.u16());
        break;
      case 0x8a: // LONG1
        stack.push(r.long(r.u8()));
        break;
      case 0x47: // BINFLOAT (big-endian)
        stack.push(r.f64be());
        break;
      case 0x4e: // NONE
        stack.push(null);
        break;
      case 0x88: // NEWTRUE
        stack.push(true);
        break;
      case 0x89: // NEWFALSE
        stack.push(false);
        break;
      case 0x61: {
        // APPEND
        const v = pop();
        asList(top()).push(v);
        break;
      }
      case 0x65: {
        // APPENDS
        const items = popMark();
        asList(top()).push(...items);
        break;
      }
      case 0x73: {
        // SETITEM
        const v = pop();
        const k = pop();
        asMap(top()).set(k, v);
        break;
      }
      case 0x75: {
        // SETITEMS
        const items = popMark();
        const m = asMap(top());
        for (const [k, v] of pairs(items)) m.set(k, v);
        break;
      }
      case 0x71: // BINPUT
        memo.set(r.u8(), top());
        break;
      case 0x72: // LONG_BINPUT
        memo.set(r.u32(), top());
        break;
      case 0x94: // MEMOIZE
        memo.set(memo.size, top());
        break;
      case 0x68: // BINGET
      case 0x6a: {
        // LONG_BINGET
        const i = op === 0x68 ? r.u8() : r.u32();
        if (!memo.has(i)) throw new PickleError(`the pickle reads memo ${i}, never stored`);
        stack.push(memo.get(i));
        break;
      }
      case 0x63: {
        // GLOBAL: "module\nname\n"
        const module = r.line();
        stack.push(hooks.global(module, r.line()));
        break;
      }
      case 0x93: {
        // STACK_GLOBAL
        const name = pop();
        const module = pop();
        if (typeof module !== 'string' || typeof name !== 'string') throw new PickleError('STACK_GLOBAL without names');
        stack.push(hooks.global(module, name));
        break;
      }
      case 0x52: {
        // REDUCE
        const args = pop();
        const callable = pop();
        if (!Array.isArray(args)) throw new PickleError('REDUCE without an argument tuple');
        stack.push(hooks.reduce(callable, args));
        break;
      }
      case 0x51: // BINPERSID
        stack.push(hooks.persistentLoad(pop()));
        break;
      case 0x62: {
        // BUILD
        const state = pop();
        hooks.build(top(), state);
        break;
      }
      default: {
        const name = REFUSED[op] ?? `0x${op.toString(16).padStart(2, '0')}`;
        const e = new PickleError(`the pickle uses opcode ${name}, which a PyTorch state dict never needs`);
        e.refused = true;
        throw e;
      }
    }
  }
}

function asList(v: unknown): unknown[] {
  if (!Array.isArray(v)) throw new PickleError('APPEND onto something that is not a list');
  return v;
}

function asMap(v: unknown): Map<unknown, unknown> {
  if (!(v instanceof Map)) throw new PickleError('SETITEM onto something that is not a dict');
  return v as Map<unknown, unknown>;
}

function* pairs(items: unknown[]): Generator<[unknown, unknown]> {
  if (items.length % 2 !== 0) throw new PickleError('SETITEMS with an odd number of items');
  for (let i = 0; i < items.length; i += 2) yield [items[i], items[i + 1]];
}

function pairsToMap(items: unknown[]): Map<unknown, unknown> {
  return new Map(pairs(items));
}

/** Bounds-checked reads over the pickle bytes. */
class Reader {
  private pos = 0;
  private readonly view: DataView;
  constructor(private readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  private take(n: number): number {
    if (this.pos + n > this.bytes.length) throw new PickleError('the pickle ends before STOP');
    const at = this.pos;
    this.pos += n;
    return at;
  }
  skip(n: number): void {
    this.take(n);
  }
  u8(): number {
    return this.view.getUint8(this.take(1));
  }
  u16(): number {
    return this.view.getUint16(this.take(2), true);
  }
  u32(): number {
    return this.view.getUint32(this.take(4), true);
  }
  i32(): number {
    return this.view.getInt32(this.take(4), true);
  }
  f64be(): number {
    return this.view.getFloat64(this.take(8), false);
  }
  /** LONG1: n-byte little-endian two's complement; safe integers only. */
  long(n: number): number {
    if (n > 8) throw new PickleError(`the pickle holds a ${n}-byte integer`);
    const at = this.take(n);
    let v = 0n;
    for (let i = n - 1; i >= 0; i--) v = (v << 8n) | BigInt(this.bytes[at + i]);
    if (n > 0 && this.bytes[at + n - 1] >= 0x80) v -= 1n << BigInt(8 * n);
    if (v > BigInt(Number.MAX_SAFE_INTEGER) || v < -BigInt(Number.MAX_SAFE_INTEGER)) {
      throw new PickleError('the pickle holds an integer beyond 2^53');
    }
    return Number(v);
  }
  utf8(n: number): string {
    const at = this.take(n);
    return Buffer.from(this.bytes.subarray(at, at + n)).toString('utf8');
  }
  line(): string {
    const end = this.bytes.indexOf(0x0a, this.pos);
    if (end < 0 || end - this.pos > 256) throw new PickleError('a GLOBAL name is damaged');
    const s = Buffer.from(this.bytes.subarray(this.pos, end)).toString('utf8');
    this.pos = end + 1;
    return s;
  }
}
