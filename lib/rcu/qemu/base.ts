/**
 * What every posting of QEMU's util/rcu.c adds to the liburcu shape it was
 * ported from (common/registry-rcu.ts): force notifiers and the forced
 * state that kicks readers, drain_call_rcu(), and the accounting of why
 * grace periods were expedited. A posting subclasses this and writes only
 * what it changed (wait_for_readers, call_rcu_thread, call_rcu, drain...),
 * so that two variant files diff like the patches they came from.
 */
import { RegistryRcu } from '../common/registry-rcu.js';
import { C, R, MAX_NOTIFIERS, RCU_CALL_MIN_SIZE } from '../common/state.js';

export type ForceCause = 'requested' | 'backlog' | 'timeout';
const FORCED_BY: Record<ForceCause, number> = {
  requested: C.FORCED_REQUESTED, backlog: C.FORCED_BACKLOG, timeout: C.FORCED_TIMEOUT,
};

export abstract class QemuRcu extends RegistryRcu {
  // ---- force notifiers ------------------------------------------------------

  /**
   * rcu_add_force_rcu_notifier: how this reader is kicked. Under
   * registry_lock, as in QEMU (the force walks read the list under it).
   */
  addForceNotifier(cell: number): void {
    this.underRegistryLock(() => {
      const n = this.p.load(this.me + R.NOTIFIER_COUNT);
      if (n >= MAX_NOTIFIERS) throw new Error('too many force notifiers');
      this.p.store(this.me + R.NOTIFIERS + n, cell);
      this.p.store(this.me + R.NOTIFIER_COUNT, n + 1, 'release');
    });
  }

  /**
   * notifier_list_notify(&r->force_rcu): kick the reader out of its section.
   * `unsolicited`: no drain or force request asked for this kick (accounting).
   */
  protected notify(rec: number, unsolicited = false): void {
    const p = this.p;
    const n = p.load(rec + R.NOTIFIER_COUNT, 'acquire');
    for (let i = 0; i < n; i++) {
      const cell = p.load(rec + R.NOTIFIERS + i);
      p.fetchAdd(cell, 1);
      p.wake(cell);
      p.fetchAdd(this.ctl + C.KICKS, 1);
      if (unsolicited) p.fetchAdd(this.ctl + C.UNSOLICITED_KICKS, 1);
    }
  }

  /**
   * Enter the forced state (qemu-v1 on): kick every registered reader out of
   * its section and arm its `waiting`, so that leaving wakes the updater.
   * The caller holds registry_lock, except in qemu-v2, whose posting walks
   * the registry with the lock dropped (its hang).
   */
  protected forceReaders(cause: ForceCause): void {
    this.countForcedGp(cause);
    this.forEachRegistered((r) => {
      this.p.point('wait_for_readers:force-walk');
      this.notify(r, cause !== 'requested');
      this.p.store(r + R.WAITING, 1, 'relaxed');
    });
  }

  /**
   * wait_for_readers() in the seed's shape (qemu-v1; qemu-v3 keeps it): at
   * the top of each pass, with registry_lock held, enter the forced state
   * once `shouldForce()` says so; between passes, sleep on rcu_gp_event when
   * forced, else `poll()` (the normal state). The postings differ only in
   * those two.
   */
  protected normalOrForcedWait(shouldForce: () => boolean, poll: () => void): void {
    const p = this.p;
    let forced = false;
    for (;;) {
      if (!forced && shouldForce()) {
        forced = true;
        this.forceReaders(this.forceCause(this.callCount() >= RCU_CALL_MIN_SIZE));
      }
      // Order the stores to `waiting` before the loads of each reader's ctr.
      p.fence();
      if (!this.scanReaders()) break;
      this.unlockedWait(() => (forced ? this.awaitForcedQs() : poll()));
    }
    this.finishWait();
  }

  /** The forced state's wait (seed patch on): until a kicked reader leaves, then re-arm the event. */
  protected awaitForcedQs(): void {
    this.gpEvent.wait();
    // We want to be notified of changes made to rcu_gp_ongoing while we walk the list.
    this.gpEvent.reset();
  }

  // ---- accounting: why grace periods were expedited ---------------------------

  /**
   * Why a grace period is being forced, for the counters only: 'requested'
   * when a drain or force_rcu() is outstanding, else the heuristic that
   * fired (a callback backlog, or the normal state's polls running out).
   */
  protected forceCause(backlog: boolean): ForceCause {
    const p = this.p;
    const forceAsked = p.exchange(this.ctl + C.FORCE_REQS, 0) !== 0;
    if (forceAsked || p.load(this.ctl + C.IN_DRAIN, 'relaxed') > 0) return 'requested';
    return backlog ? 'backlog' : 'timeout';
  }

  private countForcedGp(cause: ForceCause): void {
    this.p.fetchAdd(this.ctl + C.FORCED_GPS, 1);
    this.p.fetchAdd(this.ctl + FORCED_BY[cause], 1);
  }

  /** Bookkeeping of a force request (force_rcu), read by forceCause. */
  protected noteForceRequest(): void { this.p.fetchAdd(this.ctl + C.FORCE_REQS, 1); }

  counters(): Record<string, number> {
    const at = (cell: number) => this.p.load(this.ctl + cell);
    const backlog = at(C.FORCED_BACKLOG);
    const timeout = at(C.FORCED_TIMEOUT);
    return {
      forcedGracePeriods: at(C.FORCED_GPS),
      kicks: at(C.KICKS),
      forcedRequested: at(C.FORCED_REQUESTED),
      forcedBacklog: backlog,
      forcedTimeout: timeout,
      unsolicitedForcedGracePeriods: backlog + timeout,
      unsolicitedKicks: at(C.UNSOLICITED_KICKS),
    };
  }

  /**
   * drain_call_rcu(). `in_drain_call_rcu` is QEMU's up to the seed patch;
   * later postings drop it, and keep it here only as accounting (forceCause).
   */
  drain(): void {
    const inDrain = this.ctl + C.IN_DRAIN;
    this.p.fetchAdd(inDrain, 1);
    this.drainBody(this.record(this.cfg.slot) + R.DRAIN_MARKER);
    this.p.fetchAdd(inDrain, -1);
  }

  /** Queue the drain marker and wait for it (postings from qemu-v2 on also force). */
  protected drainBody(marker: number): void { this.queueMarker(marker).wait(); }
}
