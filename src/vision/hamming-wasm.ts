/**
 * The inner loop of hamming.ts in WebAssembly: the same two nearest neighbours, counting bits 64
 * at a time with `i64.popcnt` (one instruction) instead of two lookups in a 64 KiB table per 32
 * bits. The module is a few hundred bytes assembled here, so there is nothing to build or ship.
 *
 * Layout in its memory: query descriptors from 0, train descriptors after them (32 bytes each),
 * then per query descriptor three i32s: nearest index, its distance, the second-nearest distance.
 */

// Opcodes used below (WebAssembly 1.0 core, plus nothing newer).
const OP = {
  block: 0x02,
  loop: 0x03,
  if: 0x04,
  else: 0x05,
  end: 0x0b,
  br: 0x0c,
  brIf: 0x0d,
  get: 0x20,
  set: 0x21,
  tee: 0x22,
  i64Load: 0x29,
  i32Store: 0x36,
  i32Const: 0x41,
  i32LtU: 0x49,
  i32GeU: 0x4f,
  i32Add: 0x6a,
  i32Mul: 0x6c,
  i32Shl: 0x74,
  i64Popcnt: 0x7b,
  i64Add: 0x7c,
  i64Xor: 0x85,
  i32WrapI64: 0xa7,
} as const;
const VOID = 0x40;
const I32 = 0x7f;
const I64 = 0x7e;

/** Unsigned and signed LEB128, the integer encodings of the binary format. */
function uleb(value: number): number[] {
  const bytes: number[] = [];
  do {
    let byte = value & 0x7f;
    value >>>= 7;
    if (value !== 0) byte |= 0x80;
    bytes.push(byte);
  } while (value !== 0);
  return bytes;
}
function sleb(value: number): number[] {
  const bytes: number[] = [];
  while (true) {
    const byte = value & 0x7f;
    value >>= 7;
    if ((value === 0 && (byte & 0x40) === 0) || (value === -1 && (byte & 0x40) !== 0)) {
      bytes.push(byte);
      return bytes;
    }
    bytes.push(byte | 0x80);
  }
}

// Parameters 0–4, then locals.
const [QUERY, QUERY_COUNT, TRAIN, TRAIN_COUNT, OUT] = [0, 1, 2, 3, 4];
const [INDEX, CANDIDATE, AT, FROM, FIRST, SECOND, NEAREST, DISTANCE] = [5, 6, 7, 8, 9, 10, 11, 12];
const [Q0, Q1, Q2, Q3] = [13, 14, 15, 16];
const NONE = 257;

const get = (local: number) => [OP.get, local];
const set = (local: number) => [OP.set, local];
const i32 = (value: number) => [OP.i32Const, ...sleb(value)];
const load64 = (offset: number) => [OP.i64Load, 3, ...uleb(offset)];
/** popcount(q ^ train[from + offset]) as i64 on the stack. */
const bitsOf = (q: number, offset: number) => [
  ...get(q),
  ...get(FROM),
  ...load64(offset),
  OP.i64Xor,
  OP.i64Popcnt,
];

