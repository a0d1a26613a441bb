/**
 * Forward progress under a callback flood (rcutorture's fwd_prog): each
 * flooder's probe callback re-posts itself; a re-post (a launder) that is
 * late while at least MIN_FWD_GPS grace periods completed and fewer than
 * MIN_CBS_PER_GP callbacks per grace period were invoked, is a flavor that
 * keeps finishing grace periods but does not get through its callbacks:
 * forward-progress. (No grace periods at all is a gp-stall or
 * callback-stall, the watchdog's business.) Late is either of:
 * - waited longer than the stall timeout (on the stall clock), or
 * - waited through MAX_STARVED_GPS grace periods (isStarvedProbe).
 *
 * No false positive: a correct flavor invokes a callback one grace period
 * after it is queued plus the time to invoke the callbacks queued before it
 * (one flooder pool's worth per flooder at most). Time alone is not enough
 * on an overloaded machine: a call_rcu thread that gets 1/15 of a core runs
 * 30000 callbacks in seconds (a correct qemu-v3-semaphore probe waited 8.8 s
 * at load 33). What load does not change is the rate per grace period: a
 * correct call_rcu thread serves everything queued before its grace period
 * began, thousands per grace period under a flood (the statistics'
 * floodCallbacksPerGp: 200-2500 on correct variants at load 23-36), so a
 * launder that is late while the flavor served fewer than MIN_CBS_PER_GP
 * per grace period is a flavor that does not keep up by design, not a slow
 * machine.
 *
 * Why a bound in grace periods too: time is a margin that load and a
 * user's --stall-timeout eat. urcu-mb!flood-starved serves one callback per
 * grace period; once the flood's pools (2 x 16384 nodes) are all queued its
 * probe waits behind them, at some 35 grace periods a second while the
 * readers run, and never comes back. By time that is found a stall timeout
 * after the post on the stall clock: 3 s on forward-progress when quiet,
 * later the more other load slows the clock, and as late as a user's
 * --stall-timeout says. By grace periods it is found MAX_STARVED_GPS after
 * the post (about 30 s here) whatever the clock or the stall timeout. No
 * correct flavor's probe came near: across the stall-timeout record under
 * load (results/baselines/stall-clock-under-load.md, 630 cases, shares down
 * to 8%) none waited more than a few hundred grace periods per launder, and
 * those while thousands of callbacks ran.
 */
import type { RcuInstance } from '../../lib/rcu/flavor.js';
import type { RunConfig } from '../run/config.js';
import { CB, FWD, MAX_FLOODERS, type SharedRun } from '../run/heap-layout.js';
import type { CheckSpec } from './check.js';
import type { Finding } from '../run/lifecycle.js';
import type { StallClock } from '../run/stall-clock.js';

export const FORWARD_PROGRESS_CHECK: CheckSpec = {
  name: 'forward-progress', classes: ['forward-progress'], needs: ['backlog', 'callbacks'], runs: 'monitor',
  description: 'under a flood, a re-posted probe callback waited over the stall timeout while grace periods kept completing',
};

/** rcutorture's MIN_FWD_CB_LAUNDERS: grace periods that must have passed for "GPs keep going". */
export const MIN_FWD_GPS = 3;
/** Callbacks per grace period below which a late launder is the flavor's fault, not the machine's. */
export const MIN_CBS_PER_GP = 2;
/** Grace periods the probe may wait, whatever the clock says, while fewer than MIN_CBS_PER_GP per grace period ran. */
export const MAX_STARVED_GPS = 1000;

/** Whether `invoked` callbacks over `gps` grace periods is too few: a flavor that finishes grace periods but not its callbacks. */
function servesTooFew(gps: number, invoked: number): boolean {
  return gps >= MIN_FWD_GPS && invoked < MIN_CBS_PER_GP * gps;
}

/**
 * Whether a wait of `waitedMs` (stall clock) through `gps` grace periods
 * while `invoked` callbacks ran is late: over the stall timeout while the
 * flavor served too few per grace period (time alone without gpSeq). The
 * backlog and stutter-end checks judge their waits so too.
 */
export function isLateLaunder(waitedMs: number, gps: number, invoked: number, stallTimeoutMs: number, hasGpSeq: boolean): boolean {
  if (waitedMs <= stallTimeoutMs) return false;
  return !hasGpSeq || servesTooFew(gps, invoked);
}

