/**
 * What drain and barrier promise, each checked as its flavor's caps say it
 * is offered:
 *
 * - drain (QEMU's drain_call_rcu): "all pending RCU callbacks on the current
 *   thread are done executing" (util/rcu.c). The single global queue makes it
 *   wait for most other threads' callbacks too, which QEMU's comment calls
 *   "a side effect that shouldn't be assumed": only the caller's own count.
 * - barrier (Linux's rcu_barrier, liburcu's rcu_barrier): every callback
 *   queued by ANY thread before the call has been invoked when it returns
 *   (Linux's rtbe test, rcu_torture_barrier).
 *
 * The barrier check needs no lock on the call_rcu path: per producer, the
 * harness publishes the sequence number of its last call_rcu after that call
 * has returned (Q.QUEUED), and every invocation adds one to its producer's
 * invoked count (Q.INVOKED). At barrier entry we read every producer's
 * QUEUED; at return, INVOKED < QUEUED(entry) for some producer means at
 * least that many of its earlier callbacks have not run.
 *
 * No false positive: a producer's QUEUED = k at entry means its call_rcu #k
 * (and so #1..#k) had returned before the barrier was called, so the barrier
 * owes all k. If all k were invoked, INVOKED >= k whatever the order (later
 * callbacks only add). A call_rcu concurrent with the barrier's entry
 * publishes after it returns, so it is never in the snapshot. The check is
 * complete for FIFO flavors (INVOKED >= k then means #1..#k ran); without
 * FIFO a late callback invoked early can hide an early one (a miss, never a
 * false report).
 */
import type { RoleContext } from '../run/context.js';
import { Q } from '../run/heap-layout.js';
import type { CheckSpec } from './check.js';

export const DRAIN_CHECK: CheckSpec = {
  name: 'drain-barrier', classes: ['drain-violation'], needs: ['drain-barrier', 'callbacks'], runs: 'roles',
  description: 'drain returned before a callback its caller queued earlier had run, or barrier before one any thread queued before it',
};

/** `pending` is how many of the caller's earlier callbacks are still queued. */
export function checkDrained(ctx: RoleContext, what: string, pending: number): void {
  if (pending > 0) ctx.fail('drain-violation', `${what} on thread ${ctx.task.slot} returned with ${pending} of its earlier callbacks not yet invoked`);
}

/** Every producer's published call_rcu count, read at barrier entry. */
export function queuedSnapshot(ctx: RoleContext): Int32Array {
  const { i32 } = ctx.shared;
  const snap = new Int32Array(ctx.task.threads.total);
  for (let s = 0; s < snap.length; s++) snap[s] = Atomics.load(i32, ctx.shared.producer(s) + Q.QUEUED);
  return snap;
}

/** At barrier return: every callback counted in `snap` must have been invoked. */
export function checkBarrier(ctx: RoleContext, snap: Int32Array): void {
  const { i32 } = ctx.shared;
  for (let s = 0; s < snap.length; s++) {
    const missing = snap[s] - Atomics.load(i32, ctx.shared.producer(s) + Q.INVOKED);
    if (missing <= 0) continue;
    const role = ctx.task.threads.roles.find((r) => r.slot === s)?.role ?? 'thread';
    ctx.fail('drain-violation', `barrier on thread ${ctx.task.slot} returned with at least ${missing} callbacks queued before it by ${role} thread ${s} not yet invoked`);
    return;
  }
}
