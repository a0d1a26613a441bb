/**
 * qemu-v2-fixed: the force_rcu series, second posting. VARIANTS.md, section
 * qemu-v2-fixed. Same structure as qemu-v2, with the two fixes its
 * changelog describes, in our own design:
 *
 * - `count` and `forced` share one word, call_state (FORCED in bit 31, the
 *   count below it). call_rcu sets `ready` on every call, so a late
 *   producer always wakes a call_rcu thread waiting for its node (qemu-v2's
 *   hang); force_rcu sets FORCED and a separate force_event.
 * - The call_rcu thread takes FORCED and the count it serves in one
 *   fetch_and, so a force request is never lost nor split from its batch. A
 *   request landing during the grace period cuts its normal-state poll short
 *   through force_event, and stays set for the next batch, in case the
 *   requester's callback is there.
 */
import { QemuV2 } from './v2.js';
import { C } from '../common/state.js';
import { qemuFlavor } from './flavor.js';
import { Event } from '../../shm/event.js';

const FORCED = 1 << 31;
const COUNT_MASK = ~FORCED;

export class QemuV2Fixed extends QemuV2 {
  private readonly forceEvent = new Event(this.p, this.ctl + C.FORCE_EVENT);

  override forceRcu(): void {
    this.p.fetchOr(this.ctl + C.CALL_COUNT, FORCED);
    this.forceEvent.set();
  }

  protected override callCount(): number { return this.p.load(this.ctl + C.CALL_COUNT, 'relaxed') & COUNT_MASK; }

  /** Every call_rcu may find the thread asleep in its dequeue loop: always wake it. */
  protected override countAndWake(): void {
    this.p.fetchAdd(this.ctl + C.CALL_COUNT, 1);
    this.ready.set();
  }

  protected override forceWait(ms: number): boolean { return this.forceEvent.timedwait(ms); }

  protected override callRcuThread(): void {
    const p = this.p;
    for (;;) {
      this.awaitCallbacks();
      // Force requests made before this point travel in the FORCED bit.
      this.forceEvent.reset();
      const state = p.fetchAnd(this.ctl + C.CALL_COUNT, COUNT_MASK);
      const n = state & COUNT_MASK;
      p.point('call_rcu_thread:after-count');
      this.enterQs((state & FORCED) === 0);
      p.fetchAdd(this.ctl + C.CALL_COUNT, -n);
      this.runCallbacks(n);
    }
  }
}

export const qemuV2Fixed = qemuFlavor({
  name: 'qemu-v2-fixed',
  description: 'force_rcu series, second posting: count and FORCED in one word, call_rcu always wakes, separate force_event',
  provenance: 'qemu-devel "rcu: force_rcu" series by Akihiko Odaki, second posting (fixes of its changelog, our design)',
  impl: QemuV2Fixed,
  caps: { force: true },
});
