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
 * call_rcu hands the node to a collector thread through the MPSC queue; the
 * collector puts it in the bag of the epoch current when it takes it off
 * the queue (no earlier than its retirement: conservative), drives the
 * epoch forward while bags wait, and frees bags in epoch order, so
 * callbacks run in FIFO order.
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
import type { Heap, RegionSpec } from '../../shm/layout.js';
import { gpSeqDone, gpSeqSnap, type AttachConfig, type BackgroundThread, type FlavorConfig, type RcuFlavor, type RcuInstance } from '../flavor.js';
import { Event, eventInit } from '../../shm/event.js';
import { QUEUE_POINTS, READ_SIDE_POINTS } from '../common/points.js';
import { HEAD_FUNC, MPSC_QUEUE_WORDS, MpscQueue, mpscQueueInit } from '../../shm/mpsc-queue.js';
import { MARKER_DONE, MARKER_WORDS, invokeNode, queueMarker } from '../common/markers.js';

/** Control cells. */
const C = {
  EPOCH: 0,
  WAITERS: 1,     // updaters waiting for an unpin
  UNPIN_SEQ: 2,   // bumped (and woken) by an unpin while someone waits
  READY: 3,       // event: call_rcu queued something for the collector
  SIZE: 4,
} as const;

/** Per-slot cells: the pin, then a barrier marker (rcu_head + done event). */
const P = {
  PIN: 0,         // 0 unpinned, else (epoch << 1) | ACTIVE
  MARKER: 1,      // a marker (common/markers.ts): rcu_head + done event
  SIZE: 1 + MARKER_WORDS,
} as const;
const ACTIVE = 1;
/** How long an idle collector or a blocked advance waits before looking again. */
const IDLE_POLL_MS = 100;
const ADVANCE_POLL_MS = 10;

function ebrLayout(cfg: FlavorConfig): RegionSpec[] {
  return [
    { name: 'control', words: C.SIZE, init: () => [0, 0, 0, eventInit(false)] },
    { name: 'queue', words: MPSC_QUEUE_WORDS, init: mpscQueueInit },
    {
      name: 'pins',
      words: P.SIZE * cfg.maxThreads,
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

  unregisterThread(): void {
    if (this.depth !== 0) throw new Error('ebr unregister while pinned');
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
    const target = this.epoch() + 2;
    while (this.epoch() - target < 0) this.advance();
  }

  callRcu(node: number, fn: number): void {
    this.p.store(node + HEAD_FUNC, fn, 'relaxed');
    this.queue.enqueue(node);
    this.ready.set();
  }

  /** rcu_barrier: a marker behind every callback this thread queued before. */
  barrier(): void {
    queueMarker(this.p, this.pins + this.cfg.slot * P.SIZE + P.MARKER, (node, fn) => this.callRcu(node, fn)).wait();
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
  description: 'epoch-based reclamation, crossbeam style: pinned readers, epoch advances when all have seen it, free at e+2',
  provenance: 'crossbeam-epoch (after K. Fraser, "Practical lock-freedom", 2004)',
  caps: { callRcu: true, drain: false, barrier: true, force: false, fifoCallbacks: true, qsbr: false },
  counterSpecs: [],
  points: [...READ_SIDE_POINTS, ...QUEUE_POINTS, 'wait_for_readers:before-wait'],
  layout: ebrLayout,
  attach: (p, heap, cfg) => new Ebr(p, heap, cfg),
};
