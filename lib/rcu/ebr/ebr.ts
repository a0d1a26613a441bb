/**
 * ebr: epoch-based reclamation in the style of crossbeam-epoch (after
 * Fraser's EBR). VARIANTS.md, section ebr.
 *
 * A global epoch; a reader pins itself by publishing the epoch it saw with
 * an "active" bit, then a full fence. The epoch advances from e to e+1 only
 * when every pinned reader has observed e. Garbage retired in epoch e is
 * freed once the global epoch reaches e+2: every reader that could still
 * hold it has unpinned by then. synchronize() = wait for two advances.
 *
 * Deferred callbacks go first into the calling thread's own bag (crossbeam's
 * `Local::bag`, touched by no other thread), which is pushed to the global
 * queue when it holds BAG_CAPACITY callbacks (crossbeam's `Bag::try_push`
 * failing, then `Global::push_bag`), when the thread drains or synchronizes
 * (crossbeam's `Guard::flush`) and when it unregisters (crossbeam's
 * `Local::finalize`, which pushes the bag of a thread that goes away). A collector thread takes
 * nodes off the global queue, seals them in the bag of the epoch current
 * when it takes them, drives the epoch forward while bags wait, and frees
 * bags in epoch order, so callbacks run in FIFO order per producer.
 *
 * Where it differs from crossbeam:
 * - crossbeam's global queue holds sealed bags, each sealed with the epoch
 *   at push time, and every pinning thread collects a few now and then
 *   (`Global::collect` every 128 pins); here the global queue holds the
 *   pushed bag's nodes (the shared MPSC queue: an rcu_head has no room for a
 *   seal), the collector seals them at dequeue (an epoch no earlier than the
 *   push: conservative) and a collector thread does all collecting, since
 *   call_rcu promises that callbacks run without further calls.
 * - crossbeam has no rcu_barrier and cannot have one: another thread's local
 *   bag is that thread's alone until it pushes it. So the flavor offers drain
 *   (the caller's own callbacks: flush, then a marker behind them) and not
 *   barrier (every thread's), and its caps say so.
 * - crossbeam's MAX_OBJECTS is 64 (4 under its sanitizer); so is BAG_CAPACITY.
 *
 * Epochs here count up (the three-bag {0,1,2} scheme is epoch mod 3), and
 * gpSeq is the epoch itself: one advance is half a grace period in rcu_seq
 * terms, since a reader pinned at e still lets the epoch reach e+1 (counting
 * each advance as a whole grace period would claim a grace period ended
 * under a pinned reader). A section pinned at p <= e, with e read after the
 * pin, blocks the advance to e+2 (the pin has not seen e+1), which is
 * gpSeqSnap(e) for even e and before gpSeqSnap(e) for odd e. A bag is freed
 * when gpSeqDone(epoch, gpSeqSnap(its epoch)): two advances after an even
 * epoch, three after an odd one, so a callback never runs before the
 * gpSeqSnap the harness took when it was queued (at an epoch <= the bag's).
 */
import type { Platform } from '../../platform/platform.js';
import { CACHE_LINE_CELLS, wholeLines, type Heap, type RegionSpec } from '../../shm/layout.js';
import { gpSeqDone, gpSeqSnap, type AttachConfig, type BackgroundThread, type FlavorConfig, type RcuFlavor, type RcuInstance } from '../flavor.js';
import { Event, eventInit } from '../../shm/event.js';
import { QUEUE_POINTS, READ_SIDE_POINTS } from '../common/points.js';
import { HEAD_FUNC, MPSC_QUEUE_WORDS, MpscQueue, mpscQueueInit } from '../../shm/mpsc-queue.js';
import { MARKER_DONE, MARKER_WORDS, invokeNode, queueMarker } from '../common/markers.js';

/**
 * Control cells, each group on a cache line of its own (crossbeam pads its
 * global epoch): the epoch every pin loads; what an unpin looks at and
 * bumps while updaters wait; the collector's event, set at every call_rcu.
 */
const C = {
  EPOCH: 0,
  WAITERS: CACHE_LINE_CELLS,          // updaters waiting for an unpin
  UNPIN_SEQ: CACHE_LINE_CELLS + 1,    // bumped (and woken) by an unpin while someone waits
  READY: 2 * CACHE_LINE_CELLS,        // event: call_rcu queued something for the collector
  SIZE: 2 * CACHE_LINE_CELLS + 1,
} as const;

