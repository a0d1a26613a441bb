/**
 * The stutter end check (rcutorture's stutter, with an rcu_barrier-like
 * look at each pause): every callback queued before a pause began must
 * have been invoked within one stall timeout of the pause's start. While
 * the roles hold still nothing new arrives to wake an implementation that
 * went idle with work queued, which is exactly the bug this looks for
 * (a call_rcu thread asleep on callbacks it forgot).
 *
 * It uses the barrier check's per-producer counts (checks/drain.ts): the
 * snapshot taken when the pause begins counts only call_rcu calls that had
 * returned; re-posts after it (pipe callbacks, forward-progress probes) are
 * not owed. No false positive: a correct flavor invokes each of those one
 * grace period (plus the callbacks ahead of it) after its call_rcu, and a
 * grace period or a wait longer than the stall timeout is a stall anyway.
 * A pause that finds a flood's backlog queued may take longer than that on
 * a loaded machine, so lateness is judged as the backlog check judges it
 * (isLateLaunder): over the stall timeout while the flavor served fewer
 * than MIN_CBS_PER_GP callbacks per grace period completed meanwhile.
 * A pause that ends the run stops the wait (the end-of-run checks take over).
 */
import type { RoleContext } from '../run/context.js';
import { Q } from '../run/heap-layout.js';
import { isLateLaunder } from './forward-progress.js';
import type { CheckSpec } from './check.js';

export const STUTTER_END_CHECK: CheckSpec = {
  name: 'stutter-end', classes: ['callback-stall'], needs: ['callbacks'], runs: 'roles',
  description: 'a callback queued before a stutter pause was still not invoked a stall timeout after the pause began',
};

/** How often the stutter role looks at the invoked counts. */
const POLL_MS = 10;

/**
 * Waits until every callback in `owed` (queuedSnapshot at the pause's start,
 * `t0` on the stall clock, RoleContext.stallNowMs) has run; fails with callback-stall once late (see above). False when
 * the run stopped meanwhile.
 */
export function awaitPausedCallbacks(ctx: RoleContext, owed: Int32Array, t0: number, sleep: (ms: number) => boolean): boolean {
  const { i32 } = ctx.shared;
  const limit = ctx.task.config.stallTimeoutMs;
  const { rcu } = ctx;
  const seq0 = rcu.gpSeq ? rcu.gpSeq() : 0;
  const invoked0 = ctx.shared.invokedTotal();
  /** Late as the backlog check judges it: over the stall timeout, and not serving whole batches per grace period. */
  const late = (): boolean => isLateLaunder(ctx.stallNowMs() - t0, rcu.gpSeq ? (rcu.gpSeq() - seq0) >> 1 : 0,
    ctx.shared.invokedTotal() - invoked0, limit, rcu.gpSeq !== undefined);
  for (let s = 0; s < owed.length; s++) {
    const cell = ctx.shared.producer(s) + Q.INVOKED;
    while (Atomics.load(i32, cell) < owed[s]) {
      if (late()) {
        const missing = owed[s] - Atomics.load(i32, cell);
        const role = ctx.task.threads.roles.find((r) => r.slot === s)?.role ?? 'thread';
        ctx.fail('callback-stall', `after stutter pause: ${missing} callbacks ${role} thread ${s} queued before the pause began still not invoked ${Math.round(ctx.stallNowMs() - t0)} ms later on the stall clock (stall timeout ${limit} ms)`);
        return true;
      }
      if (!sleep(POLL_MS)) return false;
    }
  }
  return true;
}
