/**
 * The harness's part of the run's shared memory: control cells, one slot per
 * thread, the torture element pool, the callback-node pool and per-thread
 * statistics. The flavor's regions sit beside these under a prefix.
 *
 * Per-thread statistics are Float64 (reads overflow int32 in minutes); only
 * the owning thread writes them, the main thread only reads.
 */
import { CACHE_LINE_CELLS, wholeLines, type LayoutPlan, type RegionSpec } from '../../lib/shm/layout.js';
import { RCU_HEAD_WORDS } from '../../lib/shm/mpsc-queue.js';
import { FAILURE_CLASSES } from '../checks/classes.js';

export const FLAVOR_PREFIX = 'flavor.';

/**
 * Control cells. The first cache line holds what every reader loads on its
 * hot path (the current element, the phase, the stutter flag); the second
 * what changes at every allocation, callback or statistics tick, so that
 * those stores do not take the readers' line away from them.
 */
export const H = {
  ABORT: 0,         // non-zero: tear down, every Platform wait throws
  PHASE: 1,         // Phase below
  BG_STOP: 2,       // background threads stop
  CURRENT: 3,       // rcu_torture_current: the RCU-protected pointer
  PAUSED: 4,        // stutter: roles hold still while non-zero
  FREE_LOCK: CACHE_LINE_CELLS,      // protects the element free list
  FREE_HEAD: CACHE_LINE_CELLS + 1,
  FREE_COUNT: CACHE_LINE_CELLS + 2,
  LAST_INVOKE_MS: CACHE_LINE_CELLS + 3,
  STALL_MS: CACHE_LINE_CELLS + 4,   // the stall clock in whole ms, as the main thread last published it (run/stall-clock.ts)
  SIZE: 2 * CACHE_LINE_CELLS,
} as const;

export const enum Phase { Run = 0, Stop = 1 }

/** Thread slot cells: a cache line per slot (a reader's heartbeat store must not take an updater's line). */
export const S = {
  STARTED: 0,          // set to 1 by the role once its worker has attached and is about to run
  ACTIVITY: 1,
  ACTIVITY_SINCE: 2,   // ms since run start
  OP: 3,               // UpdaterOp in progress, 0 = none
  OP_SINCE: 4,
  KICK: 5,             // force-notifier cell: the flavor adds 1 and wakes
  HEARTBEAT: 6,        // bumped by the role as it loops (RoleContext.beat); still = hung outside RCU calls
  PARKED: 7,           // cell this thread is blocked on in Platform.wait, plus one (0 = not waiting)
  OS_TID: 8,           // OS thread id of the worker running this slot's role, once it runs (-1: unknown; 0: not yet)
  SIZE: CACHE_LINE_CELLS,
} as const;

export const enum Activity { Outside = 0, Section = 1, Sleeping = 2, BusyLoop = 3, Offline = 4, Updating = 5, Exited = 6 }
export const ACTIVITY_NAMES = ['outside', 'short section', 'sleeping in section', 'busy loop waiting for a kick', 'offline', 'in an update', 'exited'];

export const enum UpdaterOp { None = 0, Synchronize = 1, CallRcu = 2, Drain = 3, Barrier = 4, Force = 5, Liveness = 6 }
export const UPDATER_OP_NAMES = ['none', 'synchronize', 'call_rcu', 'drain', 'barrier', 'force_rcu', 'end-of-run liveness'];

/**
 * Header the harness keeps after the rcu_head of every callback it queues:
 * enough to catch duplicates, premature invocation and broken FIFO order.
 */
export const CB = {
  QUEUED: RCU_HEAD_WORDS,       // 1 from call_rcu until invocation
  PRODUCER: RCU_HEAD_WORDS + 1, // slot of the queuing thread
  PSEQ: RCU_HEAD_WORDS + 2,     // per-producer sequence number
  SNAP: RCU_HEAD_WORDS + 3,     // gpSeq snapshot a full grace period must pass
  QTIME: RCU_HEAD_WORDS + 4,    // ms since start when queued
  SIZE: RCU_HEAD_WORDS + 5,
} as const;

