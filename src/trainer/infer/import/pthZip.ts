// PyTorch's zip format (torch.save since 1.6): <root>/data.pkl names the tensors and refers to
// raw storages <root>/data/<key>. The pickle is run by pickle.ts with an allow-list of names, so
// a hostile file is refused, never executed.
import { PickleError, PickleGlobal, unpickle, type PickleHooks } from './pickle';
import {
  ITEM_SIZE,
  ModelFileError,
  SizeBudget,
  Tensor,
  decode,
  elementCount,
  isContiguous,
  isDims,
  reportedType,
  stridedCopy,
  viewExtent,
  type StoredType,
} from './pthStorage';
import { zipEntries, type ZipEntry } from './zipEntries';

const STORAGE_TYPES: Record<string, StoredType> = {
  FloatStorage: 'float32',
  HalfStorage: 'float16',
  BFloat16Storage: 'bfloat16',
  DoubleStorage: 'float64',
  LongStorage: 'int64',
  IntStorage: 'int32',
};

/** torch.FloatStorage and friends: only ever a tag inside a storage's persistent id. */
class StorageType extends PickleGlobal {
  constructor(
    name: string,
    readonly type: StoredType,
  ) {
    super('torch', name);
  }
}

class StorageRef {
  constructor(
    readonly key: string,
    readonly type: StoredType,
    readonly numel: number,
  ) {}
}

const ORDERED_DICT = new PickleGlobal('collections', 'OrderedDict');
const REBUILD_TENSOR = new PickleGlobal('torch._utils', '_rebuild_tensor_v2');
const REBUILD_PARAMETER = new PickleGlobal('torch._utils', '_rebuild_parameter');

/** Runs data.pkl of a PyTorch zip held in buf; returns its top-level value (dicts are Maps). */
export function readPthZip(buf: Uint8Array): unknown {
  let entries: Map<string, ZipEntry>;
  try {
    entries = zipEntries(buf);
  } catch (e) {
    throw new ModelFileError('damaged', (e as Error).message);
  }
  const pkl = [...entries.keys()].find((n) => n === 'data.pkl' || n.endsWith('/data.pkl'));
  if (!pkl) throw new ModelFileError('unsupported', 'it is a zip archive but holds no data.pkl');
  const root = pkl.slice(0, -'data.pkl'.length);
  const byteOrder = entries.get(`${root}byteorder`);
  if (byteOrder && Buffer.from(readOrDamaged(byteOrder)).toString() !== 'little') {
    throw new ModelFileError('unsupported', 'it was saved on a big-endian machine');
  }
  const loader = new StorageLoader(entries, root);
  try {
    return unpickle(readOrDamaged(entries.get(pkl)!), hooks(loader));
  } catch (e) {
    if (!(e instanceof PickleError)) throw e;
    throw new ModelFileError(e.refused ? 'unsafe' : 'damaged', e.message);
  }
}

function readOrDamaged(entry: ZipEntry): Uint8Array {
  try {
    return entry.read();
  } catch (e) {
    throw new ModelFileError('damaged', (e as Error).message);
  }
}

function hooks(loader: StorageLoader): PickleHooks {
  return {
    global(module, name) {
      if (module === 'torch' && name in STORAGE_TYPES) return new StorageType(name, STORAGE_TYPES[name]);
      for (const g of [ORDERED_DICT, REBUILD_TENSOR, REBUILD_PARAMETER]) {
        if (g.module === module && g.name === name) return g;
      }
      throw new ModelFileError(
        'unsafe',
        `the pickle calls ${module}.${name}; a model file may only hold tensors and dicts ` +
          '(loading it in Python would run that code)',
      );
    },
    reduce(callable, args) {
      if (callable === ORDERED_DICT) return newOrderedDict(args);
      if (callable === REBUILD_TENSOR) return loader.rebuildTensor(args);
      if (callable === REBUILD_PARAMETER && args[0] instanceof Tensor) return args[0];
      const what = callable instanceof PickleGlobal ? callable.toString() : `a ${typeof callable}`;
      throw new ModelFileError('unsafe', `the pickle applies ${what} in a way a state dict never does`);
    },
    persistentLoad(pid) {
      return storageRef(pid);
    },
    build(obj, state) {
      // An OrderedDict's state is its attributes (torch's _metadata): nothing to keep.
      if (obj instanceof Map && (state === null || state instanceof Map)) return;
      throw new ModelFileError('unsafe', 'the pickle sets the state of an object that is not a dict');
    },
  };
}

