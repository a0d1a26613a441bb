/**
 * Forward-progress probes (rcutorture's rcu_torture_fwd_prog: rcu_fwd_cb
 * re-posting itself while the flood runs). Each flooder keeps one callback
 * that, when invoked, records how long it waited and through how many grace
 * periods, and queues itself again; the main thread (checks/forward-progress.ts)
 * fails the run when a re-post waits longer than the stall timeout while
 * grace periods keep completing.
 *
 * The probe's cells (FWD) are harness bookkeeping written with Atomics, not
 * the Platform: no scheduling point, the same on both engines.
 */
import type { RcuInstance } from '../../lib/rcu/flavor.js';
import type { RoleContext } from '../run/context.js';
import { CB, FWD, H, MAX_FLOODERS, type SharedRun } from '../run/heap-layout.js';
import { isLateProbe } from '../checks/forward-progress.js';

/** The flavor's gpSeq, or 0 when it has none (then only time counts). */
function seqOf(rcu: RcuInstance): number { return rcu.gpSeq ? rcu.gpSeq() : 0; }

/** Flooder `index` posts its probe on `node` (a node of its own pool, already taken). */
export function startProbe(ctx: RoleContext, index: number, node: number, queue: () => void): void {
  const { i32 } = ctx.shared;
  const at = ctx.shared.probe(index);
  const now = ctx.nowMs();
  for (let k = 0; k < 3; k++) Atomics.store(i32, at + FWD.AT + k, now);
  Atomics.store(i32, at + FWD.STALL_AT_POST, Math.floor(ctx.stallNowMs(now)));
  Atomics.store(i32, at + FWD.SEQ_AT_POST, seqOf(ctx.rcu));
  Atomics.store(i32, at + FWD.SEQ0, seqOf(ctx.rcu));
  Atomics.store(i32, at + FWD.INV_AT_POST, ctx.shared.invokedTotal());
  Atomics.store(i32, at + FWD.NODE, node);
  queue();
}

/**
 * A probe ran at `now`: record the launder. True when it must re-post
 * (the run goes on); false at the end, when its node goes back to its pool.
 */
export function probeInvoked(ctx: RoleContext, node: number, now: number): boolean {
  const { i32 } = ctx.shared;
  let at = -1;
  for (let i = 0; i < MAX_FLOODERS && at < 0; i++) if (Atomics.load(i32, ctx.shared.probe(i) + FWD.NODE) === node) at = ctx.shared.probe(i);
  if (at < 0) throw new Error(`forward-progress probe callback on node ${node}, which is no flooder's probe`);
  const seq = seqOf(ctx.rcu);
  const waited = now - Atomics.load(i32, node + CB.QTIME);
  const gps = (seq - Atomics.load(i32, at + FWD.SEQ_AT_POST)) >> 1;
  if (waited > Atomics.load(i32, at + FWD.MAX_WAIT_MS)) Atomics.store(i32, at + FWD.MAX_WAIT_MS, waited);
  if (gps > Atomics.load(i32, at + FWD.GPS_MAX)) Atomics.store(i32, at + FWD.GPS_MAX, gps);
  // Late even though it came back: the monitor may not have looked while it waited.
  const invokedNow = ctx.shared.invokedTotal();
  const invoked = invokedNow - Atomics.load(i32, at + FWD.INV_AT_POST);
  // Late on the stall clock (other load on the machine does not count), as the monitor judges it.
  const stallNow = Math.floor(ctx.stallNowMs(now));
  const counted = Math.min(waited, stallNow - Atomics.load(i32, at + FWD.STALL_AT_POST));
  if (Atomics.load(i32, at + FWD.LATE_MS) === 0 && isLateProbe(counted, gps, invoked, ctx.task.config.stallTimeoutMs, ctx.rcu.gpSeq !== undefined)) {
    Atomics.store(i32, at + FWD.LATE_GPS, gps);
    Atomics.store(i32, at + FWD.LATE_INV, invoked);
    Atomics.store(i32, at + FWD.LATE_MS, waited);
  }
  Atomics.store(i32, at + FWD.INV_AT_POST, invokedNow);
  // Event k = launders lands in AT + k % 3; the monitor reads it after LAUNDERS.
  const launders = Atomics.load(i32, at + FWD.LAUNDERS) + 1;
  Atomics.store(i32, at + FWD.AT + (launders % 3), now);
  Atomics.store(i32, at + FWD.STALL_AT_POST, stallNow);
  Atomics.store(i32, at + FWD.SEQ_AT_POST, seq);
  Atomics.store(i32, at + FWD.LAUNDERS, launders);
  return Atomics.load(i32, ctx.shared.cell(H.PHASE)) === 0;
}

/** The flood's statistics for the statistics block and summary.json (main thread). */
export function floodStats(shared: SharedRun, rcu: RcuInstance, invoked: number): Record<string, number> {
  const { i32 } = shared;
  let launders = 0, maxWait = 0, maxGps = 0, gps = 0, probes = 0;
  for (let i = 0; i < MAX_FLOODERS; i++) {
    const at = shared.probe(i);
    if (Atomics.load(i32, at + FWD.NODE) === 0) continue;
    probes++;
    launders += Atomics.load(i32, at + FWD.LAUNDERS);
    maxWait = Math.max(maxWait, Atomics.load(i32, at + FWD.MAX_WAIT_MS));
    maxGps = Math.max(maxGps, Atomics.load(i32, at + FWD.GPS_MAX));
    gps = Math.max(gps, (seqOf(rcu) - Atomics.load(i32, at + FWD.SEQ0)) >> 1);
  }
  if (probes === 0) return {};
  return {
    fwdLaunders: launders, fwdMaxWaitMs: maxWait, fwdMaxGpsPerLaunder: maxGps,
    floodGracePeriods: gps, floodCallbacksPerGp: gps > 0 ? Math.round(invoked / gps) : 0,
  };
}
