/**
 * rcu_torture_fakewriter: update-side load without elements. Each round
 * picks synchronize, a burst of call_rcu, drain, barrier or force_rcu by
 * the scenario's weights (ops the flavor lacks are never picked). After a
 * drain or barrier, every callback this thread queued before it must have run.
 */
import type { RoleContext } from '../context.js';
import { CallbackId } from '../callbacks.js';
import { N, ST, UpdaterOp } from '../shared.js';

export function runFakewriter(ctx: RoleContext): void {
  const { p, rcu, random } = ctx;
  const ff = ctx.task.config.faults.fakewriter;
  const caps = ctx.flavor.caps;
  const perWriter = ctx.task.config.cbNodesPerFakewriter;
  const firstNode = ctx.task.index * perWriter;
  const nodes = Array.from({ length: perWriter }, (_, i) => ctx.shared.cbNode(firstNode + i));
  let cursor = 0;

  const ops: { weight: number; run: () => void }[] = [
    { weight: ff.weights.synchronize, run: () => { ctx.op(UpdaterOp.Synchronize, () => rcu.synchronize()); ctx.count(ST.SYNCS); } },
    { weight: caps.callRcu ? ff.weights.callRcu : 0, run: () => queueBurst() },
    { weight: caps.drain && rcu.drain ? ff.weights.drain : 0, run: () => { ctx.op(UpdaterOp.Drain, () => rcu.drain!()); ctx.count(ST.DRAINS); checkDrained('drain'); } },
    { weight: caps.barrier && rcu.barrier ? ff.weights.barrier : 0, run: () => { ctx.op(UpdaterOp.Barrier, () => rcu.barrier!()); ctx.count(ST.BARRIERS); checkDrained('barrier'); } },
    { weight: caps.force && rcu.forceRcu ? ff.weights.force : 0, run: () => { ctx.op(UpdaterOp.Force, () => rcu.forceRcu!()); ctx.count(ST.FORCES); } },
  ];
  const weights = ops.map((o) => o.weight);
  if (!weights.some((w) => w > 0)) weights[0] = 1;

  function freeNode(): number {
    for (let i = 0; i < nodes.length; i++) {
      const node = nodes[(cursor + i) % nodes.length];
      if (p.load(node + N.STATE, 'acquire') === 0) {
        cursor = (cursor + i + 1) % nodes.length;
        return node;
      }
    }
    return 0;
  }

  function queueBurst(): void {
    for (let i = 0; i < ff.callBurst; i++) {
      const node = freeNode();
      if (node === 0) { ctx.count(ST.ALLOC_FAIL); return; }
      p.store(node + N.OWNER, ctx.task.slot);
      p.store(node + N.STATE, 1);
      ctx.op(UpdaterOp.CallRcu, () => ctx.callbacks.queue(node, CallbackId.FreeNode));
    }
  }

  /** drain_call_rcu / rcu_barrier promise: nothing this thread queued earlier is still pending. */
  function checkDrained(what: string): void {
    const left = nodes.filter((node) => p.load(node + N.STATE, 'acquire') !== 0).length;
    if (left > 0) ctx.fail('drain-violation', `${what} on thread ${ctx.task.slot} returned with ${left} of its earlier callbacks not yet invoked`);
  }

  while (ctx.running()) {
    ctx.pause(ff.delayMinMs, ff.delayMaxMs);
    ops[random.weighted(weights)].run();
  }
}
