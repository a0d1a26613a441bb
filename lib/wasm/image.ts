/**
 * A compiled C flavor module and the facts the harness lays memory out by:
 * where its image ends (__heap_base), how big a thread's TLS block is, and
 * the flavor descriptors it exports (read once, from a probe instance on a
 * private memory: data addresses and table slots are the same in every
 * instance of a module).
 */
import { importedMemoryLimits } from './binary.js';
import { inertImports } from './imports.js';
import { cString, word } from './strings.js';

export const PAGE_BYTES = 65536;

export interface CThreadDesc { name: string; run: number }
export interface CCounterDesc { key: string; label: string; group: string; description: string; cell: number }

/** struct rt_flavor, with strings decoded and function pointers as table slots (0 = NULL). */
export interface CFlavorDesc {
  name: string;
  description: string | null;
  provenance: string | null;
  caps: number;
  expected: string;
  scenario: string | null;
  needsWeakMemory: boolean;
  fns: Record<CEntry, number>;
  threads: CThreadDesc[];
  counters: CCounterDesc[];
  points: string[] | null;
}

/** Function-pointer fields of struct rt_flavor, in declaration order after needs_weak_memory. */
export const C_ENTRIES = [
  'register_thread', 'unregister_thread', 'read_lock', 'read_unlock', 'synchronize', 'call_rcu',
  'drain', 'barrier', 'force', 'gp_seq', 'quiescent_state', 'offline', 'online', 'add_force_notifier',
] as const;
export type CEntry = (typeof C_ENTRIES)[number];

export interface CImage {
  module: WebAssembly.Module;
  /** Byte address where the image (data, bss, default stack) ends. */
  heapBase: number;
  tlsSize: number;
  tlsAlign: number;
  minPages: number;
  maxPages: number;
  flavors: CFlavorDesc[];
}

/** Byte offsets in struct rt_flavor on wasm32 (every field is 4 bytes). */
const F = { name: 0, description: 4, provenance: 8, caps: 12, expected: 16, scenario: 20, weak: 24, fns: 28 } as const;
const AFTER_FNS = F.fns + 4 * C_ENTRIES.length;
const F_THREADS = AFTER_FNS, F_COUNTERS = AFTER_FNS + 4, F_POINTS = AFTER_FNS + 8;
const THREAD_BYTES = 8, COUNTER_BYTES = 20;
/** Bounds on descriptor arrays, so a missing terminator is an error rather than a walk through memory. */
const MAX_LIST = 1024;

const globalValue = (ex: WebAssembly.Exports, name: string): number => {
  const g = ex[name];
  if (!(g instanceof WebAssembly.Global)) throw new Error(`exports no ${name} (was it linked with the rcutorture flags?)`);
  return Number(g.value);
};

function readList<T>(memory: WebAssembly.Memory, ptr: number, stride: number, what: string, read: (at: number) => T | null): T[] {
  const out: T[] = [];
  if (ptr === 0) return out;
  for (let at = ptr; ; at += stride) {
    const item = read(at);
    if (item === null) return out;
    if (out.push(item) > MAX_LIST) throw new Error(`${what} list has no terminating NULL entry`);
  }
}

function readFlavor(memory: WebAssembly.Memory, at: number): CFlavorDesc {
  const w = (off: number) => word(memory, at + off);
  const s = (off: number) => cString(memory, w(off));
  const name = s(F.name);
  if (!name) throw new Error(`the flavor at 0x${at.toString(16)} has no name`);
  const fns = {} as Record<CEntry, number>;
  C_ENTRIES.forEach((e, i) => { fns[e] = w(F.fns + 4 * i); });
  const threads = readList(memory, w(F_THREADS), THREAD_BYTES, `flavor "${name}" threads`, (t) => {
    const n = cString(memory, word(memory, t));
    return n === null ? null : { name: n, run: word(memory, t + 4) };
  });
  const counters = readList(memory, w(F_COUNTERS), COUNTER_BYTES, `flavor "${name}" counters`, (c) => {
    const key = cString(memory, word(memory, c));
    if (key === null) return null;
    const str = (off: number) => cString(memory, word(memory, c + off)) ?? '';
    return { key, label: str(4) || key, group: str(8), description: str(12), cell: word(memory, c + 16) };
  });
  const pointsPtr = w(F_POINTS);
  const points = pointsPtr === 0 ? null
    : readList(memory, pointsPtr, 4, `flavor "${name}" points`, (p) => cString(memory, word(memory, p)));
  return {
    name, description: s(F.description), provenance: s(F.provenance), caps: w(F.caps),
    expected: s(F.expected) ?? '', scenario: s(F.scenario), needsWeakMemory: w(F.weak) !== 0,
    fns, threads, counters, points,
  };
}

/** Compiles and probes a module. Throws an Error saying what the module lacks. */
export function loadImage(bytes: Uint8Array, label: string): CImage {
  const module = new WebAssembly.Module(bytes);
  const limits = importedMemoryLimits(bytes);
  if (!limits || !limits.shared || limits.maxPages === undefined) {
    throw new Error('does not import a shared memory with a maximum (link with --import-memory --shared-memory --max-memory)');
  }
  const memory = new WebAssembly.Memory({ initial: limits.minPages, maximum: limits.maxPages, shared: true });
  const instance = new WebAssembly.Instance(module, { env: { memory, ...inertImports(module, label) } });
  const ex = instance.exports;
  const list = ex.rt_flavors;
  if (typeof list !== 'function') throw new Error('exports no rt_flavors (declare its flavors with RT_FLAVORS(&a, ...))');
  const flavors = readList(memory, (list as () => number)() >>> 0, 4, 'RT_FLAVORS', (p) => {
    const f = word(memory, p);
    return f === 0 ? null : readFlavor(memory, f);
  });
  for (const need of ['__indirect_function_table', '__wasm_init_tls', 'rt_callback_fn']) {
    if (!(need in ex)) throw new Error(`exports no ${need} (was it linked with the rcutorture flags and include/rcutorture-rt.c?)`);
  }
  return {
    module, flavors,
    heapBase: globalValue(ex, '__heap_base'),
    tlsSize: globalValue(ex, '__tls_size'),
    tlsAlign: globalValue(ex, '__tls_align'),
    minPages: limits.minPages, maxPages: limits.maxPages,
  };
}
