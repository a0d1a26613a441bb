/**
 * rcu_torture_fakewriter: update-side load without elements. Each round
 * picks synchronize, a burst of call_rcu, drain, barrier or force_rcu by
 * the scenario's weights (ops the flavor lacks are never picked). After a
 * drain or barrier, every callback this thread queued before it must have
 * run; after a barrier, also every callback any thread queued before it.
 */
import type { RoleContext } from '../run/context.js';
import { CallbackId } from '../checks/callbacks.js';
import { checkBarrier, checkDrained as checkDrainedBy, queuedSnapshot } from '../checks/drain.js';
import { ST, UpdaterOp } from '../run/heap-layout.js';
import { NodePool } from '../faults/node-pool.js';
import { betweenUpdates } from '../faults/sleeps.js';

export function runFakewriter(ctx: RoleContext): void {
  const { rcu, random } = ctx;
  const ff = ctx.task.config.faults.fakewriter;
  const caps = ctx.flavor.caps;
  const perWriter = ctx.task.config.cbNodesPerFakewriter;
  const pool = new NodePool(ctx, ctx.task.index * perWriter, perWriter);

  const ops: { weight: number; run: () => void }[] = [
    { weight: ff.weights.synchronize, run: () => { ctx.op(UpdaterOp.Synchronize, () => rcu.synchronize()); ctx.count(ST.SYNCS); } },
    { weight: caps.callRcu ? ff.weights.callRcu : 0, run: () => queueBurst() },
    { weight: caps.drain && rcu.drain ? ff.weights.drain : 0, run: () => { ctx.op(UpdaterOp.Drain, () => rcu.drain!()); ctx.count(ST.DRAINS); checkDrained('drain'); } },
    { weight: caps.barrier && rcu.barrier ? ff.weights.barrier : 0, run: () => barrier() },
    { weight: caps.force && rcu.forceRcu ? ff.weights.force : 0, run: () => { ctx.op(UpdaterOp.Force, () => rcu.forceRcu!()); ctx.count(ST.FORCES); } },
  ];
  const weights = ops.map((o) => o.weight);
  if (!weights.some((w) => w > 0)) weights[0] = 1;

  function queueBurst(): void {
    for (let i = 0; i < ff.callBurst; i++) {
      const node = pool.take();
      if (node === 0) { ctx.count(ST.ALLOC_FAIL); return; }
      ctx.op(UpdaterOp.CallRcu, () => ctx.callbacks.queue(node, CallbackId.FreeNode));
    }
  }

  /** rcu_barrier: this thread's callbacks and every other thread's queued before it. */
  function barrier(): void {
    const snap = queuedSnapshot(ctx);
    ctx.op(UpdaterOp.Barrier, () => rcu.barrier!());
    ctx.count(ST.BARRIERS);
    checkDrained('barrier');
    checkBarrier(ctx, snap);
  }

  /** drain_call_rcu / rcu_barrier promise: nothing this thread queued earlier is still pending. */
  function checkDrained(what: string): void {
    checkDrainedBy(ctx, what, pool.pending());
  }

  while (ctx.running()) {
    ctx.pause(ff.delayMinMs, ff.delayMaxMs);
    betweenUpdates(ctx);
    ops[random.weighted(weights)].run();
  }
  pool.leaveNothingQueued();
}
