/**
 * What liburcu's flavors (urcu-mb, urcu-qsbr) share. QEMU's util/rcu.c began
 * as a port of liburcu's urcu-mb, so the QEMU base already holds their
 * registry, reader records, call_rcu queue and markers; this adds what
 * liburcu does differently from QEMU:
 *
 * - the updater spins a bounded number of scans (RCU_QS_ACTIVE_ATTEMPTS)
 *   before it arms `waiting` and sleeps until a reader wakes it;
 * - nobody is ever kicked (no force notifiers);
 * - rcu_barrier() instead of drain_call_rcu(); no batching delay on the
 *   call_rcu worker (QemuRcu.callRcuThread's plain loop).
 */
import { QemuRcu } from '../qemu/base.js';
import { R } from '../common/state.js';

/** liburcu's RCU_QS_ACTIVE_ATTEMPTS: scans before the updater goes to sleep. */
export const RCU_QS_ACTIVE_ATTEMPTS = 100;

export abstract class UrcuBase extends QemuRcu {
  protected override kicksReaders(): boolean { return false; }

  protected waitForReaders(): void {
    const p = this.p;
    for (let attempts = 0; ; attempts++) {
      const sleepy = attempts >= RCU_QS_ACTIVE_ATTEMPTS;
      if (sleepy) {
        this.gpEvent.reset();
        this.forEachRegistered((r) => p.store(r + R.WAITING, 1, 'relaxed'));
      }
      // Order the stores to `waiting` before the loads of each reader's ctr.
      p.fence();
      if (!this.scanReaders()) break;
      this.unlockedWait(sleepy ? () => this.gpEvent.wait() : () => p.relax());
    }
    this.finishWait();
  }

  /** rcu_barrier(): returns once every callback queued before it has run. */
  barrier(): void {
    this.queueMarker(this.record(this.cfg.slot) + R.DRAIN_MARKER).wait();
  }

  /** No forcing, no kicks: nothing flavor-specific worth counting. */
  override counters(): Record<string, number> { return {}; }
}

/** Capabilities of the liburcu flavors, over the QEMU defaults. */
export const URCU_CAPS = { drain: false, barrier: true, force: false } as const;
