/**
 * The stall watchdog, in the main thread (which never runs RCU operations,
 * so it stays responsive when the implementation hangs). It turns a hang
 * into a report: who is waiting on what, which readers hold the grace
 * period up and doing what, and how old the oldest pending callback is.
 */
import type { ThreadPlan } from '../run/config.js';
import { ACTIVITY_NAMES, Activity, CB, H, UPDATER_OP_NAMES, S, ST, UpdaterOp, type SharedRun } from '../run/heap-layout.js';
import { pendingCallbacks } from './pending-callbacks.js';
import { ms, wholeMs } from '../report/ms.js';
import type { CheckSpec } from './check.js';
import type { StallClock } from '../run/stall-clock.js';

export const STALL_CHECK: CheckSpec = {
  name: 'stall-watchdog', classes: ['gp-stall', 'callback-stall'], needs: ['stalls'], runs: 'monitor',
  description: 'a synchronize, drain or barrier outstanding, or callbacks pending with none invoked, for longer than the stall timeout',
};

export interface Holdout { thread: number; role: string; activity: string; forMs: number }

export interface StallReport {
  kind: 'gp-stall' | 'callback-stall' | 'callback-backlog';
  atMs: number;
  /**
   * When the stalled thing began (ms since run start): the stuck call's
   * start, or the start of the quiet time of a callback stall. Only readers
   * inside a section since then can be holding it up.
   */
  sinceMs?: number;
  /** What was over its bound (callback-backlog). */
  detail?: string;
  /** The update-side call that is stuck (gp-stall), with its thread. */
  waiter?: { thread: number; role: string; op: string; forMs: number };
  holdouts: Holdout[];
  pendingCallbacks: number;
  oldestPendingMs: number;
  /** Found when the end-of-run liveness phase ran out, before this stall had lasted a whole stall timeout. */
  atEnd?: boolean;
  /**
   * How much of the time since `sinceMs` the stall clock counted (every role
   * running, with the CPU it asked for; run/stall-clock.ts), when start-up or
   * other load on the machine took a noticeable share of it: the timeout was judged on this.
   */
  stallClockMs?: number;
}

