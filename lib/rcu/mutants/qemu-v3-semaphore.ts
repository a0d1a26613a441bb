/**
 * `qemu-v3-semaphore!as-posted`: Peter Xu's semaphore proposal exactly as
 * posted on qemu-devel (6 Nov 2025, amended 7 Nov), i.e. qemu-v3-semaphore
 * without its three fixes (lib/rcu/qemu/v3-semaphore.ts says which):
 *
 * - `qemu_sem_timedwait(&sync_event, 10)` as the force condition: it
 *   returns 0 when posted and -1 on timeout, so a timeout forces and a post
 *   is eaten without forcing;
 * - the dequeue loop sleeps on the semaphore (`qemu_sem_wait`), which only
 *   the 0 -> 1 call_rcu posts: a producer caught between its exchange and
 *   its link store leaves the call_rcu thread asleep with callbacks pending;
 * - the force walk with registry_lock dropped, inherited from qemu-v2.
 *
 * It is a "mutant" only in the suite's bookkeeping (the posting is the
 * original; the fixed variant is ours): the kill matrix must find its hang.
 */
import { QemuV3Semaphore } from '../qemu/v3-semaphore.js';
import { qemuV3Semaphore } from '../qemu/v3-semaphore.js';
import { mutant } from './mutant.js';

/** qemu_sem_timedwait: 0 when it took a post, -1 when it timed out. */
const SEM_TIMEDOUT = -1;

class AsPosted extends QemuV3Semaphore {
  protected override forceWait(ms: number): boolean {
    const ret = this.sem.timedwait(ms) ? 0 : SEM_TIMEDOUT;
    return ret !== 0; // as posted: the C result read as a boolean
  }

  protected override walkWithLockDropped(): boolean { return true; }

  /** `qemu_sem_wait(&sync_event)` in the dequeue loop, as posted. */
  protected override awaitLinked(): number {
    for (;;) {
      let node = this.queue.tryDequeue();
      if (node === 0) {
        this.idleWait((ms) => this.sem.timedwait(ms));
        node = this.queue.tryDequeue();
      }
      if (node !== 0) return node;
    }
  }
}

export const qemuV3SemaphoreAsPosted = mutant(qemuV3Semaphore, {
  bug: 'as-posted',
  description: 'the semaphore proposal as posted: timedwait\'s 0/-1 read as "posted", the dequeue loop sleeping on the semaphore, the force walk unlocked',
  // The dequeue loop's sleep shows as callback-stall; the unlocked force walk (qemu-v2's hang)
  // and the eaten posts can hold a synchronize first, which is a gp-stall (seen under sim).
  expected: ['callback-stall', 'gp-stall'],
  scenario: 'call-rcu-storm',
  origin: 'Peter Xu\'s inline patch on qemu-devel, 6 Nov 2025, amended 7 Nov',
  attach: (p, heap, cfg) => new AsPosted(p, heap, cfg),
});
