/** Runs one of the flavor's background threads (the call_rcu thread) until the harness stops it. */
import type { RoleContext } from '../run/context.js';
import { Activity, H } from '../run/heap-layout.js';

export function runBackground(ctx: RoleContext): void {
  const thread = ctx.rcu.background[ctx.task.index];
  const stop = ctx.shared.cell(H.BG_STOP);
  thread.run(() => ctx.p.load(stop) !== 0, ctx.task.slot);
  ctx.setActivity(Activity.Exited);
}
