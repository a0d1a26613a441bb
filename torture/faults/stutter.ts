/**
 * Stutter: every torture role holds still together for pauseMs, then runs
 * for runMs, so the implementation goes idle (its call_rcu thread parks,
 * its counters settle) and must wake up cleanly when the load comes back.
 *
 * One stutter role flips the H.PAUSED cell; the others look at it between
 * operations (holdWhilePaused) and wait on it while it is set.
 *
 * The end check of a pause (checks/stutter-end.ts): every callback queued
 * before the pause began must have been invoked within a stall timeout of
 * its start (unless the flavor is still serving whole batches per grace
 * period: a flood's backlog on a loaded machine), since an implementation
 * going idle must not leave work behind.
 */
import type { RcuInstance } from '../../lib/rcu/flavor.js';
import type { RoleContext } from '../run/context.js';
import { Activity, H } from '../run/heap-layout.js';
import { faultStat } from './coverage.js';
import { awaitPausedCallbacks } from '../checks/stutter-end.js';
import { queuedSnapshot } from '../checks/drain.js';

/** Longest wait between looks at the phase cell. */
const SLICE_MS = 50;

/**
 * Blocks while the run is paused (and not stopping). A reader passes its
 * flavor instance: a QSBR reader goes offline while it holds still, since a
 * paused online reader would block every grace period meanwhile.
 */
export function holdWhilePaused(ctx: RoleContext, rcu: RcuInstance | null): void {
  const p = ctx.p;
  const cell = ctx.shared.cell(H.PAUSED);
  if (p.load(cell) === 0) return;
  const offline = rcu?.offline !== undefined && rcu.online !== undefined;
  if (offline) rcu!.offline!();
  ctx.setActivity(offline ? Activity.Offline : Activity.Outside);
  for (let v = p.load(cell); v !== 0 && ctx.running(); v = p.load(cell)) p.wait(cell, v, SLICE_MS);
  if (offline) rcu!.online!();
  ctx.setActivity(Activity.Outside);
}

/** Sleeps up to `ms` in slices; false when the run stopped meanwhile. */
function sleepWhileRunning(ctx: RoleContext, ms: number): boolean {
  const until = ctx.p.now() + ms;
  for (;;) {
    if (!ctx.running()) return false;
    const left = until - ctx.p.now();
    if (left <= 0) return true;
    ctx.p.sleep(Math.min(left, SLICE_MS));
  }
}

export function runStutter(ctx: RoleContext): void {
  const { p } = ctx;
  const st = ctx.task.config.faults.stutter!;
  const cell = ctx.shared.cell(H.PAUSED);
  const PAUSES = faultStat('stutterPauses');
  try {
    while (sleepWhileRunning(ctx, st.runMs)) {
      ctx.count(PAUSES);
      const t0 = ctx.stallNowMs();
      p.store(cell, 1);
      const owed = queuedSnapshot(ctx);
      const more = sleepWhileRunning(ctx, st.pauseMs);
      p.store(cell, 0);
      p.wake(cell);
      if (!more) break;
      if (!awaitPausedCallbacks(ctx, owed, t0, (ms) => sleepWhileRunning(ctx, ms))) break;
    }
  } finally {
    // The end of the run never waits on a pause.
    p.store(cell, 0);
    p.wake(cell);
    ctx.setActivity(Activity.Exited);
  }
}
