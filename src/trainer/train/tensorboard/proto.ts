// Protocol-buffer encoding of the few TensorBoard messages a run writes (field numbers as in
// TensorFlow's event.proto and summary.proto):
//   Event   { double wall_time = 1; int64 step = 2; string file_version = 3; Summary summary = 5 }
//   Summary { repeated Value value = 1 }
//   Value   { string tag = 1; float simple_value = 2; Image image = 4 }
//   Image   { int32 height = 1; int32 width = 2; int32 colorspace = 3; bytes encoded_image_string = 4 }

const VARINT = 0;
const FIXED64 = 1;
const BYTES = 2;
const FIXED32 = 5;

/** Appends protobuf fields to a list of chunks. */
class Fields {
  private readonly chunks: Uint8Array[] = [];

  private key(field: number, wire: number): void {
    this.varint((field << 3) | wire);
  }

  /** Unsigned varint of a non-negative safe integer. */
  private varint(n: number): void {
    const bytes: number[] = [];
    let v = BigInt(n);
    while (v >= 0x80n) {
      bytes.push(Number(v & 0x7fn) | 0x80);
      v >>= 7n;
    }
    bytes.push(Number(v));
    this.chunks.push(Uint8Array.from(bytes));
  }

  int(field: number, n: number): this {
    this.key(field, VARINT);
    this.varint(n);
    return this;
  }

  double(field: number, x: number): this {
    this.key(field, FIXED64);
    const b = Buffer.alloc(8);
    b.writeDoubleLE(x);
    this.chunks.push(b);
    return this;
  }

  float(field: number, x: number): this {
    this.key(field, FIXED32);
    const b = Buffer.alloc(4);
    b.writeFloatLE(x);
    this.chunks.push(b);
    return this;
  }

  bytes(field: number, data: Uint8Array | string): this {
    const b = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    this.key(field, BYTES);
    this.varint(b.length);
    this.chunks.push(b);
    return this;
  }

  done(): Buffer {
    return Buffer.concat(this.chunks);
  }
}

export interface ImageValue {
  height: number;
  width: number;
  /** 1 grey, 2 grey+alpha, 3 RGB, 4 RGBA. */
  colorspace: number;
  png: Uint8Array;
}

export type SummaryValue = { tag: string; value: number } | { tag: string; image: ImageValue };

export interface EventMessage {
  /** Seconds since the epoch. */
  wallTime: number;
  step: number;
  fileVersion?: string;
  summary?: SummaryValue[];
  /** A SessionLog START: TensorBoard drops what earlier files hold at this step and later. */
  sessionStart?: true;
}

function encodeValue(v: SummaryValue): Buffer {
  const f = new Fields().bytes(1, v.tag);
  if ('value' in v) return f.float(2, v.value).done();
  const { height, width, colorspace, png } = v.image;
  return f.bytes(4, new Fields().int(1, height).int(2, width).int(3, colorspace).bytes(4, png).done()).done();
}

export function encodeEvent(e: EventMessage): Buffer {
  const f = new Fields().double(1, e.wallTime).int(2, e.step);
  if (e.fileVersion !== undefined) f.bytes(3, e.fileVersion);
  if (e.summary) {
    const summary = new Fields();
    for (const v of e.summary) summary.bytes(1, encodeValue(v));
    f.bytes(5, summary.done());
  }
  if (e.sessionStart) f.bytes(7, new Fields().int(1, 1).done()); // Event.session_log, status START
  return f.done();
}
