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
 * 3 s (the tests) to 10 s (the default). `flood.maxPending` is no longer a
 * verdict: it is accepted so that older scenario files still load.
 */
import type { RunConfig } from '../run/config.js';
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
  ) {}

  check(nowMs: number): StallReport[] {
    const flood = this.cfg.faults.flood;
    if (!flood) return [];
    const pending = pendingCallbacks(this.shared);
    if (pending > this.peakPending) this.peakPending = pending;
    if (this.reported) return [];
    const limit = this.cfg.stallTimeoutMs;
    let detail: string | undefined;
    const lastInvoke = Atomics.load(this.shared.i32, this.shared.cell(H.LAST_INVOKE_MS));
    if (pending > 0 && nowMs - lastInvoke <= limit) {
      const age = this.watchdog.oldestPendingAge(nowMs);
      if (age > limit) {
        detail = `the oldest of ${pending} pending callbacks was queued ${Math.round(age)} ms ago, over the stall timeout of ${limit} ms, while others were still being invoked (the flavor does not keep up with the flood)`;
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
