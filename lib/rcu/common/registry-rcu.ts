/**
 * The liburcu urcu-mb shape that QEMU's util/rcu.c was ported from, and that
 * liburcu's flavors here (urcu-mb, qsbr) and every QEMU posting share: the
 * reader registry and reader records, the read side, the grace-period
 * skeleton (counter flip, wait_for_readers, QLIST_SWAP), the call_rcu queue
 * and the call_rcu worker's plain loop. A family adds what it does
 * differently: QEMU its force notifiers, forcing heuristics and drain
 * (qemu/base.ts), liburcu its bounded spin and rcu_barrier (urcu/base.ts).
 *
 * Method names follow VARIANTS.md and util/rcu.c.
 */
import type { Platform } from '../../platform/platform.js';
import type { AttachConfig, BackgroundThread, RcuInstance } from '../flavor.js';
import type { Heap } from '../../shm/layout.js';
import { Event } from '../../shm/event.js';
import { Mutex } from '../../shm/mutex.js';
import { MpscQueue, HEAD_FUNC } from '../../shm/mpsc-queue.js';
import { IntrusiveList } from '../../shm/list.js';
import { C, R, RCU_GP_CTR } from './state.js';
import { invokeNode, queueMarker } from './markers.js';

/** Thrown inside a background thread's loops when the harness asks it to stop. */
class StopBackground extends Error {}

/** How often an idle background thread looks at its stop flag. */
const IDLE_POLL_MS = 100;

export abstract class RegistryRcu implements RcuInstance {
  protected readonly ctl: number;
  protected readonly readers: number;
  protected readonly gpEvent: Event;
  protected readonly ready: Event;
  protected readonly registryLock: Mutex;
  protected readonly syncLock: Mutex;
  protected readonly queue: MpscQueue;
  protected readonly list: IntrusiveList;
  private readonly ctrMask: number;

  /** This thread's reader record (rcu_reader), 0 while unregistered. */
  protected me = 0;
  /** Nesting depth: thread-local in QEMU, so local to this instance. */
  protected depth = 0;
  private stopRequested: () => boolean = () => false;

  readonly background: BackgroundThread[];

  constructor(protected readonly p: Platform, heap: Heap, protected readonly cfg: AttachConfig) {
    this.ctl = heap.base('control');
    this.readers = heap.base('readers');
    this.gpEvent = new Event(p, this.ctl + C.GP_EVENT);
    this.ready = new Event(p, this.ctl + C.READY);
    this.registryLock = new Mutex(p, this.ctl + C.REGISTRY_LOCK);
    this.syncLock = new Mutex(p, this.ctl + C.SYNC_LOCK);
    this.queue = new MpscQueue(p, heap.base('queue'));
    this.list = new IntrusiveList(p);
    this.ctrMask = cfg.counterBits >= 32 ? -1 : (1 << cfg.counterBits) - 1;
    this.background = [{ name: 'call_rcu', run: (stop, slot) => this.runBackground(stop, slot) }];
  }

  // ---- reader records and the registry ----------------------------------

  protected record(slot: number): number { return this.readers + slot * R.SIZE; }
  /** Registry list entries sit at R.NEXT inside a record. */
  protected entryOf(rec: number): number { return rec + R.NEXT; }
  protected recordOfEntry(entry: number): number { return entry - R.NEXT; }

  registerThread(slot: number): void {
    const me = this.record(slot);
    if (this.p.load(me + R.CTR) !== 0) throw new Error(`rcu_register_thread: slot ${slot} has ctr != 0`);
    this.me = me;
    this.underRegistryLock(() => {
      this.p.point('register:in-lock');
      this.list.insertHead(this.ctl + C.REGISTRY, this.entryOf(me));
    });
  }

  unregisterThread(): void {
    const me = this.me;
    this.underRegistryLock(() => this.list.remove(this.entryOf(me)));
    this.me = 0;
  }

  /** (Un)registration edits the registry list, which wait_for_readers walks: under registry_lock. */
  protected underRegistryLock(edit: () => void): void {
    this.registryLock.lock();
    edit();
    this.registryLock.unlock();
  }

