/**
 * The flavor adapter: a C flavor descriptor of a compiled module becomes an
 * RcuFlavor, which the harness runs like any other on either engine.
 *
 * Memory: the run's heap is a shared WebAssembly.Memory. The module's image
 * (data, bss) sits below __heap_base, where the harness lays nothing (see
 * reservedCells); the flavor's own regions are one stack and one TLS block
 * per thread slot, plus one for the main thread (after the last slot).
 * attach() instantiates the module on that memory, with the ABI's imports
 * bound to the thread's Platform, and points the instance at its stack and
 * TLS before any other call (every instance starts with the same
 * __stack_pointer).
 */
import { type AttachConfig, type CounterSpec, type FailureClass, type FlavorCaps, type RcuFlavor, type RcuInstance } from '../rcu/flavor.js';
import type { Platform } from '../platform/platform.js';
import { CACHE_LINE_CELLS, type Heap } from '../shm/layout.js';
import { CThreadExit, platformImports } from './imports.js';
import type { CFlavorDesc, CEntry, CImage } from './image.js';
import { guard } from './traps.js';

/** Bytes of C stack per thread. */
export const STACK_BYTES = 64 * 1024;
/** Stack alignment the wasm32 C ABI wants. */
const STACK_ALIGN_CELLS = 4;

const CAPS: [number, keyof FlavorCaps][] = [
  [1 << 0, 'callRcu'], [1 << 1, 'drain'], [1 << 2, 'barrier'], [1 << 3, 'force'], [1 << 4, 'fifoCallbacks'], [1 << 5, 'qsbr'],
];
const COUNTER_GROUPS: CounterSpec['group'][] = ['grace periods', 'callbacks', 'readers', 'unsolicited'];
/** A capability the harness only exercises through an entry point the descriptor must then have. */
const CAP_ENTRIES: [keyof FlavorCaps, CEntry][] = [['drain', 'drain'], ['barrier', 'barrier'], ['force', 'force'], ['qsbr', 'quiescent_state']];
const REQUIRED: CEntry[] = ['register_thread', 'unregister_thread', 'read_lock', 'read_unlock', 'synchronize', 'call_rcu'];

const images = new WeakMap<RcuFlavor, CImage>();

/** The compiled image behind a C flavor; undefined for a TypeScript one. */
export function cImageOf(flavor: RcuFlavor): CImage | undefined {
  return images.get(flavor);
}

/**
 * Bytes between two threads' TLS blocks: whole cache lines, as native threads'
 * blocks never share one (a thread-local rcu_reader, as in QEMU, would else
 * drag its neighbour's from core to core at every section).
 */
const tlsAlignBytes = (img: CImage) => Math.max(img.tlsAlign, CACHE_LINE_CELLS * 4);
const tlsStride = (img: CImage) => Math.ceil(Math.max(img.tlsSize, 4) / tlsAlignBytes(img)) * tlsAlignBytes(img);

function checkDesc(d: CFlavorDesc): { caps: FlavorCaps; expected: FailureClass[] } {
  const it = `flavor "${d.name}"`;
  if (!/^[^\s,]+$/.test(d.name)) throw new Error(`${it}: use a name of one word without spaces or commas`);
  const missing = REQUIRED.filter((e) => d.fns[e] === 0);
  if (missing.length > 0) throw new Error(`${it} has no ${missing.join(', ')}`);
  const caps = Object.fromEntries(CAPS.map(([bit, key]) => [key, (d.caps & bit) !== 0])) as unknown as FlavorCaps;
  for (const [cap, entry] of CAP_ENTRIES) {
    if (caps[cap] && d.fns[entry] === 0) throw new Error(`${it} declares the ${cap} capability but has no ${entry}`);
  }
  const expected = d.expected.split(',').map((s) => s.trim()).filter(Boolean);
  // The names are checked against the harness's vocabulary where every flavor's are (checks/classes.ts).
  const group = d.counters.find((c) => !(COUNTER_GROUPS as string[]).includes(c.group));
  if (group) throw new Error(`${it} counter "${group.key}" has group "${group.group}"; use one of ${COUNTER_GROUPS.join(', ')}`);
  if (d.threads.some((t) => t.run === 0)) throw new Error(`${it} has a background thread without run`);
  return { caps, expected: expected as FailureClass[] };
}

