/**
 * Forward progress under a callback flood (rcutorture's fwd_prog): each
 * flooder's probe callback re-posts itself; a re-post that has waited
 * longer than the stall timeout while at least MIN_FWD_GPS grace periods
 * completed is a flavor that keeps finishing grace periods but does not get
 * through its callbacks: forward-progress. (No grace periods at all is a
 * gp-stall or callback-stall, the watchdog's business.)
 *
 * No false positive: a correct flavor invokes a callback one grace period
 * after it is queued plus the time to invoke the callbacks queued before it.
 * The probe is queued behind at most one flooder pool's worth per flooder
 * (pools bound the flood), which a correct flavor runs in far less than a
 * stall timeout even on a loaded machine (the flood scenario's worst seen
 * was ~1 s at load 8.8 against stall timeouts of 3 s and more); and grace
 * periods longer than the stall timeout are gp-stall, not this.
 */
import type { RcuInstance } from '../../lib/rcu/flavor.js';
import type { RunConfig } from '../run/config.js';
import { CB, FWD, MAX_FLOODERS, type SharedRun } from '../run/heap-layout.js';
import type { CheckSpec } from './check.js';
import type { Finding } from '../run/lifecycle.js';

export const FORWARD_PROGRESS_CHECK: CheckSpec = {
  name: 'forward-progress', classes: ['forward-progress'], needs: ['backlog', 'callbacks'], runs: 'monitor',
  description: 'under a flood, a re-posted probe callback waited over the stall timeout while grace periods kept completing',
};

/** rcutorture's MIN_FWD_CB_LAUNDERS: grace periods that must have passed for "GPs keep going". */
export const MIN_FWD_GPS = 3;

export class ForwardProgressMonitor {
  private reported = false;

  constructor(private readonly shared: SharedRun, private readonly cfg: RunConfig, private readonly rcu: RcuInstance) {}

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
      if (late > 0) return this.found(nowMs, i, launders, late, Atomics.load(i32, at + FWD.LATE_GPS), 'waited');
      if (Atomics.load(i32, node + CB.QUEUED) !== 1) continue;
      const waited = nowMs - Atomics.load(i32, at + FWD.AT + (launders % 3));
      if (waited <= this.cfg.stallTimeoutMs) continue;
      const gps = this.rcu.gpSeq ? (this.rcu.gpSeq() - Atomics.load(i32, at + FWD.SEQ_AT_POST)) >> 1 : MIN_FWD_GPS;
      if (gps >= MIN_FWD_GPS) return this.found(nowMs, i, launders, waited, gps, 'has waited');
    }
    return [];
  }

  private found(nowMs: number, probe: number, launders: number, waited: number, gps: number, verb: string): Finding[] {
    this.reported = true;
    const during = this.rcu.gpSeq ? `while ${gps} grace periods completed` : 'while callbacks kept being invoked';
    return [{
      cls: 'forward-progress', atMs: nowMs,
      message: `forward progress: flooder ${probe}'s probe callback (re-posted ${launders} times) ${verb} ${Math.round(waited)} ms, over the stall timeout of ${this.cfg.stallTimeoutMs} ms, ${during}`,
    }];
  }
}