  // ---- read side (identical in every QEMU posting) ------------------------

  /** Enters one nesting level; returns whether this lock is the outermost. */
  protected nestIn(): boolean { return this.depth++ === 0; }

  /** Leaves one nesting level; returns whether that unlock was the outermost. */
  protected nestOut(): boolean {
    if (this.depth <= 0) throw new Error('rcu_read_unlock without rcu_read_lock');
    return --this.depth === 0;
  }

  readLock(): void {
    if (!this.nestIn()) return;
    const p = this.p;
    const ctr = p.load(this.ctl + C.GP_CTR, 'relaxed');
    p.point('read_lock:after-load');
    p.store(this.me + R.CTR, ctr, 'relaxed');
    this.readerBarrier();
  }

  /** The full barrier after publishing me.ctr; pairs with the updater's. */
  protected readerBarrier(): void { this.p.fence(); }

  readUnlock(): void {
    if (!this.nestOut()) return;
    const p = this.p;
    p.store(this.me + R.CTR, 0, 'release');
    p.fence();
    this.wakeUpdaterIfWaiting();
  }

  protected wakeUpdaterIfWaiting(): void {
    const p = this.p;
    p.point('read_unlock:before-wake');
    if (p.load(this.me + R.WAITING, 'relaxed') !== 0) {
      p.store(this.me + R.WAITING, 0, 'relaxed');
      this.gpEvent.set();
    }
  }

  /** rcu_gp_ongoing: the reader is inside a section that began before the current counter. */
  protected ongoing(rec: number): boolean {
    const v = this.p.load(rec + R.CTR, 'relaxed');
    return v !== 0 && v !== this.p.load(this.ctl + C.GP_CTR, 'relaxed');
  }

  // ---- the grace period -----------------------------------------------------

  /** Called with registry_lock held; returns with it held and every reader quiescent. */
  protected abstract waitForReaders(): void;

  /** Narrow counters take two phases of a parity flip; wide ones one increment. */
  protected twoPhase(): boolean { return this.cfg.counterMode === 'narrow'; }

  protected advanceCounter(): void {
    const cell = this.ctl + C.GP_CTR;
    const ctr = this.p.load(cell, 'relaxed');
    this.p.store(cell, this.twoPhase() ? ctr ^ RCU_GP_CTR : (ctr + RCU_GP_CTR) & this.ctrMask, 'relaxed');
  }

  /** The grace period proper: sync_lock and registry_lock held by the caller. */
  protected gracePeriod(): void {
    const seq = this.ctl + C.SEQ;
    this.p.fetchAdd(seq, 1);
    if (!this.list.isEmpty(this.ctl + C.REGISTRY)) {
      if (this.twoPhase()) {
        this.advanceCounter();
        this.waitForReaders();
      }
      this.advanceCounter();
      this.waitForReaders();
    }
    this.p.fetchAdd(seq, 1);
  }

  synchronize(): void {
    this.syncLock.lock();
    this.p.fence();
    this.registryLock.lock();
    this.gracePeriod();
    this.registryLock.unlock();
    this.syncLock.unlock();
  }

  /**
   * The scan shared by every wait_for_readers(): move each quiescent reader
   * from the registry to qsreaders and clear its `waiting`; call `busy` for
   * the others. Returns whether any reader is still ongoing.
   */
  protected scanReaders(busy?: (rec: number) => void): boolean {
    const registry = this.ctl + C.REGISTRY;
    const qs = this.ctl + C.QS_LIST;
    for (let e = this.list.first(registry); e !== 0;) {
      const next = this.list.next(e);
      const rec = this.recordOfEntry(e);
      if (!this.ongoing(rec)) {
        this.list.remove(e);
        this.list.insertHead(qs, e);
        this.p.store(rec + R.WAITING, 0, 'relaxed');
      } else if (busy) {
        busy(rec);
      }
      e = next;
    }
    this.p.point('wait_for_readers:after-scan');
    return !this.list.isEmpty(registry);
  }

  /** Every registered reader record, for forcing. */
  protected forEachRegistered(fn: (rec: number) => void): void {
    for (let e = this.list.first(this.ctl + C.REGISTRY); e !== 0; e = this.list.next(e)) fn(this.recordOfEntry(e));
  }

