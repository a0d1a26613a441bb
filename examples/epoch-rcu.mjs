// @ts-check
/**
 * epoch-rcu: a small userspace RCU written for rcutorture's --impl, as an
 * example of a flavor (docs/writing-a-flavor.md walks through it).
 *
 *   npx rcutorture --impl examples/epoch-rcu.mjs --duration 20s
 *
 * Readers count themselves in one of two global counters; the parity of a
 * global epoch says which one new readers join. A grace period flips the
 * epoch, so new readers go to the other counter, and waits for the old one
 * to drain to zero. One flip per grace period is enough because a reader
 * re-reads the epoch after joining a counter and, if a flip came in between,
 * leaves and retries: a reader that stays in a counter joined it before the
 * flip that a grace period waits on it for.
 *
 * call_rcu() appends the rcu_head to one multi-producer queue; a call_rcu
 * thread takes the callbacks queued so far, waits for one grace period, runs
 * them in order. rcu_barrier() queues a marker of its own and waits for it.
 *
 * Every shared-memory access goes through the Platform `p`, never Atomics,
 * so the same code runs on real threads and under the simulation engine.
 */
import { Event, HEAD_FUNC, MPSC_QUEUE_WORDS, MpscQueue, Mutex, RCU_HEAD_WORDS, eventInit, mpscQueueInit } from '../dist/index.js';

/** @typedef {import('../dist/index.js').Platform} Platform */
/** @typedef {import('../dist/index.js').Heap} Heap */
/** @typedef {import('../dist/index.js').AttachConfig} AttachConfig */
/** @typedef {import('../dist/index.js').RcuFlavor} RcuFlavor */
/** @typedef {import('../dist/index.js').RcuInstance} RcuInstance */

// Cells of the "state" region.
const EPOCH = 0;      // bit 0: which counter new readers join
const READERS = 1;    // READERS + 0, READERS + 1: readers inside a section, per parity
const GP_LOCK = 3;    // one grace period at a time
const SEQ = 4;        // gpSeq, rcu_seq style: 2 * completed + 1 while one runs
const READY = 5;      // event: call_rcu() queued something
const BATCHES = 6;    // statistics only: batches the call_rcu thread ran
const RETRIES = 7;    // statistics only: readers that met a flip while joining
const STATE_WORDS = 8;

// rcu_barrier() markers, one per thread slot: an rcu_head and a "done" cell.
const MARKER_DONE = RCU_HEAD_WORDS;
const MARKER_WORDS = RCU_HEAD_WORDS + 1;
/** Our own callback id: negative ids never reach the harness's table. */
const BARRIER_FN = -1;

/** How often the idle call_rcu thread looks at its stop flag (the contract asks for well under a second). */
const IDLE_POLL_MS = 100;

/** @implements {RcuInstance} */
export class EpochRcu {
  /**
   * attach() runs once in every thread; it only builds views of the shared
   * state (writing shared memory here is forbidden: initial values come from
   * layout()). Fields of the instance are thread-local.
   * @param {Platform} p @param {Heap} heap @param {AttachConfig} cfg
   */
  constructor(p, heap, cfg) {
    this.p = p;
    this.cfg = cfg;
    this.state = heap.base('state');
    this.markers = heap.base('markers');
    this.queue = new MpscQueue(p, heap.base('queue'));
    this.ready = new Event(p, this.state + READY);
    this.gpLock = new Mutex(p, this.state + GP_LOCK);
    /** Read-side nesting depth, and the counter the outermost section joined. */
    this.depth = 0;
    this.idx = 0;
    this.background = [{ name: 'call_rcu', run: (/** @type {() => boolean} */ stop) => this.callRcuThread(stop) }];
  }

  // Readers keep no per-thread shared state, so there is nothing to register.
  registerThread(/** @type {number} */ _slot) {}
  unregisterThread() {}

  readLock() {
    if (this.depth++ > 0) return;
    const p = this.p;
    for (;;) {
      const idx = p.load(this.state + EPOCH, 'seq_cst') & 1;
      p.point('read_lock:after-epoch');
      // A read-modify-write is a full barrier: the join is visible before the re-check below.
      p.fetchAdd(this.state + READERS + idx, 1, 'seq_cst');
      if ((p.load(this.state + EPOCH, 'seq_cst') & 1) === idx) {
        this.idx = idx;
        return;
      }
      // A grace period flipped the epoch in between and may already have seen
      // this counter at zero: leave it and join the current one.
      this.leave(idx);
      p.fetchAdd(this.state + RETRIES, 1, 'relaxed');
    }
  }

  readUnlock() {
    if (this.depth <= 0) throw new Error('readUnlock without readLock');
    if (--this.depth > 0) return;
    this.leave(this.idx);
  }