/**
 * The probe's own bound, in grace periods (no clock): MAX_STARVED_GPS of
 * them while the flavor served too few per grace period. Only the probe's
 * wait is judged so, not any callback's: a single callback that re-posts
 * itself is served within a few of the call_rcu thread's grace periods by
 * a correct flavor (the most any waited in the record: a few hundred),
 * while the oldest of a backlog may sit in a thread-local bag (ebr) for
 * many epochs, each half a grace period, that a flavor advances 30,000
 * times a second.
 */
export function isStarvedProbe(gps: number, invoked: number, hasGpSeq: boolean): boolean {
  return hasGpSeq && gps >= MAX_STARVED_GPS && servesTooFew(gps, invoked);
}

/** The probe's verdict: late by the stall timeout (isLateLaunder) or starved by grace periods (isStarvedProbe). */
export function isLateProbe(waitedMs: number, gps: number, invoked: number, stallTimeoutMs: number, hasGpSeq: boolean): boolean {
  return isLateLaunder(waitedMs, gps, invoked, stallTimeoutMs, hasGpSeq) || isStarvedProbe(gps, invoked, hasGpSeq);
}

/** Which bound a late wait passed, for the reports (the grace periods first: they do not depend on the clock). */
export function lateBy(gps: number, stallTimeoutMs: number): string {
  return gps >= MAX_STARVED_GPS ? `past the bound of ${MAX_STARVED_GPS} grace periods` : `over the stall timeout of ${stallTimeoutMs} ms`;
}

export class ForwardProgressMonitor {
  private reported = false;

  constructor(
    private readonly shared: SharedRun, private readonly cfg: RunConfig, private readonly rcu: RcuInstance,
    private readonly clock: StallClock,
  ) {}

  check(nowMs: number): Finding[] {
    if (this.reported || !this.cfg.faults.flood) return [];
    const { i32 } = this.shared;
    for (let i = 0; i < MAX_FLOODERS; i++) {
      const at = this.shared.probe(i);
      const node = Atomics.load(i32, at + FWD.NODE);
      if (node === 0) continue;
      // LAUNDERS before AT: a launder in between only makes `posted` newer.
      const launders = Atomics.load(i32, at + FWD.LAUNDERS);
      const late = Atomics.load(i32, at + FWD.LATE_MS);
      if (late > 0) return this.found(nowMs, i, launders, late, Atomics.load(i32, at + FWD.LATE_GPS), Atomics.load(i32, at + FWD.LATE_INV), 'waited');
      if (Atomics.load(i32, node + CB.QUEUED) !== 1) continue;
      const posted = Atomics.load(i32, at + FWD.AT + (launders % 3));
      const seqAtPost = Atomics.load(i32, at + FWD.SEQ_AT_POST);
      const invokedAtPost = Atomics.load(i32, at + FWD.INV_AT_POST);
      // A launder meanwhile (its stores end with LAUNDERS) may have mixed two posts' cells: look next tick.
      if (Atomics.load(i32, at + FWD.LAUNDERS) !== launders) continue;
      // Judged on the stall clock (other load on the machine does not count); reported in the run's time.
      const counted = this.clock.age(posted, nowMs);
      const gps = this.rcu.gpSeq ? (this.rcu.gpSeq() - seqAtPost) >> 1 : 0;
      const invoked = this.shared.invokedTotal() - invokedAtPost;
      if (isLateProbe(counted, gps, invoked, this.cfg.stallTimeoutMs, this.rcu.gpSeq !== undefined)) {
        return this.found(nowMs, i, launders, nowMs - posted, gps, invoked, 'has waited');
      }
    }
    return [];
  }

  private found(nowMs: number, probe: number, launders: number, waited: number, gps: number, invoked: number, verb: string): Finding[] {
    this.reported = true;
    const during = this.rcu.gpSeq
      ? `while ${gps} grace periods completed and only ${invoked} callbacks ran (${(invoked / Math.max(1, gps)).toFixed(1)} per grace period)`
      : `while ${invoked} callbacks ran`;
    return [{
      cls: 'forward-progress', atMs: nowMs,
      message: `forward progress: flooder ${probe}'s probe callback (re-posted ${launders} times) ${verb} ${Math.round(waited)} ms, ` +
        `${lateBy(gps, this.cfg.stallTimeoutMs)}, ${during}`,
    }];
  }
}