/** A report says how much of the wait the stall clock counted when it counted less than this share of it. */
const LOADED_SHARE = 0.9;

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
    /** What the stall timeout is judged on: other load on the machine does not count (run/stall-clock.ts). */
    readonly clock: StallClock,
  ) {}

  /** Called every tick; returns the stalls first seen now. */
  check(now: number): StallReport[] {
    // Whole milliseconds: the cells it is compared with hold whole milliseconds too.
    const nowMs = Math.round(now);
    const out: StallReport[] = [];
    this.trackReaders(nowMs);
    for (const c of this.outstandingCalls(nowMs)) {
      const key = `gp:${c.waiter.thread}:${c.opSince}`;
      if (this.clock.age(c.quietSince, nowMs) > this.stallTimeoutMs && !this.reported.has(key)) {
        this.reported.add(key);
        out.push(this.report('gp-stall', nowMs, c.waiter, c.opSince));
      }
    }
    const pending = pendingCallbacks(this.shared);
    if (pending <= 0) {
      this.pendingSince = -1;
    } else {
      if (this.pendingSince < 0) this.pendingSince = nowMs;
      const quietSince = this.callbacksQuietSince(this.pendingSince);
      if (this.clock.age(quietSince, nowMs) > this.stallTimeoutMs && !this.reported.has('cb')) {
        this.reported.add('cb');
        out.push(this.report('callback-stall', nowMs, undefined, quietSince));
      }
    }
    return out;
  }

  /**
   * When the end-of-run liveness phase ran out before anything was reported:
   * the oldest stuck thing, reported now though it has not lasted a stall
   * timeout. The oldest is the cause. Where synchronize is itself a
   * callback, a call_rcu thread that missed its wake-up stalls the callbacks
   * first and the synchronize after; where a grace period hangs, the
   * synchronize stalls first and the callbacks that wait for it after.
   * (The writer's own liveness wait is what ran out, not a cause.)
   * Undefined when nothing is outstanding.
   */
  endStall(now: number): StallReport | undefined {
    const nowMs = Math.round(now);
    let oldest: { kind: 'gp-stall' | 'callback-stall'; since: number; waiter?: StallReport['waiter'] } | undefined;
    for (const c of this.outstandingCalls(nowMs)) {
      if (c.op === UpdaterOp.Liveness) continue;
      if (!oldest || c.quietSince < oldest.since) oldest = { kind: 'gp-stall', since: c.quietSince, waiter: c.waiter };
    }
    if (pendingCallbacks(this.shared) > 0) {
      const since = this.callbacksQuietSince(this.pendingSince >= 0 ? this.pendingSince : nowMs);
      if (!oldest || since < oldest.since) oldest = { kind: 'callback-stall', since };
    }
    return oldest && { ...this.report(oldest.kind, nowMs, oldest.waiter, oldest.since), atEnd: true };
  }

  /**
   * The update-side calls outstanding now, each with the time it has been
   * quiet since. A drain or barrier waits for callbacks, however many are
   * queued (a flood's thousands): it is quiet since the later of its start
   * and the last callback invoked, so it is stalled when none has run for
   * the stall timeout, not when the backlog takes longer. Falling behind for
   * good is the backlog and forward-progress checks' verdict.
   */
  private outstandingCalls(nowMs: number): { op: number; opSince: number; quietSince: number; waiter: NonNullable<StallReport['waiter']> }[] {
    const i32 = this.shared.i32;
    const out = [];
    for (const slot of [this.threads.writer, ...this.threads.fakewriters]) {
      const s = this.shared.slot(slot);
      const op = Atomics.load(i32, s + S.OP);
      if (op === UpdaterOp.None) continue;
      const opSince = Atomics.load(i32, s + S.OP_SINCE);
      const waitsForCallbacks = op === UpdaterOp.Drain || op === UpdaterOp.Barrier;
      out.push({
        op, opSince, quietSince: waitsForCallbacks ? this.callbacksQuietSince(opSince) : opSince,
        waiter: { thread: slot, role: this.roleOf(slot), op: UPDATER_OP_NAMES[op], forMs: nowMs - opSince },
      });
    }
    return out;
  }

  /** Since when no callback has been invoked, counting from `from` at the earliest. */
  private callbacksQuietSince(from: number): number {
    return Math.max(from, Atomics.load(this.shared.i32, this.shared.cell(H.LAST_INVOKE_MS)));
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

  /**
   * The readers that can be holding up something stalled since `sinceMs`:
   * those inside a section (or stopped making progress) since then, with what
   * they are doing and for how long. A reader that entered its section
   * after the stalled call began, and only moments ago, is not what it waits
   * for, so it is not named: a synchronize spinning in plain JS, or a stuck
   * background thread, gets an empty list, not whichever readers the tick
   * happened to catch. (A section over STUCK_MS old is named even if it began
   * later: a drain or barrier runs several grace periods, and that reader
   * holds the current one.)
   */
  holdouts(nowMs: number, sinceMs = nowMs): Holdout[] {
    const i32 = this.shared.i32;
    const out: Holdout[] = [];
    for (const slot of this.readingSlots()) {
      const role = this.threads.readers.includes(slot) ? 'reader' : this.roleOf(slot);
      const s = this.shared.slot(slot);
      const act = Atomics.load(i32, s + S.ACTIVITY) as Activity;
      const since = Atomics.load(i32, s + S.ACTIVITY_SINCE);
      const progress = this.lastReads.get(slot);
      if (act === Activity.Sleeping || act === Activity.BusyLoop || act === Activity.Section) {
        if (since <= sinceMs || nowMs - since > STUCK_MS) out.push({ thread: slot, role, activity: ACTIVITY_NAMES[act], forMs: wholeMs(nowMs - since) });
      } else if (act !== Activity.Exited && progress && progress.since <= sinceMs && nowMs - progress.since > STUCK_MS) {
        // progress.since is when this watchdog last saw the count move, so the age never exceeds what it watched.
        out.push({ thread: slot, role, activity: 'no progress (inside read_lock/read_unlock or a section)', forMs: wholeMs(nowMs - progress.since) });
      }
    }
    return out;
  }

  report(kind: StallReport['kind'], nowMs: number, waiter?: StallReport['waiter'], sinceMs = nowMs): StallReport {
    const counted = this.clock.age(sinceMs, nowMs);
    return {
      kind, atMs: nowMs, sinceMs, waiter: waiter && { ...waiter, forMs: wholeMs(waiter.forMs) }, holdouts: this.holdouts(nowMs, sinceMs),
      pendingCallbacks: pendingCallbacks(this.shared),
      oldestPendingMs: wholeMs(this.oldestPendingAge(nowMs)),
      ...(counted < LOADED_SHARE * (nowMs - sinceMs) ? { stallClockMs: wholeMs(counted) } : {}),
    };
  }

  /** Age of the oldest callback still queued (scans the pools: at report time, and each tick of the backlog check while a flood has callbacks pending). */
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

/** What an empty holdout list means for each kind of stall. */
const NO_HOLDOUT: Record<StallReport['kind'], string> = {
  'gp-stall': 'no reader holds it: the updater itself is stuck',
  'callback-stall': 'no reader holds it: the callback machinery itself is stuck',
  'callback-backlog': 'no reader is inside a critical section',
};

/** One-paragraph text of a stall report for the console, log.txt and JUnit. */
export function formatStall(r: StallReport): string[] {
  const lines = [
    r.detail !== undefined
      ? `!!! ${r.kind}: ${r.detail}`
      : r.kind === 'gp-stall'
      ? `!!! ${r.kind}: ${r.waiter!.role} (thread ${r.waiter!.thread}) stuck in ${r.waiter!.op} for ${ms(r.waiter!.forMs)}`
      : `!!! ${r.kind}: ${r.pendingCallbacks} callbacks pending and none invoked for ${r.atEnd && r.sinceMs !== undefined ? ms(r.atMs - r.sinceMs) : 'over the stall timeout'}`,
    `    pending callbacks ${r.pendingCallbacks}, oldest queued ${ms(r.oldestPendingMs)} ago`,
  ];
  if (r.atEnd) lines.push('    found when the end-of-run liveness phase ran out (a stall timeout after the torture phase): the oldest thing outstanding then');
  if (r.stallClockMs !== undefined && r.sinceMs !== undefined) {
    lines.push(`    stall clock: ${ms(r.stallClockMs)} of the ${ms(r.atMs - r.sinceMs)} counted (the rest: start-up, or other load on the machine keeping the run's threads from a CPU)`);
  }
  if (r.holdouts.length === 0) lines.push(`    holdouts: ${NO_HOLDOUT[r.kind]}`);
  for (const h of r.holdouts) lines.push(`    holdout: ${h.role} thread ${h.thread}, ${h.activity}, for ${ms(h.forMs)}`);
  return lines;
}
