/**
 * gpSeq never goes backwards. Every observer (each role, and the main
 * thread's monitor) remembers the last value it read and reports a value
 * before it, wrap-safe by gpSeqDone as Linux's rcu_seq comparisons are. A
 * counter that steps back makes every snapshot taken before the step wait
 * for grace periods that already ended, or lets callbacks run early.
 */
import { gpSeqDone, type RcuInstance } from '../../lib/rcu/flavor.js';
import type { CheckSpec } from './check.js';

export const GP_SEQ_CHECK: CheckSpec = {
  name: 'gp-seq-monotonic', classes: ['gp-seq-backwards'], needs: ['gp-seq'], runs: 'roles',
  description: 'every observer sees the flavor\'s gpSeq only move forward (wrap-safe)',
};

export class GpSeqObserver {
  /** The last value seen; NaN before the first, which gpSeqDone takes as "not before". */
  private last = NaN;

  /** Records `seq`; returns the value seen before it when `seq` is earlier, else undefined. */
  see(seq: number): number | undefined {
    const prev = this.last;
    this.last = seq;
    return gpSeqDone(seq, prev) ? undefined : prev;
  }

  /**
   * A reader section's two reads in one step (its hot path): records them
   * and returns true when neither went back; else records nothing and
   * returns false, and the caller passes both through see() to report.
   */
  seeBoth(first: number, second: number): boolean {
    if (!gpSeqDone(first, this.last) || !gpSeqDone(second, first)) return false;
    this.last = second;
    return true;
  }
}

export interface GpSeqFinding { cls: 'gp-seq-backwards'; message: string; atMs: number }

/** The main thread as one more observer, every tick of either engine. */
export class GpSeqMonitor {
  private readonly observer = new GpSeqObserver();
  private reported = 0;

  constructor(private readonly rcu: RcuInstance) {}

  check(nowMs: number): GpSeqFinding[] {
    if (!this.rcu.gpSeq) return [];
    const seq = this.rcu.gpSeq();
    const prev = this.observer.see(seq);
    if (prev === undefined) return [];
    this.reported++;
    return [{ cls: 'gp-seq-backwards', atMs: nowMs, message: `the main thread read gpSeq ${seq} after ${prev} (${this.reported} steps back so far)` }];
  }
}