/** The RcuFlavors of a loaded image. Throws an Error naming what a descriptor lacks. */
export function cFlavors(img: CImage, source: string): RcuFlavor[] {
  if (img.flavors.length === 0) throw new Error('RT_FLAVORS lists no flavor');
  return img.flavors.map((d) => {
    const { caps, expected } = checkDesc(d);
    const flavor: RcuFlavor = {
      name: d.name,
      kind: 'variant',
      description: d.description ?? `C flavor from ${source}`,
      provenance: d.provenance ?? source,
      caps,
      ...(expected.length > 0 ? { expected } : {}),
      ...(d.scenario ? { scenario: d.scenario } : {}),
      ...(d.needsWeakMemory ? { needsWeakMemory: true } : {}),
      counterSpecs: d.counters.map((c) => ({ key: c.key, label: c.label, group: c.group as CounterSpec['group'], description: c.description })),
      ...(d.points ? { points: d.points } : {}),
      layout: (cfg) => [
        // Slot maxThreads is the main thread's.
        { name: 'c.stacks', words: ((cfg.maxThreads + 1) * STACK_BYTES) / 4, align: STACK_ALIGN_CELLS },
        { name: 'c.tls', words: ((cfg.maxThreads + 1) * tlsStride(img)) / 4, align: tlsAlignBytes(img) / 4 },
      ],
      attach: (platform, heap, cfg) => attachC(img, d, platform, heap, cfg),
    };
    images.set(flavor, img);
    return flavor;
  });
}

function detached(d: CFlavorDesc): RcuInstance {
  const fail = (): never => { throw new Error(`C flavor "${d.name}" was attached without the run's WebAssembly.Memory`); };
  return {
    registerThread: fail, unregisterThread: fail, readLock: fail, readUnlock: fail, synchronize: fail, callRcu: fail,
    background: d.threads.map((t) => ({ name: t.name, run: fail })),
  };
}

function attachC(img: CImage, d: CFlavorDesc, platform: Platform, heap: Heap, cfg: AttachConfig): RcuInstance {
  const memory = cfg.memory;
  // planRun attaches off any heap only to learn the background threads' names.
  if (!memory) return detached(d);
  const label = `C flavor "${d.name}"`;
  let stop: (() => boolean) | null = null;
  const imports = platformImports(platform, memory, {
    label,
    invoke: (fn, cell) => cfg.invoke(fn, cell),
    shouldStop: () => (stop ? stop() : false),
  });
  const ex = new WebAssembly.Instance(img.module, { env: { memory, ...imports } }).exports;
  const index = cfg.slot < 0 ? cfg.maxThreads : cfg.slot;
  const sp = ex.__stack_pointer;
  if (!(sp instanceof WebAssembly.Global)) throw new Error(`${label}: the module exports no __stack_pointer`);
  sp.value = (heap.base('c.stacks') + ((index + 1) * STACK_BYTES) / 4) * 4;
  (ex.__wasm_init_tls as (p: number) => void)(heap.base('c.tls') * 4 + index * tlsStride(img));

  const table = ex.__indirect_function_table as WebAssembly.Table;
  const entry = <A extends number[], R>(name: string, slot: number): ((...a: A) => R) =>
    guard(label, name, table.get(slot) as (...a: A) => R);
  const opt = <A extends number[], R>(e: CEntry) => (d.fns[e] !== 0 ? entry<A, R>(e, d.fns[e]) : undefined);
  const callbackFn = ex.rt_callback_fn as (id: number) => number;

  const call_rcu = entry<[number, number], void>('call_rcu', d.fns.call_rcu);
  const gp_seq = opt<[], number>('gp_seq');
  const add_force_notifier = opt<[number], void>('add_force_notifier');
  const i32 = new Int32Array(memory.buffer);
  const inst: RcuInstance = {
    registerThread: entry<[number], void>('register_thread', d.fns.register_thread),
    unregisterThread: entry('unregister_thread', d.fns.unregister_thread),
    readLock: entry('read_lock', d.fns.read_lock),
    readUnlock: entry('read_unlock', d.fns.read_unlock),
    synchronize: entry('synchronize', d.fns.synchronize),
    callRcu: (node, fn) => {
      const f = callbackFn(fn);
      if (f === 0) throw new Error(`${label}: callback id ${fn} has no trampoline in include/rcutorture-rt.c`);
      call_rcu(node * 4, f);
    },
    quiescentState: opt('quiescent_state'),
    offline: opt('offline'),
    online: opt('online'),
    drain: opt('drain'),
    barrier: opt('barrier'),
    forceRcu: opt('force'),
    addForceNotifier: add_force_notifier && ((cell) => add_force_notifier(cell * 4)),
    gpSeq: gp_seq && (() => gp_seq() | 0),
    // The harness reads the counter cells itself: no call into the module.
    counters: d.counters.length === 0 ? undefined
      : () => Object.fromEntries(d.counters.map((c) => [c.key, Atomics.load(i32, c.cell >>> 2) >>> 0])),
    background: d.threads.map((t) => {
      const run = entry<[number], void>(`thread ${t.name}`, t.run);
      return {
        name: t.name,
        run: (stopFn, slot) => {
          stop = stopFn;
          try {
            run(slot);
          } catch (e) {
            if (!(e instanceof CThreadExit)) throw e;
          } finally {
            stop = null;
          }
        },
      };
    }),
  };
  for (const k of Object.keys(inst) as (keyof RcuInstance)[]) if (inst[k] === undefined) delete inst[k];
  return inst;
}
