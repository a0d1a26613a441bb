/**
 * qemu-v0 "classic": QEMU's util/rcu.c before October 2025 (and again after
 * the revert of the seed patch). VARIANTS.md, section qemu-v0.
 *
 * The updater always arms `waiting` on every reader and sleeps on gp_event;
 * force notifiers are called only while a drain_call_rcu() is in progress.
 * The call_rcu thread polls for up to ~50 ms to let a batch pile up before
 * it even starts the grace period.
 *
 * Where this port differs from util/rcu.c and include/qemu/rcu.h (read at
 * qemu/qemu 1721fe7), and why:
 * - No BQL. QEMU's call_rcu thread runs callbacks under the big QEMU lock
 *   and drain_call_rcu() drops it around its wait; the harness has no big
 *   lock and its callbacks take none, so there is nothing to model. A C
 *   flavor built with the QEMU compat layer gets a real (uncontended) one.
 * - No malloc_trim() in the idle path: allocator housekeeping, not RCU.
 * - The read side keeps the full fence after storing `me.ctr`, i.e. QEMU
 *   built without sys_membarrier, where smp_mb_placeholder() is smp_mb().
 *   With membarrier it is a compiler barrier and smp_mb_global() on the
 *   updater side IPIs every CPU; the sim engine's TSO buffers model the
 *   fenced build (qemu-v0!no-reader-barrier is that fence removed).
 * - rcu_read_lock() reads the `unsigned long` rcu_gp_ctr into an
 *   `unsigned` local. On LP64 hosts the stored ctr is then truncated once
 *   rcu_gp_ctr passes 2^32 (after 2^31 grace periods), rcu_gp_ongoing()
 *   sees every reader that is inside any section as ongoing, and grace
 *   periods wait for readers that began after them: still safe, but a
 *   reader with back-to-back sections can starve synchronize_rcu(). The
 *   port keeps the counter's declared width (FlavorConfig.counterBits) on
 *   both sides, so it does not reproduce that truncation; noted, untested.
 * - gpSeq (C.SEQ) is the harness's instrumentation, not QEMU's.
 */
import { QemuRcu } from './base.js';
import { C, R, RCU_CALL_MIN_SIZE } from '../common/state.js';
import { qemuFlavor } from './flavor.js';

export class QemuV0 extends QemuRcu {
  protected waitForReaders(): void {
    const p = this.p;
    for (;;) {
      this.gpEvent.reset();
      this.forEachRegistered((r) => p.store(r + R.WAITING, 1, 'relaxed'));
      // Order the stores to `waiting` before the loads of each reader's ctr.
      p.fence();
      const draining = p.load(this.ctl + C.IN_DRAIN, 'relaxed') > 0;
      if (!this.scanReaders(draining ? (r) => this.notify(r) : undefined)) break;
      this.unlockedWait(() => this.gpEvent.wait());
    }
    this.finishWait();
  }

  protected override callRcuThread(): void {
    for (;;) {
      const n = this.awaitBatch();
      this.p.point('call_rcu_thread:after-count');
      // Only callbacks counted before the grace period starts may run after it.
      this.p.fetchAdd(this.ctl + C.CALL_COUNT, -n);
      this.synchronize();
      this.runCallbacks(n);
    }
  }

  /** Heuristically wait for a decent number of callbacks to pile up; returns how many. */
  protected awaitBatch(): number {
    const p = this.p;
    let tries = 0;
    let n = this.callCount();
    while (n === 0 || (n < RCU_CALL_MIN_SIZE && ++tries <= 5)) {
      p.sleep(10);
      if (n === 0) {
        this.ready.reset();
        n = this.callCount();
        if (n === 0) this.idleWait((ms) => this.ready.timedwait(ms));
      }
      n = this.callCount();
    }
    return n;
  }
}

export const qemuV0 = qemuFlavor({
  name: 'qemu-v0',
  description: 'QEMU classic userspace RCU: batch polling in the call_rcu thread, force notifiers only while draining',
  provenance: 'QEMU util/rcu.c before October 2025 (and after the revert of "rcu: Unify force quiescent state")',
  impl: QemuV0,
});
