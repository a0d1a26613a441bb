/**
 * Latency recording: HdrHistogram per thread and operation (microseconds),
 * shipped to the main thread compressed and merged there. Bounded memory
 * whatever the run length: a histogram's size depends on its range, not on
 * how many values it has seen.
 */
import hdr from 'hdr-histogram-js';

type Histogram = ReturnType<typeof hdr.build>;

const HIGHEST_US = 3_600_000_000; // one hour
const build = (): Histogram => hdr.build({
  lowestDiscernibleValue: 1, highestTrackableValue: HIGHEST_US, numberOfSignificantValueDigits: 3,
  bitBucketSize: 'packed', useWebAssembly: false,
});

export interface LatencyStats { count: number; p50: number; p90: number; p99: number; max: number; mean: number }

/** Per-thread recorder: op name -> histogram. */
export class LatencyRecorder {
  private readonly hist = new Map<string, Histogram>();

  /** `enabled` false: records nothing (the sim engine, whose latencies are virtual and left out of its summary). */
  constructor(private readonly enabled = true) {}

  recordMs(op: string, ms: number): void {
    if (!this.enabled) return;
    let h = this.hist.get(op);
    if (!h) this.hist.set(op, (h = build()));
    h.recordValue(Math.min(HIGHEST_US, Math.max(1, Math.round(ms * 1000))));
  }

  /** Compressed histograms, to cross back to the main thread. */
  export(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [op, h] of this.hist) out[op] = hdr.encodeIntoCompressedBase64(h);
    return out;
  }
}

/** Main-thread merge of every thread's histograms. */
export class LatencyMerger {
  private readonly hist = new Map<string, Histogram>();

  add(encoded: Record<string, string>): void {
    for (const [op, b64] of Object.entries(encoded)) {
      let h = this.hist.get(op);
      if (!h) this.hist.set(op, (h = build()));
      h.add(hdr.decodeFromCompressedBase64(b64, 'packed', false));
    }
  }

  /** Percentiles in milliseconds per operation. */
  stats(): Record<string, LatencyStats> {
    const ms = (us: number) => Math.round(us) / 1000;
    const out: Record<string, LatencyStats> = {};
    for (const [op, h] of this.hist) {
      out[op] = {
        count: h.totalCount,
        p50: ms(h.getValueAtPercentile(50)), p90: ms(h.getValueAtPercentile(90)),
        p99: ms(h.getValueAtPercentile(99)), max: ms(h.maxValue), mean: ms(h.mean),
      };
    }
    return out;
  }

  /** The merged histograms, compressed (for compare and report). */
  export(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [op, h] of this.hist) out[op] = hdr.encodeIntoCompressedBase64(h);
    return out;
  }
}
