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
  private last: number | undefined;

  /** Records `seq`; returns the value seen before it when `seq` is earlier, else undefined. */
  see(seq: number): number | undefined {
    const prev = this.last;
    this.last = seq;
    return prev !== undefined && !gpSeqDone(seq, prev) ? prev : undefined;
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
