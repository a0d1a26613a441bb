/**
 * Registration churn: a thread that registers, runs a few checked read-side
 * sections, unregisters, and does it again. Each churner has a slot of its
 * own, so the flavor's per-slot reader state is reused by every
 * registration of the same churner and never shared between threads.
 *
 * With `fresh`, every cycle attaches a new flavor instance, as a new
 * short-lived thread would (rcutorture's read-exit): nothing thread-local
 * survives from one registration to the next.
 *
 * Before each unregister it queues `callbacks` call_rcu calls through the
 * instance it is about to drop (the CPU-hotplug analogue of Linux's
 * rcu_migrate_callbacks): a flavor that keeps callbacks per thread must
 * hand them on, since every one must still run (callback-lost at the end,
 * callback-stall if they sit forever). With `drainEvery`, every so many
 * unregisters it drains from the same thread and checks that all of them
 * ran (drain-violation), as rcu_barrier must wait for migrated callbacks;
 * it always does so once at the end, before waiting for the rest.
 */
import type { RcuInstance } from '../../lib/rcu/flavor.js';
import { heapView } from '../../lib/shm/layout.js';
import type { RoleContext } from '../run/context.js';
import { readSection } from '../roles/reader.js';
import { Activity, FLAVOR_PREFIX } from '../run/heap-layout.js';
import { CallbackId } from '../checks/callbacks.js';
import { CHURNER_NODES, churnerFirstNode } from '../run/config.js';
import { NodePool } from './node-pool.js';
import { faultStat } from './coverage.js';
import { holdWhilePaused } from './stutter.js';

/** What a new thread would get: the flavor attached afresh in this slot. */
function freshInstance(ctx: RoleContext): RcuInstance {
  const { task } = ctx;
  return ctx.flavor.attach(ctx.p, heapView(task.plan, FLAVOR_PREFIX), {
    maxThreads: task.threads.total,
    counterMode: task.config.counterMode,
    counterBits: task.config.counterBits,
    slot: task.slot,
    invoke: (fn, node) => ctx.callbacks.invoke(fn, node),
    memory: task.memory,
  });
}

export function runChurner(ctx: RoleContext): void {
  const { random } = ctx;
  const ch = ctx.task.config.faults.churn!;
  const REGISTRATIONS = faultStat('registrations');
  const QUEUED = faultStat('unregisterCallbacks');
  const callbacks = ctx.flavor.caps.callRcu ? ch.callbacks : 0;
  const pool = new NodePool(ctx, churnerFirstNode(ctx.task.config, ctx.task.index), callbacks > 0 ? CHURNER_NODES : 0);
  /** Unregisters so far, and whether a drain found callbacks of an unregistered instance gone (reported once). */
  let unregisters = 0;
  let lost = false;
  try {
    while (ctx.running()) {
      holdWhilePaused(ctx, null);
      const rcu = ch.fresh ? freshInstance(ctx) : ctx.rcu;
      rcu.registerThread(ctx.task.slot);
      ctx.count(REGISTRATIONS);
      const sections = ch.minSections + random.below(ch.maxSections - ch.minSections + 1);
      for (let i = 0; i < sections; i++) {
        readSection(ctx, rcu, 0, null);
        rcu.quiescentState?.();
      }
      for (let i = 0; i < callbacks; i++) {
        const node = pool.take();
        if (node === 0) break; // all still pending: this registration queues fewer
        ctx.callbacks.queue(node, CallbackId.FreeNode, rcu);
        ctx.count(QUEUED);
      }
      rcu.unregisterThread();
      unregisters++;
      if (callbacks > 0 && ch.drainEvery > 0 && !lost && unregisters % ch.drainEvery === 0) lost = !pool.drainAndCheck('drain after unregister');
      if (ch.pauseMs > 0) ctx.pause(0, ch.pauseMs);
    }
    // Callbacks that a drain does not bring back never will: the end-of-run check counts them lost.
    if (!lost && pool.pending() > 0) lost = !pool.drainAndCheck('drain after unregister');
    if (!lost) pool.leaveNothingQueued();
  } finally {
    ctx.setActivity(Activity.Exited);
  }
}
