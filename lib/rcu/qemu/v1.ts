/**
 * qemu-v1 "rcu: Unify force quiescent state" (the seed patch, October 2025,
 * reverted after a record/replay regression). VARIANTS.md, section qemu-v1.
 *
 * What changed from qemu-v0: the polling moves from the call_rcu thread into
 * wait_for_readers(), which now has a normal state (poll every 10 ms, readers
 * untouched: no `waiting`, no gp_event reset) and a forced state (notify
 * every reader, arm `waiting`, sleep on gp_event), entered when callbacks
 * pile up, after five polls, or while a drain is in progress.
 *
 * The call_rcu thread loses its batching delay: it starts the grace period
 * as soon as a callback is counted and subtracts its batch after it. That
 * is the base's plain QemuRcu.callRcuThread, so this file does not override it.
 */
import { QemuRcu } from './base.js';
import { C, RCU_CALL_MIN_SIZE } from '../common/state.js';
import { qemuFlavor } from './flavor.js';

/** Polls of the normal state before the grace period is forced. */
const MAX_SLEEPS = 5;
const POLL_MS = 10;

export class QemuV1 extends QemuRcu {
  /** The normal state polls every 10 ms; the forced state kicks, arms and sleeps (QemuRcu.normalOrForcedWait). */
  protected waitForReaders(): void {
    let sleeps = 0;
    this.normalOrForcedWait(() => this.shouldForce(sleeps), () => {
      this.p.sleep(POLL_MS);
      sleeps++;
    });
  }

  /** The heuristics that expedite a grace period: a pile of callbacks, a timeout, a drain. */
  protected shouldForce(sleeps: number): boolean {
    return this.callCount() >= RCU_CALL_MIN_SIZE || sleeps >= MAX_SLEEPS ||
      this.p.load(this.ctl + C.IN_DRAIN, 'relaxed') > 0;
  }
}

export const qemuV1 = qemuFlavor({
  name: 'qemu-v1',
  description: 'the seed patch: polling moved into wait_for_readers, with a normal (poll 10 ms) and a forced (kick and sleep) state',
  provenance: 'QEMU commit "rcu: Unify force quiescent state" (Akihiko Odaki, October 2025), reverted after a replay-test regression',
  impl: QemuV1,
});
