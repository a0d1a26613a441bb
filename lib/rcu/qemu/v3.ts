/**
 * qemu-v3: "virtio-gpu: Force RCU when unmapping blob", second and third
 * postings (v2, 13 Dec 2025; v3, 15 Jan 2026, whose util/rcu.c is v2's),
 * patches "rcu: Use call_rcu() in synchronize_rcu()" and "rcu: Wake the RCU
 * thread when draining". Never merged.
 *
 * What changed from qemu-v2 (the first posting):
 *
 * - rcu_call_count and `forced` become one uint32 word, rcu_call_state:
 *   FORCED is bit 31, the count below it. force_rcu() ORs FORCED in and
 *   sets a separate rcu_call_force_event; rcu_call_ready_event comes back
 *   and call_rcu sets it on every call (qemu-v2's lost wake-up is gone).
 * - The call_rcu thread takes the count and FORCED in one fetch_and, in
 *   its idle loop too: a stale FORCED is dropped when the queue runs empty.
 *   enter_qs(force) starts wait_for_readers with no polls left when forced.
 * - wait_for_readers(force) decides at the top of each pass, with
 *   registry_lock held (the seed's shape): once rcu_call_state >= 30 read
 *   as unsigned (a backlog, or FORCED set since the batch began: bit 31
 *   makes the word huge) or the polls are used up, it kicks every
 *   registered reader and arms `waiting`. The normal state polls
 *   rcu_call_force_event for 10 ms at a time, so a force request cuts a
 *   poll short.
 *
 * Differences from the posting: none in the algorithm. JavaScript's
 * `1 << 31` is negative, so the word is compared after `>>> 0`, as C's
 * uint32_t is. `in_drain_call_rcu` and noteForceRequest are accounting only.
 */
import { QemuV2, MAX_SLEEPS, POLL_MS } from './v2.js';
import { C, RCU_CALL_MIN_SIZE } from '../common/state.js';
import { qemuFlavor } from './flavor.js';
import { Event } from '../../shm/event.js';

/** RCU_CALL_STATE_FORCED, as an unsigned 32-bit value. */
export const CALL_STATE_FORCED = 0x8000_0000;
/** RCU_CALL_STATE_COUNT: the bits below FORCED. */
export const CALL_STATE_COUNT = 0x7fff_ffff;

export class QemuV3 extends QemuV2 {
  private readonly forceEvent = new Event(this.p, this.ctl + C.FORCE_EVENT);

  /** rcu_call_state as C's uint32_t. */
  private callState(): number { return this.p.load(this.ctl + C.CALL_COUNT, 'relaxed') >>> 0; }

  protected override callCount(): number { return this.callState() & CALL_STATE_COUNT; }

  override forceRcu(): void {
    this.noteForceRequest();
    this.p.fetchOr(this.ctl + C.CALL_COUNT, CALL_STATE_FORCED | 0);
    this.forceEvent.set();
  }

  /** wait_for_readers(force): the seed's loop (QemuRcu.normalOrForcedWait), force decided at the top. */
  protected override waitForReaders(): void {
    // enter_qs(force): a forced batch has no polls to spend.
    let sleeps = this.sleep ? MAX_SLEEPS : 0;
    this.forceEvent.reset();
    this.normalOrForcedWait(
      // A backlog, FORCED (bit 31: unsigned, above any count), or the polls used up.
      () => this.callState() >= RCU_CALL_MIN_SIZE || sleeps === 0,
      () => {
        this.forceEvent.timedwait(POLL_MS);
        sleeps--;
      },
    );
  }

  /** call_rcu1 sets rcu_call_ready_event on every call, as before the first posting. */
  protected override countAndWake(): void {
    this.p.fetchAdd(this.ctl + C.CALL_COUNT, 1);
    this.ready.set();
  }

  protected override callRcuThread(): void {
    const p = this.p;
    for (;;) {
      let state: number;
      for (;;) {
        this.ready.reset();
        // Take FORCED with the count; an empty queue drops a stale FORCED.
        state = p.fetchAnd(this.ctl + C.CALL_COUNT, CALL_STATE_COUNT) >>> 0;
        if ((state & CALL_STATE_COUNT) !== 0) break;
        this.idleWait((ms) => this.ready.timedwait(ms));
      }
      // The dequeue loop resets and waits on rcu_call_ready_event (base awaitLinked).
      this.serveBatch(state & CALL_STATE_COUNT, (state & CALL_STATE_FORCED) === 0);
    }
  }
}

export const qemuV3 = qemuFlavor({
  name: 'qemu-v3',
  description: 'force_rcu series v2/v3: count and FORCED (bit 31) in one word, force decided at the top of wait_for_readers, call_rcu always wakes',
  provenance: 'qemu-devel "virtio-gpu: Force RCU when unmapping blob" v2 (13 Dec 2025) and v3 (15 Jan 2026, same util/rcu.c), Akihiko Odaki; never merged',
  impl: QemuV3,
  caps: { force: true },
});