/**
 * Torture elements (struct rcu_torture): callback header, then the payload;
 * a cache line each, so that the writer preparing the next element does not
 * take the line of the one readers hold.
 */
export const E = {
  PIPE: CB.SIZE,
  MBTEST: CB.SIZE + 1,
  GEN: CB.SIZE + 2,
  DATA: CB.SIZE + 3,       // a value derived from GEN; POISON once freed
  STATE: CB.SIZE + 4,      // ElementState
  NEXT: CB.SIZE + 5,       // free list / writer's removed list link
  SIZE: wholeLines(CB.SIZE + 6),
} as const;
export const enum ElementState { Free = 0, Current = 1, RemovedSync = 2, CallbackPending = 3 }
export const POISON = 0x6b6b6b6b;
/** rcutorture's RCU_TORTURE_PIPE_LEN. */
export const PIPE_LEN = 10;

/** Callback nodes owned by fakewriters. */
export const N = {
  STATE: CB.SIZE,   // 0 free, 1 queued
  OWNER: CB.SIZE + 1,
  SIZE: CB.SIZE + 2,
} as const;

/**
 * Per-producer callback counts, for the barrier/drain check: QUEUED is the
 * PSEQ of the producer's last call_rcu that has returned (published after
 * the return, so a snapshot never counts a call_rcu still in progress);
 * INVOKED how many of its callbacks have been invoked (any thread adds).
 */
export const Q = { QUEUED: 0, INVOKED: 1, SIZE: 2 } as const;

/**
 * One forward-progress probe per flooder: a callback that re-posts itself
 * (rcutorture's rcu_fwd_cb). AT holds the times of its last three events
 * (post, then each invocation), event k at AT + k % 3.
 */
export const FWD = {
  NODE: 0,          // the probe's callback node (0: no probe)
  LAUNDERS: 1,      // invocations so far
  AT: 2,            // 3 cells: ms since start of events k-2, k-1, k (mod 3)
  SEQ_AT_POST: 5,   // gpSeq when the outstanding launder was posted
  MAX_WAIT_MS: 6,   // the longest a launder waited (post to invocation)
  GPS_MAX: 7,       // the most grace periods one launder waited through
  SEQ0: 8,          // gpSeq when the probe was first posted (grace periods during the flood)
  LATE_MS: 9,       // the first launder that came back late: how long it waited (0 = none yet)
  LATE_GPS: 10,     // ... and through how many grace periods
  INV_AT_POST: 11,  // callbacks invoked (all producers) when the outstanding launder was posted
  LATE_INV: 12,     // callbacks invoked while the late launder waited
  STALL_AT_POST: 13, // the stall clock (run/stall-clock.ts) when the outstanding launder was posted
  SIZE: 14,
} as const;
/** As many probes as the scenario schema allows flooders. */
export const MAX_FLOODERS = 16;

/** Per-thread statistics (Float64 indices). */
export const ST = {
  READS: 0,
  PIPE: 1,                       // 11 buckets
  BATCH: 12,                     // 11 buckets
  WCOUNT: 23,                    // Free-Block Circulation, 11 buckets
  VERSIONS: 34,
  ALLOC_FAIL: 35,
  CB_QUEUED: 36,
  CB_INVOKED: 37,
  SYNCS: 38,
  DRAINS: 39,
  BARRIERS: 40,
  FORCES: 41,
  KICKS_SEEN: 42,
  ERR_BASE: 43,                  // one per FailureClass, in FAILURE_CLASSES order
  READ_MS: 60,                   // how long this reader spent in its loop (for per-thread rates)
  FAULT_BASE: 64,                // fault coverage, one per FAULT_COUNTERS entry (torture/faults/coverage.ts)
  SIZE: 80,
} as const;

