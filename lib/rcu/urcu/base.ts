/**
 * What liburcu's flavors (urcu-mb, urcu-qsbr) share, over the urcu-mb shape
 * that QEMU's util/rcu.c was ported from (common/registry-rcu.ts): what
 * liburcu does differently from QEMU:
 *
 * - the updater spins a bounded number of scans (RCU_QS_ACTIVE_ATTEMPTS)
 *   before it arms `waiting` and sleeps until a reader wakes it;
 * - nobody is ever kicked (no force notifiers, so no addForceNotifier);
 * - rcu_barrier() instead of drain_call_rcu(); no batching delay on the
 *   call_rcu worker (QemuRcu.callRcuThread's plain loop).
 */
import type { FlavorCaps } from '../flavor.js';
import { RegistryRcu } from '../common/registry-rcu.js';
import { R } from '../common/state.js';

/** liburcu's RCU_QS_ACTIVE_ATTEMPTS: scans before the updater goes to sleep. */
export const RCU_QS_ACTIVE_ATTEMPTS = 100;

export abstract class UrcuBase extends RegistryRcu {
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
}

/** Capabilities of the liburcu flavors. */
export const URCU_CAPS: FlavorCaps = {
  callRcu: true, drain: false, barrier: true, force: false, fifoCallbacks: true, qsbr: false,
};
