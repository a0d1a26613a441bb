/**
 * rcu_torture_writer: publishes a new element, retires the old one either
 * synchronously (synchronize, then advance every element it has removed)
 * or through call_rcu (the callback advances the pipe and re-queues itself),
 * chosen at random. At the end it retires the last element and runs the
 * liveness phase: every outstanding callback must be invoked.
 */
import type { RoleContext } from '../run/context.js';
import { CallbackId } from '../checks/callbacks.js';
import { ElementPool } from '../checks/pipe.js';
import { Activity, E, ElementState, H, ST, UpdaterOp } from '../run/heap-layout.js';
import { pendingCallbacks } from '../checks/pending-callbacks.js';
import { betweenUpdates } from '../faults/sleeps.js';

export function runWriter(ctx: RoleContext): void {
  const { p, rcu, random } = ctx;
  const wf = ctx.task.config.faults.writer;
  const caps = ctx.flavor.caps;
  const pool = new ElementPool(ctx);
  const current = ctx.shared.cell(H.CURRENT);
  /** rcu_torture_removed: retired synchronously, waiting for more grace periods. */
  let removed: number[] = [];
  let gen = 0;

  const syncAndAdvance = () => {
    ctx.op(UpdaterOp.Synchronize, () => rcu.synchronize());
    ctx.count(ST.SYNCS);
    removed = removed.filter((e) => !pool.advance(e));
  };

  const retire = (old: number, sync: boolean) => {
    pool.advance(old); // pipe 0 -> 1: removed
    if (sync) {
      p.store(old + E.STATE, ElementState.RemovedSync);
      removed.push(old);
      syncAndAdvance();
    } else {
      p.store(old + E.STATE, ElementState.CallbackPending);
      ctx.op(UpdaterOp.CallRcu, () => ctx.callbacks.queue(old, CallbackId.PipeAdvance));
    }
  };

  while (ctx.running()) {
    ctx.pause(wf.delayMinMs, wf.delayMaxMs);
    betweenUpdates(ctx);
    const e = pool.alloc();
    if (e === 0) {
      ctx.count(ST.ALLOC_FAIL);
      // Nothing to publish: let grace periods free something.
      if (removed.length > 0) syncAndAdvance();
      else p.sleep(1);
      continue;
    }
    gen = (gen + 1) | 0;
    p.store(e + E.PIPE, 0);
    p.store(e + E.MBTEST, 1);
    p.store(e + E.GEN, gen);
    p.store(e + E.DATA, gen ^ 0x5a5a5a5a);
    p.store(e + E.STATE, ElementState.Current);
    const old = p.exchange(current, e, 'release'); // rcu_assign_pointer
    ctx.count(ST.VERSIONS);
    if (old !== 0) retire(old, !caps.callRcu || random.float() < wf.syncFraction);
  }

  // End of run: retire the last element, then wait for everything retired.
  ctx.setActivity(Activity.Updating);
  const last = p.exchange(current, 0, 'release');
  if (last !== 0) retire(last, true);
  while (removed.length > 0) syncAndAdvance();
  ctx.op(UpdaterOp.Liveness, () => {
    while (pendingCallbacks(ctx.shared) > 0) {
      if (caps.barrier && rcu.barrier) rcu.barrier();
      else if (caps.drain && rcu.drain) rcu.drain();
      else p.sleep(1);
    }
  });
  ctx.setActivity(Activity.Exited);
}