/** Per-slot cells, a cache line each (crossbeam's CachePadded Local): the pin, then a drain marker (rcu_head + done event). */
const P = {
  PIN: 0,         // 0 unpinned, else (epoch << 1) | ACTIVE
  MARKER: 1,      // a marker (common/markers.ts): rcu_head + done event
  SIZE: wholeLines(1 + MARKER_WORDS),
} as const;
const ACTIVE = 1;
/** How long an idle collector or a blocked advance waits before looking again. */
const IDLE_POLL_MS = 100;
const ADVANCE_POLL_MS = 10;
/** Callbacks a thread's local bag holds before it is pushed to the global queue (crossbeam's MAX_OBJECTS). */
export const BAG_CAPACITY = 64;

function ebrLayout(cfg: FlavorConfig): RegionSpec[] {
  return [
    {
      name: 'control', words: C.SIZE, align: CACHE_LINE_CELLS,
      init: () => { const c = new Array<number>(C.SIZE).fill(0); c[C.READY] = eventInit(false); return c; },
    },
    { name: 'queue', words: MPSC_QUEUE_WORDS, init: mpscQueueInit, align: CACHE_LINE_CELLS },
    {
      name: 'pins',
      words: P.SIZE * cfg.maxThreads,
      align: CACHE_LINE_CELLS,
      init: () => {
        const a = new Array<number>(P.SIZE * cfg.maxThreads).fill(0);
        for (let s = 0; s < cfg.maxThreads; s++) a[s * P.SIZE + P.MARKER + MARKER_DONE] = eventInit(false);
        return a;
      },
    },
  ];
}

/** Garbage retired in one epoch. */
interface Bag { epoch: number; nodes: number[] }

export class Ebr implements RcuInstance {
  private readonly ctl: number;
  private readonly pins: number;
  private readonly queue: MpscQueue;
  private readonly ready: Event;
  private me = -1;
  private depth = 0;
  /** This thread's bag of deferred callbacks (crossbeam's Local::bag): rcu_head addresses, oldest first. */
  protected local: number[] = [];
  readonly background: BackgroundThread[];

  constructor(private readonly p: Platform, heap: Heap, private readonly cfg: AttachConfig) {
    this.ctl = heap.base('control');
    this.pins = heap.base('pins');
    this.queue = new MpscQueue(p, heap.base('queue'));
    this.ready = new Event(p, this.ctl + C.READY);
    this.background = [{ name: 'ebr-collector', run: (stop) => this.collector(stop) }];
  }

  private pin(slot: number): number { return this.pins + slot * P.SIZE + P.PIN; }
  private epoch(): number { return this.p.load(this.ctl + C.EPOCH, 'acquire'); }

  registerThread(slot: number): void {
    if (this.p.load(this.pin(slot)) !== 0) throw new Error(`ebr register: slot ${slot} is pinned`);
    this.me = this.pin(slot);
  }

  /** crossbeam's Local::finalize: the bag of a thread that goes away is pushed, never dropped. */
  unregisterThread(): void {
    if (this.depth !== 0) throw new Error('ebr unregister while pinned');
    this.pushBag();
    this.me = -1;
  }

  readLock(): void {
    if (this.depth++ > 0) return;
    const p = this.p;
    const e = this.epoch();
    p.point('read_lock:after-load');
    p.store(this.me, (e << 1) | ACTIVE, 'relaxed');
    // The pin must be visible before any load of protected data.
    p.fence();
  }

  readUnlock(): void {
    if (this.depth <= 0) throw new Error('ebr unpin without pin');
    if (--this.depth > 0) return;
    const p = this.p;
    p.store(this.me, 0, 'release');
    p.fence();
    p.point('read_unlock:before-wake');
    if (p.load(this.ctl + C.WAITERS) > 0) {
      p.fetchAdd(this.ctl + C.UNPIN_SEQ, 1);
      p.wake(this.ctl + C.UNPIN_SEQ);
    }
  }

  /** crossbeam's try_advance: move e -> e+1 if every pinned reader has seen e. */
  private tryAdvance(): boolean {
    const p = this.p;
    const e = this.epoch();
    p.fence();
    for (let s = 0; s < this.cfg.maxThreads; s++) {
      const v = p.load(this.pin(s), 'acquire');
      if (v !== 0 && v >>> 1 !== e) return false;
    }
    // Losing the race is fine: somebody else advanced past e.
    p.compareExchange(this.ctl + C.EPOCH, e, e + 1);
    return true;
  }

