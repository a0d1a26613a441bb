/**
 * Forward progress under a callback flood, checked by the main thread every
 * tick: the pending-callback count must stay under the scenario's bound and
 * the process under its memory cap, or the run fails with callback-backlog.
 * (A hang is the watchdog's business; this is an implementation that keeps
 * working but cannot keep up.)
 */
import type { RunConfig } from '../run/config.js';
import type { SharedRun } from '../run/heap-layout.js';
import type { StallReport, Watchdog } from './watchdog.js';
import { pendingCallbacks } from './pending-callbacks.js';
import type { CheckSpec } from './check.js';

export const BACKLOG_CHECK: CheckSpec = {
  name: 'callback-backlog', classes: ['callback-backlog'], needs: ['backlog', 'callbacks'], runs: 'monitor',
  description: 'pending callbacks over the flood\'s bound, or the process over its memory cap',
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
    let detail: string | undefined;
    if (pending > flood.maxPending) {
      detail = `${pending} callbacks pending, over the scenario's bound of ${flood.maxPending}`;
    } else if (this.memoryCap) {
      const rss = process.memoryUsage.rss();
      if (rss > flood.memoryCapMb * MIB) detail = `process RSS ${Math.round(rss / MIB)} MiB, over the memory cap of ${flood.memoryCapMb} MiB`;
    }
    if (detail === undefined) return [];
    this.reported = true;
    return [{ ...this.watchdog.report('callback-backlog', nowMs), detail }];
  }
}
