/**
 * The ABI's imports (include/rcutorture.h) bound to one thread's Platform.
 * C addresses are bytes, Platform cells are 32-bit words: cell = ptr >> 2.
 * Every import is exactly one Platform call, so under the simulation engine
 * each is one scheduling point and TSO sees the order the C code asked for.
 */
import type { MemoryOrder, Platform, WaitResult } from '../platform/platform.js';
import { cString } from './strings.js';

/** enum rt_order. */
const ORDERS: MemoryOrder[] = ['relaxed', 'acquire', 'release', 'seq_cst'];
/** enum rt_wait_result. */
const WAIT_CODES: Record<WaitResult, number> = { ok: 0, 'not-equal': 1, 'timed-out': 2 };

export interface ImportHooks {
  /** The harness's callback table (AttachConfig.invoke), with a cell address. */
  invoke(fn: number, cell: number): void;
  /** Whether the background thread running now must return. */
  shouldStop(): boolean;
  /** Names the flavor in messages. */
  label: string;
}

/** Thrown by rt_thread_exit: unwinds a background thread's run() as if it had returned. */
export class CThreadExit extends Error {
  constructor() {
    super('rt_thread_exit');
    this.name = 'CThreadExit';
  }
}

export class CAbort extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CAbort';
  }
}

type ImportFn = (...args: number[]) => number | void;

export function platformImports(p: Platform, memory: WebAssembly.Memory, hooks: ImportHooks): Record<string, ImportFn> {
  const order = (o: number): MemoryOrder => {
    const m = ORDERS[o];
    if (m === undefined) throw new CAbort(`${hooks.label}: memory order ${o} is not one of RT_RELAXED..RT_SEQ_CST`);
    return m;
  };
  const cell = (ptr: number, what: string): number => {
    if (ptr & 3) throw new CAbort(`${hooks.label}: ${what} on address 0x${(ptr >>> 0).toString(16)}, which is not 4-byte aligned`);
    if (ptr === 0) throw new CAbort(`${hooks.label}: ${what} on a NULL pointer`);
    return ptr >>> 2;
  };
  // Point names are constants: decode each pointer once.
  const names = new Map<number, string>();
  return {
    rt_load: (ptr, o) => p.load(cell(ptr, 'rt_load'), order(o)),
    rt_store: (ptr, v, o) => p.store(cell(ptr, 'rt_store'), v, order(o)),
    rt_exchange: (ptr, v, o) => p.exchange(cell(ptr, 'rt_exchange'), v, order(o)),
    rt_cmpxchg: (ptr, e, d, o) => p.compareExchange(cell(ptr, 'rt_cmpxchg'), e, d, order(o)),
    rt_fetch_add: (ptr, v, o) => p.fetchAdd(cell(ptr, 'rt_fetch_add'), v, order(o)),
    rt_fetch_or: (ptr, v, o) => p.fetchOr(cell(ptr, 'rt_fetch_or'), v, order(o)),
    rt_fetch_and: (ptr, v, o) => p.fetchAnd(cell(ptr, 'rt_fetch_and'), v, order(o)),
    rt_fence: () => p.fence(),
    rt_wait: (ptr, expected, timeoutMs) => WAIT_CODES[p.wait(cell(ptr, 'rt_wait'), expected, timeoutMs < 0 ? undefined : timeoutMs)],
    rt_wake: (ptr, count) => p.wake(cell(ptr, 'rt_wake'), count < 0 ? undefined : count),
    rt_sleep_us: (us) => p.sleep((us >>> 0) / 1000),
    rt_now_ms: () => p.now(),
    rt_relax: () => p.relax(),
    rt_point: (ptr) => {
      let name = names.get(ptr);
      if (name === undefined) names.set(ptr, (name = cString(memory, ptr) ?? '(null)'));
      p.point(name);
    },
    rt_should_stop: () => (hooks.shouldStop() ? 1 : 0),
    rt_invoke: (fn, head) => hooks.invoke(fn, cell(head, 'rt_invoke')),
    // QEMU mode: a background thread that never returns (QEMU's call_rcu thread) ends here.
    rt_thread_exit: () => { throw new CThreadExit(); },
    rt_abort: (msg) => { throw new CAbort(`${hooks.label}: ${cString(memory, msg) ?? 'rt_abort(NULL)'}`); },
  };
}

/** Imports for an instance that must not call any (image initialisation, reading descriptors). */
export function inertImports(module: WebAssembly.Module, label: string): Record<string, ImportFn> {
  const out: Record<string, ImportFn> = {};
  for (const i of WebAssembly.Module.imports(module)) {
    if (i.module === 'env' && i.kind === 'function') {
      out[i.name] = () => { throw new CAbort(`${label}: ${i.name} called while the module was only being loaded`); };
    }
  }
  return out;
}