if ((2 * ST.SIZE) % CACHE_LINE_CELLS !== 0) throw new Error('a thread\'s statistics block must be whole cache lines');

// Fixed layout, checked once at load: one error counter per failure class
// between ERR_BASE and READ_MS (a new class past the room would silently
// count as reader milliseconds).
if (ST.ERR_BASE + FAILURE_CLASSES.length > ST.READ_MS) {
  throw new Error(`${FAILURE_CLASSES.length} failure classes overflow the statistics block (room for ${ST.READ_MS - ST.ERR_BASE} at ST.ERR_BASE)`);
}

export interface HarnessSizes {
  threads: number;
  elements: number;
  cbNodes: number;
}

export function harnessRegions(sz: HarnessSizes): RegionSpec[] {
  return [
    { name: 'h.control', words: H.SIZE, align: CACHE_LINE_CELLS },
    { name: 'h.slots', words: S.SIZE * sz.threads, align: CACHE_LINE_CELLS },
    { name: 'h.elements', words: E.SIZE * sz.elements, align: CACHE_LINE_CELLS },
    { name: 'h.cbnodes', words: N.SIZE * sz.cbNodes },
    { name: 'h.fifo', words: sz.threads },                      // last PSEQ invoked per producer
    { name: 'h.cbseq', words: Q.SIZE * sz.threads },            // per-producer queued/invoked counts (checks/drain.ts)
    { name: 'h.fwd', words: FWD.SIZE * MAX_FLOODERS },         // forward-progress probes (faults/forward-progress.ts)
    // Float64, and each thread's block on lines of its own (ST.SIZE is whole lines).
    { name: 'h.stats', words: 2 * ST.SIZE * sz.threads, align: CACHE_LINE_CELLS },
  ];
}

/** Typed access to the harness regions of a run's buffer. */
export class SharedRun {
  readonly i32: Int32Array;
  readonly f64: Float64Array;
  readonly ctl: number;
  readonly slots: number;
  readonly elements: number;
  readonly cbNodes: number;
  readonly fifo: number;
  readonly cbSeq: number;
  readonly fwd: number;
  private readonly statsBase: number;

  constructor(readonly sab: SharedArrayBuffer, readonly plan: LayoutPlan, readonly sizes: HarnessSizes) {
    this.i32 = new Int32Array(sab);
    this.f64 = new Float64Array(sab);
    const r = plan.regions;
    this.ctl = r['h.control'].base;
    this.slots = r['h.slots'].base;
    this.elements = r['h.elements'].base;
    this.cbNodes = r['h.cbnodes'].base;
    this.fifo = r['h.fifo'].base;
    this.cbSeq = r['h.cbseq'].base;
    this.fwd = r['h.fwd'].base;
    this.statsBase = r['h.stats'].base / 2;
  }

  cell(h: number): number { return this.ctl + h; }
  slot(s: number): number { return this.slots + s * S.SIZE; }
  element(i: number): number { return this.elements + i * E.SIZE; }
  cbNode(i: number): number { return this.cbNodes + i * N.SIZE; }
  /** Producer `s`'s callback counts (Q). */
  producer(s: number): number { return this.cbSeq + s * Q.SIZE; }
  /** Callbacks invoked so far, over all producers (Q.INVOKED summed; any thread). */
  invokedTotal(): number {
    let n = 0;
    for (let s = 0; s < this.sizes.threads; s++) n += Atomics.load(this.i32, this.producer(s) + Q.INVOKED);
    return n;
  }
  /** Flooder `i`'s forward-progress probe (FWD). */
  probe(i: number): number { return this.fwd + i * FWD.SIZE; }
  /** Float64 index of thread `s`'s statistics. */
  stats(s: number): number { return this.statsBase + s * ST.SIZE; }

  /** Sum of one statistic over all threads (main thread). */
  total(stat: number): number {
    let t = 0;
    for (let s = 0; s < this.sizes.threads; s++) t += this.f64[this.stats(s) + stat];
    return t;
  }
}
