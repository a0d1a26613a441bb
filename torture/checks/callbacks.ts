/**
 * The callback table every worker registers identically, and the checks
 * made on every invocation: duplicate, premature (before a full grace
 * period, by the flavor's gpSeq) and out of per-producer FIFO order.
 */
import { gpSeqDone, gpSeqSnap, type RcuInstance } from '../../lib/rcu/flavor.js';
import type { RoleContext } from '../run/context.js';
import { CB, H, N, Q, ST } from '../run/heap-layout.js';
import { probeInvoked } from '../faults/forward-progress.js';
import { ElementPool } from './pipe.js';
import { callbackDelay } from '../faults/slow-callbacks.js';
import type { CheckSpec } from './check.js';

export const CALLBACK_CHECK: CheckSpec = {
  name: 'callback-invocation', classes: ['premature-callback', 'callback-duplicated', 'callback-order'],
  needs: ['callbacks'], runs: 'roles',
  description: 'a callback ran twice, before a full grace period since its call_rcu (by gpSeq), or out of its producer\'s FIFO order',
};

/** Callback ids: the same numbers mean the same functions in every worker. */
export const enum CallbackId {
  PipeAdvance = 0,
  FreeNode = 1,
  /** A flooder's forward-progress probe: re-posts itself while the run goes on (faults/forward-progress.ts). */
  FwdProbe = 2,
}

export class CallbackTable {
  private pseq = 0;
  private pool: ElementPool | null = null;
  /** Injected callback delay (faults.callbacks), made on first use. */
  private slow: (() => void) | null | undefined;

  constructor(private readonly ctx: RoleContext) {}

  private elements(): ElementPool {
    return (this.pool ??= new ElementPool(this.ctx));
  }

  /** call_rcu (through `rcu`, by default the role's instance) with the harness header filled in first. */
  queue(node: number, fn: CallbackId, rcu: RcuInstance = this.ctx.rcu): void {
    const { p, task } = this.ctx;
    p.store(node + CB.PRODUCER, task.slot);
    p.store(node + CB.PSEQ, ++this.pseq);
    p.store(node + CB.SNAP, rcu.gpSeq ? gpSeqSnap(this.ctx.seeGpSeq(rcu.gpSeq())) : 0);
    p.store(node + CB.QTIME, this.ctx.nowMs());
    p.store(node + CB.QUEUED, 1);
    this.ctx.count(ST.CB_QUEUED);
    rcu.callRcu(node, fn);
    // Published only once call_rcu has returned: a barrier's snapshot
    // (checks/drain.ts) then never counts a call_rcu still in progress.
    // Atomics, not the Platform: harness bookkeeping, no scheduling point.
    Atomics.store(this.ctx.shared.i32, this.ctx.shared.producer(task.slot) + Q.QUEUED, this.pseq);
  }

  invoke(fn: number, node: number): void {
    const ctx = this.ctx;
    const p = ctx.p;
    if (p.exchange(node + CB.QUEUED, 0) !== 1) {
      ctx.fail('callback-duplicated', `callback ${fn} on node ${node} invoked again without being queued`);
      return;
    }
    const producer = p.load(node + CB.PRODUCER);
    // Counted before the body runs: a barrier that returned after this
    // invocation finished sees it (the marker runs after this returns).
    Atomics.add(ctx.shared.i32, ctx.shared.producer(producer) + Q.INVOKED, 1);
    if (ctx.rcu.gpSeq) {
      const seq = ctx.seeGpSeq(ctx.rcu.gpSeq());
      const snap = p.load(node + CB.SNAP);
      if (!gpSeqDone(seq, snap)) {
        ctx.fail('premature-callback', `callback on node ${node} ran at gpSeq ${seq}, before ${snap} (a full grace period after call_rcu)`);
      }
    }
    if (ctx.flavor.caps.fifoCallbacks) {
      const seq = p.load(node + CB.PSEQ);
      const last = p.exchange(ctx.shared.fifo + producer, seq);
      if (seq <= last) ctx.fail('callback-order', `callback #${seq} of thread ${producer} ran after #${last}`);
    }
    const now = ctx.nowMs();
    p.store(ctx.shared.cell(H.LAST_INVOKE_MS), now);
    ctx.latency.recordMs('callback', now - p.load(node + CB.QTIME));
    if (this.slow === undefined) this.slow = callbackDelay(ctx);
    this.slow?.();
    switch (fn) {
      case CallbackId.PipeAdvance:
        if (!this.elements().advance(node)) this.queue(node, CallbackId.PipeAdvance);
        break;
      case CallbackId.FreeNode:
        p.store(node + N.STATE, 0, 'release');
        break;
      case CallbackId.FwdProbe:
        if (probeInvoked(ctx, node, now)) this.queue(node, CallbackId.FwdProbe);
        else p.store(node + N.STATE, 0, 'release');
        break;
      default:
        throw new Error(`unknown callback id ${fn}`);
    }
    // Counted only now, after a pipe callback has re-queued itself: in between,
    // queued - invoked would say nothing is pending while the element still
    // needs grace periods, and the end-of-run drain could stop one short
    // (the simulation engine found that window: a false callback-lost).
    ctx.count(ST.CB_INVOKED);
  }
}
