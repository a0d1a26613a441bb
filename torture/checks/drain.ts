/** drain_call_rcu / rcu_barrier promise: nothing the caller queued earlier is still pending when it returns. */
import type { RoleContext } from '../run/context.js';
import type { CheckSpec } from './check.js';

export const DRAIN_CHECK: CheckSpec = {
  name: 'drain-barrier', classes: ['drain-violation'], needs: ['drain-barrier', 'callbacks'], runs: 'roles',
  description: 'drain or barrier returned before a callback its caller queued earlier had run',
};

/** `pending` is how many of the caller's earlier callbacks are still queued. */
export function checkDrained(ctx: RoleContext, what: string, pending: number): void {
  if (pending > 0) ctx.fail('drain-violation', `${what} on thread ${ctx.task.slot} returned with ${pending} of its earlier callbacks not yet invoked`);
}
