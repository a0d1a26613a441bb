/**
 * Reader Batch as an exact check (Linux's rcu_torture_one_read and its
 * polled-cookie check): a reader reads the flavor's gpSeq twice INSIDE its
 * read-side critical section, `inside` right after readLock and `last` right
 * before readUnlock. If a full grace period both started and completed
 * between the two reads, that grace period ended while the reader was still
 * in a section that began before it: a too-short grace period, whether or
 * not an element happened to be reclaimed under the reader.
 *
 * In rcu_seq terms: snap = gpSeqSnap(inside) is the first value at which a
 * grace period that started after `inside` was read has completed (inside
 * even: the next one, inside + 2; inside odd: the one in progress may have
 * started before, so the one after it, inside + 3 rounded down). The check
 * fires when gpSeqDone(last, snap), wrap-safe as rcu_seq_done.
 *
 * Why a correct flavor is never flagged (the false-positive argument):
 * - Both reads are in the section: `inside` after readLock returned,
 *   `last` before readUnlock is called, in program order.
 * - The flavor's contract (RcuInstance.gpSeq) is that the odd value is
 *   published when a grace period starts, before it looks at any reader,
 *   and the even value after it has waited for every pre-existing reader.
 * - `inside` saw a value before snap - 1: it reads-before the store that
 *   started the grace period G ending at snap. `last` saw snap or later: it
 *   reads-from G's completing store or one after it. So one event of the
 *   section precedes G's start and another follows G's end. That is the
 *   pattern RCU's fundamental guarantee forbids (LKMM's rcu-order: a section
 *   with any access before a grace period's start lies wholly before its
 *   end). It is stated on the flavor's own orderings, so it holds under
 *   every memory model the flavor is correct for:
 *   - threads engine: Atomics are sequentially consistent;
 *   - sim SC: one total order by construction;
 *   - sim TSO: a load is served from the loading thread's own store buffer
 *     or from memory. The reader never stores gpSeq, so both reads come
 *     from memory: `last` sees G's completion only after the updater's
 *     store committed, which is after G's wait; store buffering may delay
 *     what the reader sees (fewer findings), never advance it.
 * - A flavor whose gpSeq is only an estimate must not claim the contract
 *   (EBR counts each epoch advance as half a grace period for this reason).
 *
 * Flavors without gpSeq skip the check. The same two reads feed the Reader
 * Batch histogram, as Linux's do.
 */
import { gpSeqDone, gpSeqSnap } from '../../lib/rcu/flavor.js';
import type { CheckSpec } from './check.js';

export const SHORT_GP_CHECK: CheckSpec = {
  name: 'short-grace-period', classes: ['short-grace-period'], needs: ['reader', 'gp-seq'], runs: 'roles',
  description: 'no full grace period (by gpSeq, read inside the section) both starts and ends within one read-side critical section',
};

/** Whether a full grace period started after `inside` and completed by `last` (both read inside one section). */
export function gpElapsedInside(inside: number, last: number): boolean {
  return gpSeqDone(last, gpSeqSnap(inside));
}
