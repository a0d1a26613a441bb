/**
 * Injected sleeps. Sleepy readers sleep inside critical sections (holding
 * up grace periods) and between them; a QSBR reader goes offline around a
 * sleep between sections, as a QSBR thread must before it blocks. Updaters
 * (writer, fakewriters, flooders) sleep between operations.
 */
import type { RcuInstance } from '../../lib/rcu/flavor.js';
import type { RoleContext } from '../run/context.js';
import { Activity } from '../run/heap-layout.js';
import { faultStat } from './coverage.js';
import { holdWhilePaused } from './stutter.js';

export class SectionSleeps {
  private readonly IN = faultStat('sectionSleeps');
  private readonly OUT = faultStat('outsideSleeps');

  constructor(private readonly ctx: RoleContext, private readonly rcu: RcuInstance) {}

  /** Inside a section: maybe sleep; returns the ms slept, or -1 when it did not. */
  inSection(): number {
    const { ctx } = this;
    const s = ctx.task.config.faults.sleeps!;
    if (ctx.random.float() >= s.probability) return -1;
    ctx.count(this.IN);
    ctx.setActivity(Activity.Sleeping);
    const ms = ctx.pause(s.minMs, s.maxMs);
    ctx.setActivity(Activity.Outside);
    return ms;
  }

  /** Between sections: maybe sleep, offline if the flavor has the notion. */
  betweenSections(): void {
    const { ctx, rcu } = this;
    const s = ctx.task.config.faults.sleeps!;
    if (s.outsideProbability <= 0 || ctx.random.float() >= s.outsideProbability) return;
    ctx.count(this.OUT);
    const offline = rcu.offline !== undefined && rcu.online !== undefined;
    if (offline) rcu.offline!();
    ctx.setActivity(offline ? Activity.Offline : Activity.Outside);
    ctx.pause(s.minMs, s.maxMs);
    if (offline) rcu.online!();
    ctx.setActivity(Activity.Outside);
  }
}

const UPDATER_SLEEPS = faultStat('updaterSleeps');

/**
 * Called by every updater between two operations: hold still while the run
 * stutters, then maybe sleep (faults.updaterSleeps).
 */
export function betweenUpdates(ctx: RoleContext): void {
  holdWhilePaused(ctx, null);
  const us = ctx.task.config.faults.updaterSleeps;
  if (!us || ctx.random.float() >= us.probability) return;
  ctx.count(UPDATER_SLEEPS);
  ctx.pause(us.minMs, us.maxMs);
}