  /** One advance, sleeping until some reader unpins while one blocks it (at most `ms`). */
  private advance(ms?: number): void {
    const p = this.p;
    p.fetchAdd(this.ctl + C.WAITERS, 1);
    try {
      const seq = p.load(this.ctl + C.UNPIN_SEQ);
      // WAITERS is raised before the scan: an unpin the scan missed bumps UNPIN_SEQ.
      if (!this.tryAdvance()) {
        p.point('wait_for_readers:before-wait');
        p.wait(this.ctl + C.UNPIN_SEQ, seq, ms);
      }
    } finally {
      p.fetchAdd(this.ctl + C.WAITERS, -1);
    }
  }

  synchronize(): void {
    // A thread about to wait for grace periods flushes first (as crossbeam users call
    // Guard::flush before blocking): its deferred callbacks ride on the same advances,
    // and a thread that mostly synchronizes never leaves a bag waiting to fill.
    this.pushBag();
    const target = this.epoch() + 2;
    while (this.epoch() - target < 0) this.advance();
  }

  /** crossbeam's Guard::defer: into this thread's bag, pushed once the bag is full. */
  callRcu(node: number, fn: number): void {
    this.p.store(node + HEAD_FUNC, fn, 'relaxed');
    this.local.push(node);
    if (this.local.length >= BAG_CAPACITY) this.pushBag();
  }

  /** crossbeam's Global::push_bag: hand this thread's bag to the collector, oldest first. */
  protected pushBag(): void {
    if (this.local.length === 0) return;
    const bag = this.local;
    this.local = [];
    // Each enqueue's release store publishes the node (and the caller's stores before call_rcu).
    for (const node of bag) this.queue.enqueue(node);
    this.ready.set();
  }

  /** drain_call_rcu: flush this thread's bag with a marker behind it (crossbeam's Guard::flush), wait for the marker. */
  drain(): void {
    queueMarker(this.p, this.pins + this.cfg.slot * P.SIZE + P.MARKER, (node, fn) => {
      this.callRcu(node, fn);
      this.pushBag();
    }).wait();
  }

  gpSeq(): number { return this.epoch(); }

  private collector(stop: () => boolean): void {
    const bags: Bag[] = [];
    const gather = () => {
      for (let node = this.queue.tryDequeue(); node !== 0; node = this.queue.tryDequeue()) {
        const e = this.epoch();
        const last = bags[bags.length - 1];
        if (last && last.epoch === e) last.nodes.push(node);
        else bags.push({ epoch: e, nodes: [node] });
      }
    };
    while (!stop()) {
      gather();
      if (bags.length === 0) {
        this.ready.reset();
        gather();
        if (bags.length === 0) this.ready.timedwait(IDLE_POLL_MS);
        continue;
      }
      if (gpSeqDone(this.epoch(), gpSeqSnap(bags[0].epoch))) {
        for (const node of bags.shift()!.nodes) this.invoke(node);
        // Callbacks re-queued by those just run (pipe advances, probes) went into
        // the collector's own bag: hand them on at once, nothing else would.
        this.pushBag();
      } else {
        this.advance(ADVANCE_POLL_MS);
      }
    }
  }

  private invoke(node: number): void { invokeNode(this.p, node, (fn, n) => this.cfg.invoke(fn, n)); }
}

export const ebr: RcuFlavor = {
  name: 'ebr',
  kind: 'variant',
  description: 'epoch-based reclamation, crossbeam style: pinned readers, epoch advances when all have seen it, per-thread bags of deferred callbacks, free at e+2',
  provenance: 'crossbeam-epoch (after K. Fraser, "Practical lock-freedom", 2004)',
  // drain, not barrier: other threads' local bags are out of reach (see the top of the file).
  caps: { callRcu: true, drain: true, barrier: false, force: false, fifoCallbacks: true, qsbr: false },
  counterSpecs: [],
  points: [...READ_SIDE_POINTS, ...QUEUE_POINTS, 'wait_for_readers:before-wait'],
  layout: ebrLayout,
  attach: (p, heap, cfg) => new Ebr(p, heap, cfg),
};
