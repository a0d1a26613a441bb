/**
 * Throughput over time: the counters the main thread samples while a run
 * goes on, for `rcutorture compare` and the HTML report. Also remembers the
 * largest callback backlog seen at any tick (the end-of-run counter is
 * always near zero, which says nothing about how far behind a run fell),
 * and the counters at the moment the run phase ended, so that rates leave
 * out the liveness phase and the teardown.
 */
import type { Counters, Snapshot } from './statistics.js';

/** One sample; counters are cumulative since the start of the run. */
export interface TimelineSample {
  atMs: number;
  reads: number;
  gracePeriods: number;
  callbacksInvoked: number;
  callbacksPending: number;
}

export interface TimelineSummary {
  /** Samples every `intervalMs` of the run phase (the first at one interval, none at 0). */
  timeline: { intervalMs: number; samples: TimelineSample[] };
  /** The largest callbacks-pending count seen at any tick of the run. */
  maxCallbacksPending: number;
  /** Counters when the run phase ended (before the liveness phase); absent if it never ended. */
  runPhase?: { ms: number; counters: Counters };
}

/** At most about this many samples, however long the run: summary.json stays small. */
const MAX_SAMPLES = 1000;

export class TimelineRecorder {
  readonly intervalMs: number;
  private readonly samples: TimelineSample[] = [];
  private next: number;
  private maxPending = 0;
  private runEnd?: { ms: number; counters: Counters };

  constructor(durationMs: number) {
    this.intervalMs = Math.max(1000, Math.ceil(durationMs / MAX_SAMPLES / 1000) * 1000);
    this.next = this.intervalMs;
  }

  /** Called at every tick of the orchestrator; `running` is false after the run phase. */
  tick(snap: Snapshot, running: boolean): void {
    const c = snap.counters;
    this.maxPending = Math.max(this.maxPending, c.callbacksPending);
    if (!running || snap.atMs < this.next) return;
    this.samples.push({
      atMs: Math.round(snap.atMs), reads: c.reads, gracePeriods: c.gracePeriods,
      callbacksInvoked: c.callbacksInvoked, callbacksPending: c.callbacksPending,
    });
    while (this.next <= snap.atMs) this.next += this.intervalMs;
  }

  /** The run phase is over: what was counted up to here is the measured part. */
  endRunPhase(snap: Snapshot): void {
    this.runEnd = { ms: Math.round(snap.atMs), counters: { ...snap.counters } };
  }

  toSummary(): TimelineSummary {
    return {
      timeline: { intervalMs: this.intervalMs, samples: [...this.samples] },
      maxCallbacksPending: this.maxPending,
      ...(this.runEnd ? { runPhase: this.runEnd } : {}),
    };
  }
}
