/**
 * The stall watchdog, in the main thread (which never runs RCU operations,
 * so it stays responsive when the implementation hangs). It turns a hang
 * into a report: who is waiting on what, which readers hold the grace
 * period up and doing what, and how old the oldest pending callback is.
 */
import type { ThreadPlan } from '../run/config.js';
import { ACTIVITY_NAMES, Activity, CB, H, UPDATER_OP_NAMES, S, ST, UpdaterOp, type SharedRun } from '../run/heap-layout.js';
import { pendingCallbacks } from './pending-callbacks.js';
import type { CheckSpec } from './check.js';

export const STALL_CHECK: CheckSpec = {
  name: 'stall-watchdog', classes: ['gp-stall', 'callback-stall'], needs: ['stalls'], runs: 'monitor',
  description: 'a synchronize, drain or barrier outstanding, or callbacks pending with none invoked, for longer than the stall timeout',
};

export interface Holdout { thread: number; role: string; activity: string; forMs: number }

export interface StallReport {
  kind: 'gp-stall' | 'callback-stall' | 'callback-backlog';
  atMs: number;
  /** What was over its bound (callback-backlog). */
  detail?: string;
  /** The update-side call that is stuck (gp-stall), with its thread. */
  waiter?: { thread: number; role: string; op: string; forMs: number };
  holdouts: Holdout[];
  pendingCallbacks: number;
  oldestPendingMs: number;
}

/** A reader whose read count has not moved for this long is stuck somewhere. */
const STUCK_MS = 1000;

export class Watchdog {
  private readonly lastReads = new Map<number, { reads: number; since: number }>();
  private pendingSince = -1;
  private readonly reported = new Set<string>();

  constructor(
    private readonly shared: SharedRun,
    private readonly threads: ThreadPlan,
    private readonly stallTimeoutMs: number,
    private readonly roleOf: (slot: number) => string,
  ) {}

  /** Called every tick; returns the stalls first seen now. */
  check(now: number): StallReport[] {
    // Whole milliseconds: the cells it is compared with hold whole milliseconds too.
    const nowMs = Math.round(now);
    const out: StallReport[] = [];
    this.trackReaders(nowMs);
    const i32 = this.shared.i32;
    for (const slot of [this.threads.writer, ...this.threads.fakewriters]) {
      const s = this.shared.slot(slot);
      const op = Atomics.load(i32, s + S.OP);
      if (op === UpdaterOp.None) continue;
      const forMs = nowMs - Atomics.load(i32, s + S.OP_SINCE);
      const key = `gp:${slot}:${Atomics.load(i32, s + S.OP_SINCE)}`;
      if (forMs > this.stallTimeoutMs && !this.reported.has(key)) {
        this.reported.add(key);
        out.push(this.report('gp-stall', nowMs, { thread: slot, role: this.roleOf(slot), op: UPDATER_OP_NAMES[op], forMs }));
      }
    }
    const pending = pendingCallbacks(this.shared);
    if (pending <= 0) {
      this.pendingSince = -1;
    } else {
      if (this.pendingSince < 0) this.pendingSince = nowMs;
      const lastInvoke = Atomics.load(i32, this.shared.cell(H.LAST_INVOKE_MS));
      const quietFor = nowMs - Math.max(lastInvoke, this.pendingSince);
      if (quietFor > this.stallTimeoutMs && !this.reported.has('cb')) {
        this.reported.add('cb');
        out.push(this.report('callback-stall', nowMs));
      }
    }
    return out;
  }

  /** Threads that hold read-side sections: readers and registration churners. */
  private readingSlots(): number[] {
    return [...this.threads.readers, ...(this.threads.churners ?? [])];
  }

  private trackReaders(nowMs: number): void {
    for (const slot of this.readingSlots()) {
      const reads = this.shared.f64[this.shared.stats(slot) + ST.READS];
      const prev = this.lastReads.get(slot);
      if (!prev || prev.reads !== reads) this.lastReads.set(slot, { reads, since: nowMs });
    }
  }

  /** Every reader whose state can block a grace period, with what it is doing and for how long. */
  holdouts(nowMs: number): Holdout[] {
    const i32 = this.shared.i32;
    const out: Holdout[] = [];
    for (const slot of this.readingSlots()) {
      const role = this.threads.readers.includes(slot) ? 'reader' : this.roleOf(slot);
      const s = this.shared.slot(slot);
      const act = Atomics.load(i32, s + S.ACTIVITY) as Activity;
      const since = Atomics.load(i32, s + S.ACTIVITY_SINCE);
      const progress = this.lastReads.get(slot);
      if (act === Activity.Sleeping || act === Activity.BusyLoop || act === Activity.Section) {
        out.push({ thread: slot, role, activity: ACTIVITY_NAMES[act], forMs: nowMs - since });
      } else if (act !== Activity.Exited && progress && nowMs - progress.since > STUCK_MS) {
        out.push({ thread: slot, role, activity: 'no progress (inside read_lock/read_unlock or a section)', forMs: nowMs - progress.since });
      }
    }
    return out;
  }

  report(kind: StallReport['kind'], nowMs: number, waiter?: StallReport['waiter']): StallReport {
    return {
      kind, atMs: nowMs, waiter, holdouts: this.holdouts(nowMs),
      pendingCallbacks: pendingCallbacks(this.shared),
      oldestPendingMs: this.oldestPendingAge(nowMs),
    };
  }

  /** Age of the oldest callback still queued (scans the pools; only at report time). */
  oldestPendingAge(nowMs: number): number {
    const i32 = this.shared.i32;
    let oldest = Infinity;
    const consider = (node: number) => {
      if (Atomics.load(i32, node + CB.QUEUED) === 1) oldest = Math.min(oldest, Atomics.load(i32, node + CB.QTIME));
    };
    for (let i = 0; i < this.shared.sizes.elements; i++) consider(this.shared.element(i));
    for (let i = 0; i < this.shared.sizes.cbNodes; i++) consider(this.shared.cbNode(i));
    return oldest === Infinity ? 0 : nowMs - oldest;
  }
}

/** One-paragraph text of a stall report for the console. */
export function formatStall(r: StallReport): string[] {
  const lines = [
    r.detail !== undefined
      ? `!!! ${r.kind}: ${r.detail}`
      : r.kind === 'gp-stall'
      ? `!!! ${r.kind}: ${r.waiter!.role} (thread ${r.waiter!.thread}) stuck in ${r.waiter!.op} for ${r.waiter!.forMs} ms`
      : `!!! ${r.kind}: ${r.pendingCallbacks} callbacks pending and none invoked for over the stall timeout`,
    `    pending callbacks ${r.pendingCallbacks}, oldest queued ${r.oldestPendingMs} ms ago`,
  ];
  if (r.holdouts.length === 0) lines.push('    holdouts: no reader is inside a critical section');
  for (const h of r.holdouts) lines.push(`    holdout: ${h.role} thread ${h.thread}, ${h.activity}, for ${h.forMs} ms`);
  return lines;
}


