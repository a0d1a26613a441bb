/**
 * Latency statistics in the main thread: the workers' bucket counts
 * (report/latency-recorder.ts) merged into one HdrHistogram per operation
 * (microseconds), its percentiles, and the histograms compressed for
 * summary.json, compare and the report.
 */
import { createRequire } from 'node:module';
import type * as Hdr from 'hdr-histogram-js';
import { HIGHEST_US, bucketValue, type RecordedLatencies } from './latency-recorder.js';

type Histogram = ReturnType<typeof Hdr.build>;

/** Loaded on first use, synchronously (the package is CommonJS): only the main thread needs it. */
let loaded: typeof Hdr | undefined;
const hdrLib = (): typeof Hdr => (loaded ??= createRequire(import.meta.url)('hdr-histogram-js') as typeof Hdr);

/** Loads the library now: the main thread does it while the roles run, not in the teardown after them. */
export function loadLatencyLibrary(): void { hdrLib(); }

/**
 * Plain 32-bit histograms (~90 KB each for this range): decoding, adding and
 * reading percentiles of packed ones took 0.2-0.5 s at the end of a run,
 * against tens of ms plain.
 */
const build = (): Histogram => hdrLib().build({
  lowestDiscernibleValue: 1, highestTrackableValue: HIGHEST_US, numberOfSignificantValueDigits: 3,
  bitBucketSize: 32, useWebAssembly: false,
});

export interface LatencyStats { count: number; p50: number; p90: number; p99: number; max: number; mean: number }

/** Main-thread merge of every thread's histograms. */
export class LatencyMerger {
  private readonly hist = new Map<string, Histogram>();

  private of(op: string): Histogram {
    let h = this.hist.get(op);
    if (!h) this.hist.set(op, (h = build()));
    return h;
  }

  /** A worker's bucket counts (LatencyRecorder.export). */
  addRecorded(recorded: RecordedLatencies): void {
    for (const [op, pairs] of Object.entries(recorded)) {
      const h = this.of(op);
      for (let i = 0; i < pairs.length; i += 2) h.recordValueWithCount(bucketValue(pairs[i]), pairs[i + 1]);
    }
  }

  /** Compressed histograms of earlier merges (summary.json's `histograms`: compare merges trials). */
  add(encoded: Record<string, string>): void {
    for (const [op, b64] of Object.entries(encoded)) this.of(op).add(hdrLib().decodeFromCompressedBase64(b64, 32, false));
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
    for (const [op, h] of this.hist) out[op] = hdrLib().encodeIntoCompressedBase64(h);
    return out;
  }
}