  /** @param {number} idx */
  leave(idx) {
    const cell = this.state + READERS + idx;
    // Full barrier (the section's loads come first); the last one out wakes a waiting grace period.
    if (this.p.fetchAdd(cell, -1, 'seq_cst') === 1) this.p.wake(cell);
  }

  synchronize() {
    const p = this.p;
    this.gpLock.lock();
    p.fetchAdd(this.state + SEQ, 1, 'seq_cst');                    // odd: a grace period runs
    const old = p.fetchAdd(this.state + EPOCH, 1, 'seq_cst') & 1;  // new readers join the other counter
    p.point('synchronize:after-flip');
    const cell = this.state + READERS + old;
    // Wait for the old counter to drain; whoever takes it to zero wakes us.
    for (let n = p.load(cell, 'seq_cst'); n !== 0; n = p.load(cell, 'seq_cst')) p.wait(cell, n);
    p.fetchAdd(this.state + SEQ, 1, 'seq_cst');                    // even: one more completed
    this.gpLock.unlock();
  }

  /** @param {number} node @param {number} fn */
  callRcu(node, fn) {
    this.p.store(node + HEAD_FUNC, fn, 'relaxed');
    this.queue.enqueue(node);   // links the node with a release store
    this.ready.set();
  }

  /** rcu_barrier: every callback queued before this call has run when it returns. */
  barrier() {
    if (this.cfg.slot < 0) throw new Error('barrier() needs a thread slot');
    const p = this.p;
    const marker = this.markers + this.cfg.slot * MARKER_WORDS;
    p.store(marker + MARKER_DONE, 0, 'relaxed');
    // One FIFO queue and one consumer: the marker runs after everything queued before it.
    this.callRcu(marker, BARRIER_FN);
    while (p.load(marker + MARKER_DONE, 'acquire') === 0) p.wait(marker + MARKER_DONE, 0);
  }

  gpSeq() { return this.p.load(this.state + SEQ, 'acquire'); }

  counters() {
    return {
      callbackBatches: this.p.load(this.state + BATCHES, 'relaxed'),
      readerRetries: this.p.load(this.state + RETRIES, 'relaxed'),
    };
  }

  /**
   * The call_rcu thread. It stops when asked and only when the queue is
   * empty, so that no callback is lost at the end of a run.
   * @param {() => boolean} stop
   */
  callRcuThread(stop) {
    for (;;) {
      // Re-arm before looking, so a call_rcu() after the look still wakes us.
      this.ready.reset();
      if (this.serveBatch()) continue;
      if (stop()) return;
      this.ready.timedwait(IDLE_POLL_MS);
    }
  }

  /** One round of the call_rcu thread; false when there was nothing queued. */
  serveBatch() {
    // Take only what is queued now: all of it was queued before the grace period below starts.
    const batch = this.takeQueued();
    if (batch.length === 0) return false;
    this.synchronize();
    this.runCallbacks(batch);
    return true;
  }

  /** Every rcu_head reachable in the queue now, oldest first. */
  takeQueued() {
    const batch = [];
    for (let node = this.queue.tryDequeue(); node !== 0; node = this.queue.tryDequeue()) batch.push(node);
    return batch;
  }

  /** @param {number[]} batch */
  runCallbacks(batch) {
    const p = this.p;
    for (const node of batch) {
      const fn = p.load(node + HEAD_FUNC, 'relaxed');
      if (fn === BARRIER_FN) {
        p.store(node + MARKER_DONE, 1, 'release');
        p.wake(node + MARKER_DONE);
      } else {
        this.cfg.invoke(fn, node);   // the harness's callback, by id
      }
    }
    p.fetchAdd(this.state + BATCHES, 1, 'relaxed');
  }
}

/** @type {RcuFlavor} */
export const epochRcu = {
  name: 'epoch-rcu',
  kind: 'variant',
  description: 'example: two global reader counters selected by an epoch parity, one flip per grace period, a call_rcu thread and rcu_barrier',
  provenance: 'examples/epoch-rcu.mjs, written for the rcutorture documentation',
  caps: { callRcu: true, drain: false, barrier: true, force: false, fifoCallbacks: true, qsbr: false },
  layout: (cfg) => [
    {
      name: 'state',
      words: STATE_WORDS,
      init: () => {
        const s = new Array(STATE_WORDS).fill(0);
        s[READY] = eventInit(false);
        return s;
      },
    },
    { name: 'queue', words: MPSC_QUEUE_WORDS, init: mpscQueueInit },
    { name: 'markers', words: cfg.maxThreads * MARKER_WORDS },
  ],
  attach: (p, heap, cfg) => new EpochRcu(p, heap, cfg),
};
