/**
 * Forward progress under a callback flood (rcutorture's fwd_prog): each
 * flooder's probe callback re-posts itself; a re-post (a launder) that has
 * waited longer than the stall timeout, while at least MIN_FWD_GPS grace
 * periods completed and fewer than MIN_CBS_PER_GP callbacks per grace period
 * were invoked, is a flavor that keeps finishing grace periods but does not
 * get through its callbacks: forward-progress. (No grace periods at all is
 * a gp-stall or callback-stall, the watchdog's business.)
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
 * launder that waited out the stall timeout while the flavor served fewer
 * than MIN_CBS_PER_GP per grace period is a flavor that does not keep up by
 * design, not a slow machine.
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

/**
 * Whether a launder that waited `waitedMs` through `gps` grace periods while
 * `invoked` callbacks ran is a forward-progress failure. Without gpSeq only
 * time counts.
 */
export function isLateLaunder(waitedMs: number, gps: number, invoked: number, stallTimeoutMs: number, hasGpSeq: boolean): boolean {
  if (waitedMs <= stallTimeoutMs) return false;
  return !hasGpSeq || (gps >= MIN_FWD_GPS && invoked < MIN_CBS_PER_GP * gps);
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
      // Judged on the stall clock (other load on the machine does not count); reported in the run's time.
      const counted = this.clock.age(posted, nowMs);
      if (counted <= this.cfg.stallTimeoutMs) continue;
      const waited = nowMs - posted;
      const gps = this.rcu.gpSeq ? (this.rcu.gpSeq() - Atomics.load(i32, at + FWD.SEQ_AT_POST)) >> 1 : 0;
      const invoked = this.shared.invokedTotal() - Atomics.load(i32, at + FWD.INV_AT_POST);
      if (isLateLaunder(counted, gps, invoked, this.cfg.stallTimeoutMs, this.rcu.gpSeq !== undefined)) {
        return this.found(nowMs, i, launders, waited, gps, invoked, 'has waited');
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
      message: `forward progress: flooder ${probe}'s probe callback (re-posted ${launders} times) ${verb} ${Math.round(waited)} ms, over the stall timeout of ${this.cfg.stallTimeoutMs} ms, ${during}`,
    }];
  }
}
