/**
 * Forward progress under a callback flood, checked by the main thread every
 * tick: the oldest pending callback must not outlive the stall timeout
 * while callbacks are still being invoked, and the process must stay under
 * its memory cap, or the run fails with callback-backlog. (Nothing invoked
 * at all is callback-stall, the watchdog's; this is an implementation that
 * keeps working but cannot keep up.)
 *
 * Why age, not a count: how many callbacks are pending at once depends on
 * how fast the machine runs the flooders against the call_rcu thread (a
 * correct urcu-mb peaked at 7136 at load 1 and 21323 at load 8.8 on the
 * same seed), so any absolute bound is a load-dependent verdict. The age of
 * the oldest pending callback is what the flavor promises something about:
 * a correct flavor invokes a callback one grace period after its call_rcu
 * plus the time to invoke those queued before it, and the flooders' pools
 * bound how many those are. A grace period longer than the stall timeout is
 * gp-stall already; so an age over the stall timeout with invocations still
 * going is a flavor that has fallen behind for good. The worst age seen on
 * a correct flavor under load was ~1 s (load 8.8), against stall timeouts of
 * 3 s (the tests) to 10 s (the default). On an overloaded machine (load 30
 * on 2 cores) a correct call_rcu thread can still fall seconds behind, so as
 * the forward-progress check does, the age must come with fewer than
 * MIN_CBS_PER_GP callbacks invoked per grace period completed meanwhile: a
 * correct flavor serves a whole batch per grace period. `flood.maxPending`
 * is no longer a verdict: it is accepted so that older scenario files load.
 */
import type { RcuInstance } from '../../lib/rcu/flavor.js';
import type { RunConfig } from '../run/config.js';
import { isLateLaunder } from './forward-progress.js';
import { H, type SharedRun } from '../run/heap-layout.js';
import type { StallReport, Watchdog } from './watchdog.js';
import { pendingCallbacks } from './pending-callbacks.js';
import type { CheckSpec } from './check.js';

export const BACKLOG_CHECK: CheckSpec = {
  name: 'callback-backlog', classes: ['callback-backlog'], needs: ['backlog', 'callbacks'], runs: 'monitor',
  description: 'under a flood, the oldest pending callback outlived the stall timeout while others were still invoked, or the process went over its memory cap',
};

const MIB = 1024 * 1024;

export class BacklogMonitor {
  private reported = false;
  /** The largest pending count seen (coverage: how hard the flood pushed). */
  peakPending = 0;

  constructor(
    private readonly shared: SharedRun, private readonly cfg: RunConfig, private readonly watchdog: Watchdog,
    /** Whether to read the process's RSS (off under sim, where a schedule must not depend on the machine). */
    private readonly memoryCap = true,
    /** The main thread's flavor instance, for gpSeq (none: only the age counts). */
    private readonly rcu?: RcuInstance,
  ) {}

  /** One sample per tick (time, callbacks invoked, gpSeq), the last four stall timeouts' worth. */
  private readonly samples: { t: number; invoked: number; seq: number }[] = [];

  /**
   * Callbacks invoked and grace periods completed since `since`, each
   * counted from the sample that makes it smaller for invocations' sake
   * (the last one at or before `since`) and for grace periods' sake (the
   * first one at or after it): both err towards "kept up".
   */
  private since(since: number, now: { invoked: number; seq: number }): { invoked: number; gps: number } {
    let before = this.samples[0];
    let after = this.samples[this.samples.length - 1];
    for (const s of this.samples) if (s.t <= since) before = s;
    for (let i = this.samples.length - 1; i >= 0 && this.samples[i].t >= since; i--) after = this.samples[i];
    return { invoked: now.invoked - before.invoked, gps: (now.seq - after.seq) >> 1 };
  }

  check(nowMs: number): StallReport[] {
    const flood = this.cfg.faults.flood;
    if (!flood) return [];
    const pending = pendingCallbacks(this.shared);
    if (pending > this.peakPending) this.peakPending = pending;
    if (this.reported) return [];
    const limit = this.cfg.stallTimeoutMs;
    const now = { t: nowMs, invoked: this.shared.invokedTotal(), seq: this.rcu?.gpSeq ? this.rcu.gpSeq() : 0 };
    this.samples.push(now);
    while (this.samples.length > 2 && this.samples[1].t < nowMs - 4 * limit) this.samples.shift();
    let detail: string | undefined;
    const lastInvoke = Atomics.load(this.shared.i32, this.shared.cell(H.LAST_INVOKE_MS));
    // Ages on the stall clock, as the watchdog's: other load on the machine does not count.
    const { clock } = this.watchdog;
    if (pending > 0 && clock.age(lastInvoke, nowMs) <= limit) {
      const age = this.watchdog.oldestPendingAge(nowMs);
      const { invoked, gps } = this.since(nowMs - age, now);
      if (isLateLaunder(clock.age(nowMs - age, nowMs), gps, invoked, limit, this.rcu?.gpSeq !== undefined)) {
        const rate = this.rcu?.gpSeq ? `, ${invoked} invoked over ${gps} grace periods meanwhile` : '';
        detail = `the oldest of ${pending} pending callbacks was queued ${Math.round(age)} ms ago, over the stall timeout of ${limit} ms, while others were still being invoked${rate} (the flavor does not keep up with the flood)`;
      }
    }
    if (detail === undefined && this.memoryCap) {
      const rss = process.memoryUsage.rss();
      if (rss > flood.memoryCapMb * MIB) detail = `process RSS ${Math.round(rss / MIB)} MiB, over the memory cap of ${flood.memoryCapMb} MiB (safety net: the run would exhaust the machine)`;
    }
    if (detail === undefined) return [];
    this.reported = true;
    return [{ ...this.watchdog.report('callback-backlog', nowMs), detail }];
  }
}
