/**
 * The threads engine's atomic cell operations, as a WebAssembly module of
 * seven one-instruction functions over the run's shared memory.
 *
 * Why not `Atomics`: V8 (Node 20) compiles `Atomics.load(i32, i)` to a call
 * of a builtin that re-validates the typed array every time (about 7 ns,
 * where a plain typed-array read is 1.5), while a call from optimised
 * JavaScript into a small exported wasm function is inlined
 * (--turbo-inline-js-wasm-calls, on by default) down to the atomic
 * instruction itself: a load costs 3 ns, a store 7 instead of 10. A reader
 * section does five loads and two stores through the Platform, so this is
 * a third of the harness's cost per section. The semantics are the same:
 * wasm's atomic accesses are sequentially consistent, as `Atomics` are,
 * and they act on the same buffer (a shared WebAssembly.Memory's buffer is
 * a SharedArrayBuffer), so `Atomics.wait`/`notify` and plain reads of the
 * harness's own cells mix with them freely. Where the heap is a plain
 * SharedArrayBuffer (the address space is limited, torture/run/
 * address-space.ts) the same operations go through `Atomics` (jsAtomics).
 *
 * Addresses are cell indices (4-byte words), as everywhere in the Platform;
 * each function shifts its cell to a byte address.
 */

/** The operations, each sequentially consistent; the read-modify-writes return the old value. */
export interface CellAtomics {
  load(cell: number): number;
  store(cell: number, value: number): void;
  exchange(cell: number, value: number): number;
  compareExchange(cell: number, expected: number, desired: number): number;
  fetchAdd(cell: number, delta: number): number;
  fetchOr(cell: number, bits: number): number;
  fetchAnd(cell: number, bits: number): number;
}

const I32 = 0x7f;
const FUNC_TYPE = 0x60;
/** Section ids. */
const TYPE = 1, IMPORT = 2, FUNCTION = 3, EXPORT = 7, CODE = 10;
/** Instructions used (the atomic ones behind the 0xfe prefix, with memarg align 2^2 and offset 0). */
const LOCAL_GET = 0x20, I32_CONST = 0x41, I32_SHL = 0x74, END = 0x0b, ATOMIC = 0xfe;
const op = { load: 0x10, store: 0x17, add: 0x1e, and: 0x2c, or: 0x33, xchg: 0x41, cmpxchg: 0x48 };

function leb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
}
const vec = (items: number[][]) => [...leb(items.length), ...items.flat()];
const name = (s: string) => [...leb(s.length), ...[...s].map((c) => c.charCodeAt(0))];
const section = (id: number, body: number[]) => [id, ...leb(body.length), ...body];

/** (params) -> results signatures, by arity: [cell] -> i32, [cell, v] -> (), [cell, v] -> i32, [cell, a, b] -> i32. */
const TYPES = [[[I32], [I32]], [[I32, I32], []], [[I32, I32], [I32]], [[I32, I32, I32], [I32]]];
const T_LOAD = 0, T_STORE = 1, T_RMW = 2, T_CMPXCHG = 3;

/** Byte address of the cell in local 0, then the other locals, then the atomic instruction. */
function body(atomic: number, operands: number): number[] {
  const code = [LOCAL_GET, 0, I32_CONST, 2, I32_SHL];
  for (let i = 1; i <= operands; i++) code.push(LOCAL_GET, i);
  code.push(ATOMIC, atomic, 2, 0, END);
  return [...leb(code.length + 1), 0 /* no locals */, ...code];
}

const FUNCS: [keyof CellAtomics, number, number[]][] = [
  ['load', T_LOAD, body(op.load, 0)],
  ['store', T_STORE, body(op.store, 1)],
  ['exchange', T_RMW, body(op.xchg, 1)],
  ['compareExchange', T_CMPXCHG, body(op.cmpxchg, 2)],
  ['fetchAdd', T_RMW, body(op.add, 1)],
  ['fetchOr', T_RMW, body(op.or, 1)],
  ['fetchAnd', T_RMW, body(op.and, 1)],
];

/** The module: imports env.memory (shared, any size), exports FUNCS. */
const BYTES = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
  ...section(TYPE, vec(TYPES.map(([p, r]) => [FUNC_TYPE, ...vec(p.map((t) => [t])), ...vec(r.map((t) => [t]))]))),
  // memory import: limits flags 3 (maximum present, shared), minimum 0, maximum 65536 pages (4 GiB)
  ...section(IMPORT, vec([[...name('env'), ...name('memory'), 0x02, 0x03, 0x00, ...leb(65536)]])),
  ...section(FUNCTION, vec(FUNCS.map(([, type]) => [type]))),
  ...section(EXPORT, vec(FUNCS.map(([n], i) => [...name(n), 0x00, i]))),
  ...section(CODE, vec(FUNCS.map(([, , b]) => b))),
]);

let compiled: WebAssembly.Module | undefined;

/** The operations on `memory` (compiled once per thread, instantiated per call). */
export function wasmAtomics(memory: WebAssembly.Memory): CellAtomics {
  compiled ??= new WebAssembly.Module(BYTES);
  return new WebAssembly.Instance(compiled, { env: { memory } }).exports as unknown as CellAtomics;
}

/** The same operations through `Atomics`, for a heap that is a plain SharedArrayBuffer. */
export function jsAtomics(i32: Int32Array): CellAtomics {
  return {
    load: (cell) => Atomics.load(i32, cell),
    store: (cell, value) => { Atomics.store(i32, cell, value); },
    exchange: (cell, value) => Atomics.exchange(i32, cell, value),
    compareExchange: (cell, expected, desired) => Atomics.compareExchange(i32, cell, expected, desired),
    fetchAdd: (cell, delta) => Atomics.add(i32, cell, delta),
    fetchOr: (cell, bits) => Atomics.or(i32, cell, bits),
    fetchAnd: (cell, bits) => Atomics.and(i32, cell, bits),
  };
}
