/**
 * The callback flooder (rcutorture's forward-progress test): posts call_rcu
 * bursts from its own node pool as fast as it can. Its pool is large, so
 * the pending count is bounded by how fast the implementation retires
 * callbacks, not by the pool; the main thread reports callback-backlog when
 * the oldest pending callback outlives the stall timeout or the process
 * outgrows its memory cap (checks/backlog.ts). One node of its pool is its
 * forward-progress probe, a callback that re-posts itself while the flood
 * runs (faults/forward-progress.ts, checks/forward-progress.ts).
 */
import type { RoleContext } from '../run/context.js';
import { CallbackId } from '../checks/callbacks.js';
import { flooderFirstNode } from '../run/config.js';
import { Activity } from '../run/heap-layout.js';
import { NodePool } from './node-pool.js';
import { betweenUpdates } from './sleeps.js';
import { faultStat } from './coverage.js';
import { startProbe } from './forward-progress.js';

export function runFlooder(ctx: RoleContext): void {
  const cfg = ctx.task.config;
  const fl = cfg.faults.flood!;
  const pool = new NodePool(ctx, flooderFirstNode(cfg, ctx.task.index), fl.nodes);
  const POSTED = faultStat('floodPosted');
  const THROTTLED = faultStat('floodThrottled');
  const probe = pool.take();
  startProbe(ctx, ctx.task.index, probe, () => ctx.callbacks.queue(probe, CallbackId.FwdProbe));
  while (ctx.running()) {
    betweenUpdates(ctx);
    let posted = 0;
    for (; posted < fl.burst; posted++) {
      const node = pool.take();
      if (node === 0) break;
      ctx.callbacks.queue(node, CallbackId.FreeNode);
    }
    ctx.count(POSTED, posted);
    if (posted < fl.burst) {
      // The whole pool is pending: wait for the implementation to catch up.
      ctx.count(THROTTLED);
      ctx.p.sleep(1);
    } else if (fl.pauseMs > 0) {
      ctx.p.sleep(fl.pauseMs);
    }
  }
  pool.leaveNothingQueued();
  ctx.setActivity(Activity.Exited);
}
