/**
 * qemu-v3-semaphore: the proposal made in review of qemu-v2. VARIANTS.md,
 * section qemu-v3-semaphore.
 *
 * What changed from qemu-v2: sync_event becomes a counting semaphore, posted
 * by force_rcu and by the 0 -> 1 call_rcu, so no post is ever lost and all
 * the resets and the exchange loop disappear. The thread computes
 * `sleep = !exchange(forced, false)` just before reading the count.
 *
 * Review found two windows, both spurious forced grace periods (safe, but
 * every force kicks every busy reader): (a) a force landing between that
 * exchange and the count read is served only because its post wakes the
 * timed wait in wait_for_readers, and leaves `forced` set for a later batch;
 * (b) a post left over from a call_rcu can be eaten by that timed wait.
 *
 * With no event to reset, the dequeue loop cannot wait on the semaphore
 * (only a 0 -> 1 call_rcu posts, which is qemu-v2's hang again): it polls
 * instead. The producer it waits for is between two stores and never blocks.
 */
import { QemuV2 } from './v2.js';
import { C } from '../common/state.js';
import { qemuFlavor } from './flavor.js';
import { Semaphore } from '../../shm/semaphore.js';

/** Poll period of the dequeue loop while a counted node is still unlinked. */
const LINK_POLL_MS = 1;

export class QemuV3Semaphore extends QemuV2 {
  private readonly sem = new Semaphore(this.p, this.ctl + C.CALL_SEM);

  override forceRcu(): void {
    this.p.store(this.ctl + C.FORCED, 1);
    this.sem.post();
  }

  protected override countAndWake(): void {
    if (this.p.fetchAdd(this.ctl + C.CALL_COUNT, 1) === 0) this.sem.post();
  }

  protected override forceWait(ms: number): boolean { return this.sem.timedwait(ms); }

  protected override callRcuThread(): void {
    const p = this.p;
    for (;;) {
      let sleep: boolean;
      let n: number;
      for (;;) {
        sleep = p.exchange(this.ctl + C.FORCED, 0) === 0;
        n = this.callCount();
        if (n !== 0) break;
        this.idleWait((ms) => this.sem.timedwait(ms));
      }
      p.point('call_rcu_thread:after-count');
      this.enterQs(sleep);
      p.fetchAdd(this.ctl + C.CALL_COUNT, -n);
      this.runCallbacks(n);
    }
  }

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
  description: 'review proposal for the force_rcu series: a counting semaphore replaces sync_event (spurious forced grace periods)',
  provenance: 'review of the first posting of the qemu-devel "rcu: force_rcu" series (semaphore suggestion)',
  impl: QemuV3Semaphore,
  caps: { force: true },
});