// biome-ignore format: laid out as assembly, one step per line
const body = [
  // locals: 8 × i32, 4 × i64
  2, 8, I32, 4, I64,
  OP.block, VOID,
  OP.loop, VOID, // each query descriptor
  ...get(INDEX), ...get(QUERY_COUNT), OP.i32GeU, OP.brIf, 1,
  ...get(QUERY), ...get(INDEX), ...i32(5), OP.i32Shl, OP.i32Add, ...set(AT),
  ...get(AT), ...load64(0), ...set(Q0),
  ...get(AT), ...load64(8), ...set(Q1),
  ...get(AT), ...load64(16), ...set(Q2),
  ...get(AT), ...load64(24), ...set(Q3),
  ...i32(NONE), ...set(FIRST),
  ...i32(NONE), ...set(SECOND),
  ...i32(-1), ...set(NEAREST),
  ...i32(0), ...set(CANDIDATE),
  ...get(TRAIN), ...set(FROM),
  OP.block, VOID,
  OP.loop, VOID, // each train descriptor
  ...get(CANDIDATE), ...get(TRAIN_COUNT), OP.i32GeU, OP.brIf, 1,
  // The first half (128 bits); a candidate already no nearer than the second-nearest is dropped.
  ...bitsOf(Q0, 0), ...bitsOf(Q1, 8), OP.i64Add, OP.i32WrapI64, OP.tee, DISTANCE,
  ...get(SECOND), OP.i32LtU,
  OP.if, VOID,
  ...get(DISTANCE), ...bitsOf(Q2, 16), ...bitsOf(Q3, 24), OP.i64Add, OP.i32WrapI64, OP.i32Add, ...set(DISTANCE),
  ...get(DISTANCE), ...get(FIRST), OP.i32LtU,
  OP.if, VOID,
  ...get(FIRST), ...set(SECOND),
  ...get(DISTANCE), ...set(FIRST),
  ...get(CANDIDATE), ...set(NEAREST),
  OP.else,
  ...get(DISTANCE), ...get(SECOND), OP.i32LtU,
  OP.if, VOID, ...get(DISTANCE), ...set(SECOND), OP.end,
  OP.end,
  OP.end,
  ...get(CANDIDATE), ...i32(1), OP.i32Add, ...set(CANDIDATE),
  ...get(FROM), ...i32(32), OP.i32Add, ...set(FROM),
  OP.br, 0,
  OP.end,
  OP.end,
  ...get(OUT), ...get(INDEX), ...i32(12), OP.i32Mul, OP.i32Add, ...set(AT),
  ...get(AT), ...get(NEAREST), OP.i32Store, 2, 0,
  ...get(AT), ...get(FIRST), OP.i32Store, 2, 4,
  ...get(AT), ...get(SECOND), OP.i32Store, 2, 8,
  ...get(INDEX), ...i32(1), OP.i32Add, ...set(INDEX),
  OP.br, 0,
  OP.end,
  OP.end,
  OP.end,
];

const name = (text: string) => [...uleb(text.length), ...Array.from(text, (char) => char.charCodeAt(0))];
const section = (id: number, content: number[]) => [id, ...uleb(content.length), ...content];
// biome-ignore format: one section per line
const MODULE = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // "\0asm", version 1
  ...section(1, [1, 0x60, 5, I32, I32, I32, I32, I32, 0]), // type: (i32 × 5) → ()
  ...section(3, [1, 0]), // one function of that type
  ...section(5, [1, 0, 1]), // one memory, one page to start
  ...section(7, [2, ...name('nearest'), 0, 0, ...name('memory'), 2, 0]),
  ...section(10, [1, ...uleb(body.length), ...body]),
]);

/** The part of the WebAssembly API used here (the project's TypeScript libraries do not declare it). */
declare const WebAssembly: {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object) => { exports: unknown };
};

interface Exports {
  nearest(query: number, queryCount: number, train: number, trainCount: number, out: number): void;
  memory: { buffer: ArrayBuffer; grow(pages: number): number };
}

let exports: Exports | undefined;

/** Nearest index, its distance and the second-nearest distance per query descriptor, in triples. */
export function nearestTwoTriples(query: Uint32Array, train: Uint32Array): Int32Array {
  exports ??= new WebAssembly.Instance(new WebAssembly.Module(MODULE)).exports as unknown as Exports;
  const queryCount = query.length >> 3;
  const trainCount = train.length >> 3;
  const trainAt = queryCount * 32;
  const outAt = trainAt + trainCount * 32;
  const needed = outAt + queryCount * 12;
  const { memory } = exports;
  // Grown to the largest pair seen and kept (tens of KiB for ORB sets of 1,000).
  if (memory.buffer.byteLength < needed) memory.grow(Math.ceil((needed - memory.buffer.byteLength) / 65_536));
  const words = new Uint32Array(memory.buffer);
  words.set(query.subarray(0, queryCount * 8), 0);
  words.set(train.subarray(0, trainCount * 8), trainAt / 4);
  exports.nearest(0, queryCount, trainAt, trainCount, outAt);
  return new Int32Array(memory.buffer, outAt, queryCount * 3).slice();
}