function newOrderedDict(args: unknown[]): Map<unknown, unknown> {
  if (args.length === 0) return new Map();
  const items = args[0];
  if (args.length === 1 && Array.isArray(items) && items.every((p) => Array.isArray(p) && p.length === 2)) {
    return new Map(items as [unknown, unknown][]);
  }
  throw new ModelFileError('damaged', 'an OrderedDict is built from something other than pairs');
}

/** ('storage', torch.FloatStorage, key, location, numel) -> a reference, read when a tensor needs it. */
function storageRef(pid: unknown): StorageRef {
  if (Array.isArray(pid) && pid.length === 5 && pid[0] === 'storage' && pid[1] instanceof StorageType) {
    const [, type, key, , numel] = pid as [string, StorageType, unknown, unknown, unknown];
    if (typeof key === 'string' && Number.isSafeInteger(numel) && (numel as number) >= 0) {
      return new StorageRef(key, type.type, numel as number);
    }
  }
  throw new ModelFileError('damaged', 'a storage reference in the pickle is malformed');
}

class StorageLoader {
  private readonly decoded = new Map<string, Float32Array>();
  private readonly handedOut = new Set<string>();
  private readonly budget = new SizeBudget();
  constructor(
    private readonly entries: Map<string, ZipEntry>,
    private readonly root: string,
  ) {}

  /** _rebuild_tensor_v2(storage, offset, size, stride, requires_grad, hooks[, metadata]). */
  rebuildTensor(args: unknown[]): Tensor {
    const [storage, offset, shape, stride] = args;
    if (
      !(storage instanceof StorageRef) ||
      !Number.isSafeInteger(offset) ||
      (offset as number) < 0 ||
      !isDims(shape) ||
      !isDims(stride) ||
      shape.length !== stride.length
    ) {
      throw new ModelFileError('damaged', 'a tensor in the pickle is malformed');
    }
    this.budget.take(shape); // before any allocation: a declared size may be absurd
    if (viewExtent(offset as number, shape, stride) > storage.numel) {
      throw new ModelFileError(
        'damaged',
        `a tensor of shape [${shape.join(', ')}] reads beyond its storage of ${storage.numel} elements`,
      );
    }
    const src = this.storage(storage);
    // The usual case, a tensor that is its whole storage, takes the decoded array without a
    // second copy; a storage shared by several tensors is copied for each (no aliasing).
    const whole = offset === 0 && src.length === elementCount(shape) && !this.handedOut.has(storage.key);
    this.handedOut.add(storage.key);
    const data = whole && isContiguous(shape, stride) ? src : stridedCopy(src, offset as number, shape, stride);
    return new Tensor(shape, reportedType(storage.type), data);
  }

  private storage(ref: StorageRef): Float32Array {
    const cached = this.decoded.get(ref.key);
    if (cached) return cached;
    const name = `${this.root}data/${ref.key}`;
    const entry = this.entries.get(name);
    if (!entry) throw new ModelFileError('damaged', `the storage ${name} is missing`);
    const bytes = readOrDamaged(entry);
    const needed = ref.numel * ITEM_SIZE[ref.type];
    if (bytes.length < needed) {
      throw new ModelFileError('damaged', `the storage ${name} holds ${bytes.length} bytes, not ${needed}`);
    }
    const data = decode(bytes, ref.type, ref.numel);
    this.decoded.set(ref.key, data);
    return data;
  }
}