  /** Drop registry_lock around a blocking wait so (un)registration can proceed. */
  protected unlockedWait(wait: () => void): void {
    this.registryLock.unlock();
    this.p.point('wait_for_readers:before-wait');
    wait();
    this.registryLock.lock();
  }

  /** After the loop: registry = qsreaders (QLIST_SWAP). */
  protected finishWait(): void { this.list.swap(this.ctl + C.REGISTRY, this.ctl + C.QS_LIST); }

  protected callCount(): number { return this.p.load(this.ctl + C.CALL_COUNT, 'relaxed'); }


  gpSeq(): number { return this.p.load(this.ctl + C.SEQ, 'acquire'); }

  // ---- call_rcu -------------------------------------------------------------

  callRcu(node: number, fn: number): void {
    this.p.store(node + HEAD_FUNC, fn, 'relaxed');
    this.queue.enqueue(node);
    this.countAndWake();
  }

  /** After the enqueue: count the node and wake the call_rcu thread (every time, here). */
  protected countAndWake(): void {
    this.p.fetchAdd(this.ctl + C.CALL_COUNT, 1);
    this.ready.set();
  }

  /** Queue the caller's marker callback; the returned event is set when it runs. */
  protected queueMarker(marker: number): Event {
    return queueMarker(this.p, marker, (node, fn) => this.callRcu(node, fn));
  }

  // ---- the call_rcu thread ----------------------------------------------------

  /**
   * The call_rcu thread in its plainest shape (liburcu's, and QEMU's from
   * qemu-v1 on): wait for callbacks, run a grace period, then serve the
   * callbacks counted before it. Postings that batch or force differently
   * override it.
   */
  protected callRcuThread(): void {
    for (;;) {
      const n = this.awaitCallbacks();
      this.p.point('call_rcu_thread:after-count');
      this.synchronize();
      this.p.fetchAdd(this.ctl + C.CALL_COUNT, -n);
      this.runCallbacks(n);
    }
  }

  private runBackground(stop: () => boolean, slot: number): void {
    this.stopRequested = stop;
    this.registerThread(slot);
    try {
      this.callRcuThread();
    } catch (e) {
      if (!(e instanceof StopBackground)) throw e;
    } finally {
      this.unregisterThread();
    }
  }

  /**
   * An unbounded wait of the call_rcu thread, cut in slices only so that the
   * harness can stop the thread: re-waiting after a slice is the same as
   * never waking, since the caller's condition is not re-checked in between.
   */
  protected idleWait(timed: (ms: number) => boolean): void {
    while (!timed(IDLE_POLL_MS)) {
      if (this.stopRequested()) throw new StopBackground();
    }
  }

  /** Invoke one dequeued callback: markers are ours, everything else the harness's. */
  protected invoke(node: number): void { invokeNode(this.p, node, (fn, n) => this.cfg.invoke(fn, n)); }

  /** Sleep until some callback is counted (every posting from qemu-v1 on); returns the count. */
  protected awaitCallbacks(): number {
    for (;;) {
      this.ready.reset();
      const n = this.callCount();
      if (n !== 0) return n;
      this.idleWait((ms) => this.ready.timedwait(ms));
    }
  }

  /** Run `n` callbacks in queue order. */
  protected runCallbacks(n: number): void {
    for (; n > 0; n--) {
      this.p.point('call_rcu_thread:before-dequeue');
      const node = this.queue.tryDequeue();
      this.invoke(node !== 0 ? node : this.awaitLinked());
    }
  }

  /**
   * A node was counted but none is reachable: some producer is between its
   * exchange of `tail` and its link store. Wait on `ready`, which every
   * call_rcu sets (in qemu-v2 only the first of a batch does: its hang).
   */
  protected awaitLinked(): number {
    for (;;) {
      this.ready.reset();
      let node = this.queue.tryDequeue();
      if (node === 0) {
        this.idleWait((ms) => this.ready.timedwait(ms));
        node = this.queue.tryDequeue();
      }
      if (node !== 0) return node;
    }
  }
}
