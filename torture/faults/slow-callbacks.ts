/**
 * Delayed callbacks: a callback that sleeps or spins for a while before its
 * body runs, which slows the call_rcu thread that invokes it (callbacks run
 * there one after another). Callbacks queued meanwhile pile up; a correct
 * implementation still runs each only after a full grace period and loses
 * none.
 */
import type { RoleContext } from '../run/context.js';
import { faultStat } from './coverage.js';

/** The delay to run at the start of every callback body, or null when the scenario has none. */
export function callbackDelay(ctx: RoleContext): (() => void) | null {
  const cf = ctx.task.config.faults.callbacks;
  if (!cf || cf.probability <= 0) return null;
  const SLOW = faultStat('slowCallbacks');
  return () => {
    if (ctx.random.float() >= cf.probability) return;
    ctx.count(SLOW);
    const ms = cf.minMs + ctx.random.float() * (cf.maxMs - cf.minMs);
    if (!cf.spin) {
      ctx.p.sleep(ms);
      return;
    }
    const until = ctx.p.now() + ms;
    while (ctx.p.now() < until) ctx.p.relax();
  };
}
