/**
 * qemu-v3-semaphore: Peter Xu's proposal in review of the first force_rcu
 * posting (qemu-v2), "rcu: Make sync_event a semaphore", an inline patch of
 * 6 Nov 2025 amended on 7 Nov (the amendment computes
 * `sleep = !qatomic_xchg(&forced, false)` inside the idle loop, just before
 * reading the count, instead of after it). Never posted as a series.
 *
 * What it changes from qemu-v2: sync_event becomes a counting semaphore,
 * posted by force_rcu() and by the 0 -> 1 call_rcu, so no post is lost and
 * every reset and the exchange loop disappear.
 *
 * THIS VARIANT IS NOT THE PROPOSAL AS POSTED: it carries three fixes, ours,
 * so that it says what the semaphore idea costs when the rest is right.
 * The literal proposal is the mutant `qemu-v3-semaphore!as-posted`
 * (lib/rcu/mutants/qemu-v3-semaphore.ts), expected to hang.
 *
 * 1. The normal state's poll forces when the semaphore WAS posted. As
 *    posted, `qemu_sem_timedwait`'s result (0 posted, -1 timed out) is used
 *    as a boolean, so a timeout forces and a post does not (Peter noted the
 *    same inversion of qemu_event_timedwait's result in qemu-v2's code).
 * 2. The dequeue loop polls for the unlinked node instead of sleeping on
 *    the semaphore: only a 0 -> 1 call_rcu posts it, and the poll in
 *    wait_for_readers eats posts, so sleeping there is qemu-v2's hang again.
 *    The producer it waits for is between two stores and never blocks.
 * 3. The force walk runs with registry_lock held (QemuV2.walkWithLockDropped),
 *    which removes qemu-v2's other hang, inherited by the proposal.
 *
 * Known cost, kept: spurious forced grace periods (a force landing between
 * the exchange and the count read is served by a later batch; a post left
 * by a call_rcu can cut a poll short and force it).
 */
import { QemuV2 } from './v2.js';
import { C } from '../common/state.js';
import { qemuFlavor } from './flavor.js';
import { Semaphore } from '../../shm/semaphore.js';

/** Poll period of the dequeue loop while a counted node is still unlinked (fix 2). */
const LINK_POLL_MS = 1;

export class QemuV3Semaphore extends QemuV2 {
  protected readonly sem = new Semaphore(this.p, this.ctl + C.CALL_SEM);

  override forceRcu(): void {
    this.noteForceRequest();
    this.p.store(this.ctl + C.FORCED, 1);
    this.sem.post();
  }

  protected override countAndWake(): void {
    if (this.p.fetchAdd(this.ctl + C.CALL_COUNT, 1) === 0) this.sem.post();
  }

  /** Fix 1: true when the semaphore was posted within `ms`. */
  protected override forceWait(ms: number): boolean { return this.sem.timedwait(ms); }

  /** Fix 3. */
  protected override walkWithLockDropped(): boolean { return false; }

  protected override callRcuThread(): void {
    const p = this.p;
    for (;;) {
      let sleep: boolean;
      let n: number;
      for (;;) {
        // The 7 Nov amendment: take `forced` before reading the count it applies to.
        sleep = p.exchange(this.ctl + C.FORCED, 0) === 0;
        n = this.callCount();
        if (n !== 0) break;
        this.idleWait((ms) => this.sem.timedwait(ms));
      }
      this.serveBatch(n, sleep);
    }
  }

  /** Fix 2: poll for the node a producer has counted but not linked yet. */
  protected override awaitLinked(): number {
    for (;;) {
      this.p.sleep(LINK_POLL_MS);
      const node = this.queue.tryDequeue();
      if (node !== 0) return node;
    }
  }
}

export const qemuV3Semaphore = qemuFlavor({
  name: 'qemu-v3-semaphore',
  description: 'semaphore proposal for the force_rcu series, with three labelled fixes of ours (timedwait result, dequeue poll, walk under registry_lock)',
  provenance: 'Peter Xu, review of "virtio-gpu: Force RCU when unmapping blob" v1 on qemu-devel (inline patch 6 Nov 2025, amended 7 Nov); fixes ours',
  impl: QemuV3Semaphore,
  caps: { force: true },
});
