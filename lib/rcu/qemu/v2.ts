/**
 * qemu-v2: "virtio-gpu: Force RCU when unmapping blob", first posting
 * (v1, 29 Oct 2025), patches 3/5 "rcu: Use call_rcu() in synchronize_rcu()"
 * and 4/5 "rcu: Wake the RCU thread when draining". Never merged.
 *
 * What changed from qemu-v1: synchronize_rcu() becomes "queue a callback
 * that sets an event, then wait", so only the call_rcu thread runs grace
 * periods, as enter_qs(sleep). A public force_rcu() sets `forced` and
 * sync_event (the READY cell), which replaces rcu_call_ready_event; call_rcu
 * sets it only on the 0 -> 1 transition of rcu_call_count. drain_call_rcu()
 * calls force_rcu() instead of raising in_drain_call_rcu. In the normal
 * state wait_for_readers() polls sync_event for 10 ms at a time; when the
 * backlog, the polls or a force request say so, it kicks every registered
 * reader and arms `waiting`, in the same step, AFTER dropping
 * rcu_registry_lock (as posted).
 *
 * TWO KNOWN DEFECTS, kept on purpose (`expected`):
 *
 * - The force walk runs with registry_lock dropped. A thread unregistering
 *   meanwhile clears its entry's next pointer (QLIST_REMOVE), the walk ends
 *   there, and the readers after it are neither kicked nor armed: when they
 *   leave their sections nobody sets rcu_gp_event, and the call_rcu thread
 *   sleeps on it forever with no reader inside a section. Found by
 *   `churn-busy-loops` (registration churn plus busy-looping readers).
 * - The dequeue loop waits on sync_event for a counted node whose producer
 *   sits between exchange(tail) and its link store; that producer's
 *   increment is 1 -> 2 and sets nothing, so the thread sleeps with
 *   callbacks pending until something else sets sync_event. Found by
 *   `call-rcu-storm` (no drain, force or synchronize to rescue it).
 *
 * Differences from the posting: none in the algorithm. The count, the
 * notifiers and the registry are heap cells; `in_drain_call_rcu` stays as
 * accounting only (QemuRcu.forceCause), and so does noteForceRequest.
 */
import { QemuRcu, type ForceCause } from './base.js';
import { C, R, RCU_CALL_MIN_SIZE } from '../common/state.js';
import { qemuFlavor } from './flavor.js';
import type { Event } from '../../shm/event.js';

/** Polls before the grace period is forced, when the caller allows sleeping. */
export const MAX_SLEEPS = 5;
export const POLL_MS = 10;

export class QemuV2 extends QemuRcu {
  /** sync_event: the only event of the call_rcu side in this posting. */
  protected get syncEvent(): Event { return this.ready; }
  /** enter_qs(sleep)'s argument, for wait_for_readers (one grace period at a time, on one thread). */
  protected sleep = true;

  forceRcu(): void {
    this.noteForceRequest();
    this.p.store(this.ctl + C.FORCED, 1);
    this.syncEvent.set();
  }

  protected waitForReaders(): void {
    const p = this.p;
    let sleeps = this.sleep ? MAX_SLEEPS : 0;
    let waiting = false;
    let deferred: ForceCause | null = null;
    for (;;) {
      if (deferred) {
        this.forceReaders(deferred);
        deferred = null;
      }
      // Order the stores to `waiting` before the loads of each reader's ctr.
      p.fence();
      if (!this.scanReaders()) break;
      this.unlockedWait(() => {
        if (waiting) {
          this.awaitForcedQs();
          return;
        }
        const backlog = this.callCount() >= RCU_CALL_MIN_SIZE;
        if (backlog || sleeps === 0 || this.forceWait(POLL_MS)) {
          waiting = true;
          const cause = this.forceCause(backlog);
          if (this.walkWithLockDropped()) this.forceReaders(cause);
          else deferred = cause;
        } else {
          sleeps--;
        }
      });
    }
    this.finishWait();
  }

  /** As posted, the force walk runs here, registry_lock dropped: the first hang. */
  protected walkWithLockDropped(): boolean { return true; }

  /** The normal state's 10 ms poll: true when cut short by a force request (or a 0 -> 1 call_rcu). */
  protected forceWait(ms: number): boolean { return this.syncEvent.timedwait(ms); }

  /** enter_qs(sleep): the grace-period body, run only by the call_rcu thread. */
  protected enterQs(sleep: boolean): void {
    this.sleep = sleep;
    super.synchronize();
  }

  /** synchronize_rcu() through the call_rcu thread: a Sync callback and its event. */
  override synchronize(): void {
    this.queueMarker(this.record(this.cfg.slot) + R.SYNC_MARKER).wait();
  }

  protected override drainBody(marker: number): void {
    const done = this.queueMarker(marker);
    this.forceRcu();
    done.wait();
  }

  /** Wake the call_rcu thread only when the count leaves zero: the second hang. */
  protected override countAndWake(): void {
    if (this.p.fetchAdd(this.ctl + C.CALL_COUNT, 1) === 0) this.syncEvent.set();
  }

  protected override callRcuThread(): void {
    const p = this.p;
    for (;;) {
      let sleep = true;
      let n = this.awaitCallbacks();
      // An event for a count change must not interrupt wait_for_readers().
      this.syncEvent.reset();
      // A force request after the count was read may be for a later element: re-read it.
      while (p.exchange(this.ctl + C.FORCED, 0) !== 0) {
        sleep = false;
        n = this.callCount();
      }
      // Dequeue waits reset and wait on sync_event (base awaitLinked on READY).
      this.serveBatch(n, sleep);
    }
  }

  /** One batch of the call_rcu thread: a grace period, then the `n` callbacks counted before it. */
  protected serveBatch(n: number, sleep: boolean): void {
    this.p.point('call_rcu_thread:after-count');
    this.enterQs(sleep);
    this.p.fetchAdd(this.ctl + C.CALL_COUNT, -n);
    this.runCallbacks(n);
  }
}

export const qemuV2 = qemuFlavor({
  name: 'qemu-v2',
  description: 'force_rcu series v1: synchronize via the call_rcu thread, force walk with registry_lock dropped, sync_event set on 0 -> 1 only (hangs twice)',
  provenance: 'qemu-devel "virtio-gpu: Force RCU when unmapping blob" v1 (Akihiko Odaki, 29 Oct 2025), patches 3/5 and 4/5; never merged',
  impl: QemuV2,
  caps: { force: true },
  // Two hangs, each with the scenario that finds it. A hang of the call_rcu thread shows as a
  // callback stall, or as a gp-stall when a synchronize or drain waits behind it: either counts.
  targets: [
    { scenario: 'churn-busy-loops', expected: ['gp-stall', 'callback-stall'], bug: 'force walk with registry_lock dropped ends early at an unregistered entry' },
    // call-rcu-storm queues callbacks only: nothing else (a drain or a force_rcu) sets
    // sync_event and rescues the thread. A synchronize is itself a callback here, so the
    // lost wake-up is a callback stall, or a gp-stall when the callback it strands is a
    // synchronize's (the writer's last retire at the end of the run is one).
    { scenario: 'call-rcu-storm', expected: ['callback-stall', 'gp-stall'], bug: 'sync_event set on the 0 -> 1 call_rcu only; the dequeue loop sleeps on it' },
  ],
});
