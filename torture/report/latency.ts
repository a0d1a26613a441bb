/**
 * Latency recording: HdrHistogram per thread and operation (microseconds),
 * shipped to the main thread compressed and merged there. Bounded memory
 * whatever the run length: a histogram's size depends on its range, not on
 * how many values it has seen.
 */
import { createRequire } from 'node:module';
import type * as Hdr from 'hdr-histogram-js';

type Histogram = ReturnType<typeof Hdr.build>;

/**
 * Loaded on first use, synchronously (the package is CommonJS): most
 * threads of a run (plain readers) record no latency, and loading it is a
 * good part of a worker's start-up, which counts against --duration.
 */
let loaded: typeof Hdr | undefined;
const hdrLib = (): typeof Hdr => (loaded ??= createRequire(import.meta.url)('hdr-histogram-js') as typeof Hdr);

/** Loads the library now: the main thread does it while the roles run, not in the teardown after them. */
export function loadLatencyLibrary(): void { hdrLib(); }

const HIGHEST_US = 3_600_000_000; // one hour
/**
 * Workers record into packed histograms (small, cheap to ship); the main
 * thread merges into plain 32-bit ones (~90 KB each for this range):
 * decoding, adding and reading percentiles of packed ones took 0.2-0.5 s at
 * the end of a run, against tens of ms plain.
 */
const build = (bits: 'packed' | 32 = 'packed'): Histogram => hdrLib().build({
  lowestDiscernibleValue: 1, highestTrackableValue: HIGHEST_US, numberOfSignificantValueDigits: 3,
  bitBucketSize: bits, useWebAssembly: false,
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
    for (const [op, h] of this.hist) out[op] = hdrLib().encodeIntoCompressedBase64(h);
    return out;
  }
}

/** Main-thread merge of every thread's histograms. */
export class LatencyMerger {
  private readonly hist = new Map<string, Histogram>();

  add(encoded: Record<string, string>): void {
    for (const [op, b64] of Object.entries(encoded)) {
      let h = this.hist.get(op);
      if (!h) this.hist.set(op, (h = build(32)));
      h.add(hdrLib().decodeFromCompressedBase64(b64, 32, false));
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
    for (const [op, h] of this.hist) out[op] = hdrLib().encodeIntoCompressedBase64(h);
    return out;
  }
}
