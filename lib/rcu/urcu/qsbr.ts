/**
 * qsbr: liburcu's quiescent-state-based flavor. VARIANTS.md, section qsbr.
 *
 * Read-side critical sections cost nothing: read_lock/read_unlock only track
 * the depth, for checking. Instead each reader announces quiescent_state()
 * between sections (copies gp_ctr into its record) and may go offline (ctr 0)
 * around long waits. A grace period waits until every online reader shows
 * the new counter: the scan, `ongoing()` and the wake-up protocol are the
 * urcu-mb ones, with ctr meaning "last counter announced" instead of "counter
 * at read_lock". Like liburcu-qsbr, a single increment on wide counters and
 * two parity phases on narrow ones (the base's twoPhase).
 */
import { UrcuBase, URCU_CAPS } from './base.js';
import { registryFlavor } from '../common/flavor.js';
import { REGISTRY_POINTS } from '../common/points.js';
import { C, R } from '../common/state.js';

export class Qsbr extends UrcuBase {
  override readLock(): void { this.depth++; }

  override readUnlock(): void {
    if (this.depth <= 0) throw new Error('rcu_read_unlock without rcu_read_lock');
    this.depth--;
  }

  quiescentState(): void {
    if (this.depth > 0) throw new Error('rcu_quiescent_state inside a read-side critical section');
    const p = this.p;
    p.store(this.me + R.CTR, p.load(this.ctl + C.GP_CTR, 'relaxed'), 'release');
    p.fence();
    this.wakeUpdaterIfWaiting();
  }

  offline(): void {
    if (this.depth > 0) throw new Error('rcu_thread_offline inside a read-side critical section');
    this.p.store(this.me + R.CTR, 0, 'release');
    this.p.fence();
    this.wakeUpdaterIfWaiting();
  }

  online(): void {
    const p = this.p;
    p.store(this.me + R.CTR, p.load(this.ctl + C.GP_CTR, 'relaxed'));
    p.fence();
  }

  override registerThread(slot: number): void {
    super.registerThread(slot);
    this.online();
  }

  override unregisterThread(): void {
    this.offline();
    super.unregisterThread();
  }

  /** A registered caller goes offline for the wait, or it would wait for itself. */
  override synchronize(): void {
    const wasOnline = this.me !== 0 && this.p.load(this.me + R.CTR) !== 0;
    if (wasOnline) this.offline();
    super.synchronize();
    if (wasOnline) this.online();
  }

  /** The worker stays offline: our callbacks never read under RCU. */
  protected override callRcuThread(): void {
    this.offline();
    super.callRcuThread();
  }
}

export const qsbr = registryFlavor({
  name: 'qsbr',
  description: 'liburcu quiescent-state-based flavor: free read side, readers announce quiescent states and go offline',
  provenance: 'liburcu urcu-qsbr (Desnoyers et al., "User-Level Implementations of Read-Copy Update", IEEE TPDS 2012)',
  impl: Qsbr,
  counterSpecs: [],
  points: REGISTRY_POINTS,
  caps: { ...URCU_CAPS, qsbr: true },
});
