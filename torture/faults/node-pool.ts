/**
 * A role's own pool of callback nodes (fakewriters, flooders): a node is
 * taken when queued and comes back when its FreeNode callback runs, on
 * whatever thread the flavor invokes it. Before a role exits, everything it
 * queued must have run (leaveNothingQueued), so the end-of-run check never
 * races a late call_rcu against the writer's final drain.
 */
import type { RoleContext } from '../run/context.js';
import { N, ST, UpdaterOp } from '../run/heap-layout.js';
import { checkDrained } from '../checks/drain.js';

export class NodePool {
  readonly nodes: number[];
  private cursor = 0;

  constructor(private readonly ctx: RoleContext, first: number, count: number) {
    this.nodes = Array.from({ length: count }, (_, i) => ctx.shared.cbNode(first + i));
  }

  /** A free node, marked queued-by-us, or 0 when every node is still pending. */
  take(): number {
    const p = this.ctx.p;
    const nodes = this.nodes;
    for (let i = 0; i < nodes.length; i++) {
      const at = this.cursor + i < nodes.length ? this.cursor + i : this.cursor + i - nodes.length;
      const node = nodes[at];
      if (p.load(node + N.STATE, 'acquire') === 0) {
        this.cursor = at + 1 === nodes.length ? 0 : at + 1;
        p.store(node + N.OWNER, this.ctx.task.slot);
        p.store(node + N.STATE, 1);
        return node;
      }
    }
    return 0;
  }

  /** Nodes queued and not yet given back by their callback. */
  pending(): number {
    const p = this.ctx.p;
    let n = 0;
    for (const node of this.nodes) if (p.load(node + N.STATE, 'acquire') !== 0) n++;
    return n;
  }

  /**
   * One drain (barrier where the flavor has it) from this thread, after which
   * every callback this role queued before must have run: drain promises the
   * caller's own, barrier everybody's, and both cover callbacks queued
   * through instances this thread has since unregistered (rcu_barrier after
   * a CPU went offline waits for its migrated callbacks). A callback still
   * queued is a drain-violation; returns whether none was. True, checking
   * nothing, for a flavor with neither.
   */
  drainAndCheck(what: string): boolean {
    const { ctx } = this;
    const { rcu } = ctx;
    const caps = ctx.flavor.caps;
    if (caps.barrier && rcu.barrier) {
      ctx.op(UpdaterOp.Barrier, () => rcu.barrier!());
      ctx.count(ST.BARRIERS);
    } else if (caps.drain && rcu.drain) {
      ctx.op(UpdaterOp.Drain, () => rcu.drain!());
      ctx.count(ST.DRAINS);
    } else {
      return true;
    }
    const pending = this.pending();
    checkDrained(ctx, what, pending);
    return pending === 0;
  }

  /**
   * Waits (as an end-of-run liveness op the watchdog watches) until every
   * callback this role queued has run: with barrier or drain where the
   * flavor has them, else by polling while its call_rcu thread works.
   */
  leaveNothingQueued(): void {
    const { ctx } = this;
    const { rcu, p } = ctx;
    const caps = ctx.flavor.caps;
    if (this.pending() === 0) return;
    ctx.op(UpdaterOp.Liveness, () => {
      while (this.pending() > 0) {
        if (caps.barrier && rcu.barrier) rcu.barrier();
        else if (caps.drain && rcu.drain) rcu.drain();
        else p.sleep(1);
      }
    });
  }
}
