/**
 * Latency recording in the worker threads, with no library: per operation,
 * counts in log-linear buckets of microseconds (exact below 1024 us, then
 * 512 buckets per power of two: under 0.2% relative error, about what
 * HdrHistogram's 3 significant digits keep). The main thread turns them into
 * HdrHistograms (report/latency.ts). Loading hdr-histogram-js in each
 * updater's worker was a tenth of a second of its start-up, which counts
 * against --duration; bounded memory whatever the run length all the same.
 */

/** Highest value recorded (one hour, in microseconds); longer is clamped. */
export const HIGHEST_US = 3_600_000_000;
const EXACT = 1024;
const PER_OCTAVE = 512;

/** The bucket of `us` (an integer from 1 to HIGHEST_US). */
export function bucketOf(us: number): number {
  if (us < EXACT) return us;
  const shift = Math.floor(Math.log2(us)) - 9;
  const m = Math.floor(us / 2 ** shift); // in [512, 1024)
  return EXACT + (shift - 1) * PER_OCTAVE + (m - PER_OCTAVE);
}

/** The value a bucket stands for: its own below 1024 us, else the middle of its range. */
export function bucketValue(b: number): number {
  if (b < EXACT) return b;
  const shift = Math.floor((b - EXACT) / PER_OCTAVE) + 1;
  const m = ((b - EXACT) % PER_OCTAVE) + PER_OCTAVE;
  return Math.round((m + 0.5) * 2 ** shift);
}

/** Recorded latencies as they cross to the main thread: per operation, [bucket, count, bucket, count, ...]. */
export type RecordedLatencies = Record<string, number[]>;

/** Per-thread recorder: op name -> bucket counts. */
export class LatencyRecorder {
  private readonly hist = new Map<string, Map<number, number>>();

  /** `enabled` false: records nothing (the sim engine, whose latencies are virtual and left out of its summary). */
  constructor(private readonly enabled = true) {}

  recordMs(op: string, ms: number): void {
    if (!this.enabled) return;
    let h = this.hist.get(op);
    if (!h) this.hist.set(op, (h = new Map()));
    const b = bucketOf(Math.min(HIGHEST_US, Math.max(1, Math.round(ms * 1000))));
    h.set(b, (h.get(b) ?? 0) + 1);
  }

  export(): RecordedLatencies {
    const out: RecordedLatencies = {};
    for (const [op, h] of this.hist) out[op] = [...h].flat();
    return out;
  }
}
