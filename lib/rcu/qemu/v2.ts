/**
 * qemu-v2: the "force_rcu" series, first posting. VARIANTS.md, section qemu-v2.
 *
 * What changed from qemu-v1: synchronize_rcu() becomes "queue a callback
 * that sets an event, then wait", so only the call_rcu thread ever runs a
 * grace period, as enter_qs(sleep). A public force_rcu() asks for the forced
 * state; drain_call_rcu() uses it instead of in_drain. One event, sync_event
 * (the READY cell), replaces rcu_call_ready_event, and call_rcu sets it only
 * on the 0 -> 1 transition of the count.
 *
 * KNOWN DEFECT, kept on purpose (the suite must find it as a callback
 * stall): the call_rcu thread can wait in its dequeue loop for a node whose
 * producer sits between exchange(tail) and the link store while `count` is
 * already above zero; that producer's increment is then 1 -> 2, sets
 * nothing, and the thread sleeps with callbacks pending until something
 * else sets sync_event (a force_rcu). The second posting fixed it.
 * Every synchronize_rcu() caller then waits behind the stuck batch as well.
 */
import { QemuRcu } from './base.js';
import { C, R, RCU_CALL_MIN_SIZE } from '../common/state.js';
import { qemuFlavor } from './flavor.js';
import type { Event } from '../../shm/event.js';

/** Polls before the grace period is forced, when the caller allows sleeping. */
const MAX_SLEEPS = 5;
const POLL_MS = 10;

export class QemuV2 extends QemuRcu {
  /** sync_event: the only event of the call_rcu side in this posting. */
  protected get syncEvent(): Event { return this.ready; }
  /** enter_qs(sleep)'s argument, for wait_for_readers (one grace period at a time, on one thread). */
  private sleep = true;

  forceRcu(): void {
    this.p.store(this.ctl + C.FORCED, 1);
    this.syncEvent.set();
  }

  protected waitForReaders(): void {
    const p = this.p;
    let sleeps = this.sleep ? MAX_SLEEPS : 0;
    let waiting = false;
    let force = false;
    for (;;) {
      if (force) {
        // Done after re-taking registry_lock: the walk needs the registry to hold still.
        force = false;
        waiting = true;
        this.forceReaders();
      }
      p.fence();
      if (!this.scanReaders()) break;
      this.unlockedWait(() => {
        if (waiting) {
          this.gpEvent.wait();
          this.gpEvent.reset();
        } else if (this.callCount() >= RCU_CALL_MIN_SIZE || sleeps === 0 || this.forceWait(POLL_MS)) {
          force = true;
        } else {
          sleeps--;
        }
      });
    }
    this.finishWait();
  }

  /** The normal state's poll, cut short by a force request. */
  protected forceWait(ms: number): boolean { return this.syncEvent.timedwait(ms); }

  /** enter_qs(sleep): the grace-period body, run only by the call_rcu thread. */
  protected enterQs(sleep: boolean): void {
    this.sleep = sleep;
    super.synchronize();
  }

  override synchronize(): void {
    this.queueMarker(this.record(this.cfg.slot) + R.SYNC_MARKER).wait();
  }

  override drain(): void {
    const done = this.queueMarker(this.record(this.cfg.slot) + R.DRAIN_MARKER);
    this.forceRcu();
    done.wait();
  }

  /** Wake the call_rcu thread only when the count leaves zero. */
  protected override countAndWake(): void {
    if (this.p.fetchAdd(this.ctl + C.CALL_COUNT, 1) === 0) this.syncEvent.set();
  }

  protected override callRcuThread(): void {
    const p = this.p;
    for (;;) {
      let sleep = true;
      let n = this.awaitCallbacks();
      this.syncEvent.reset();
      while (p.exchange(this.ctl + C.FORCED, 0) !== 0) {
        sleep = false;
        n = this.callCount();
      }
      p.point('call_rcu_thread:after-count');
      this.enterQs(sleep);
      p.fetchAdd(this.ctl + C.CALL_COUNT, -n);
      // Dequeue waits reset and wait on sync_event (base awaitLinked on READY).
      this.runCallbacks(n);
    }
  }
}

export const qemuV2 = qemuFlavor({
  name: 'qemu-v2',
  description: 'force_rcu series, first posting: synchronize via the call_rcu thread, one sync_event woken on 0 -> 1 only (hangs)',
  provenance: 'qemu-devel "rcu: force_rcu" series by Akihiko Odaki, first posting (fixed in the second)',
  impl: QemuV2,
  caps: { force: true },
  // The hang is a callback stall. call-rcu-storm queues callbacks only: nothing else (a
  // synchronize, which is itself a callback here, a drain or a force_rcu) sets sync_event and
  // rescues the thread, so the hang shows as nothing but a callback stall.
  expected: ['callback-stall'],
  scenario: 'call-rcu-storm',
});
