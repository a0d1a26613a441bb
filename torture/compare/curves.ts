/**
 * The data behind the charts: percentile curves read off merged
 * HdrHistograms, and rates over time from run timelines.
 */
import hdr from 'hdr-histogram-js';
import type { TimelineSample, TimelineSummary } from '../report/timeline.js';
import { median } from './stats.js';

/** What a decoded histogram offers for one pass over its recorded values. */
interface Iterable {
  totalCount: number;
  maxValue: number;
  minNonZeroValue: number;
  recordedValuesIterator: {
    reset(): void; hasNext(): boolean;
    next(): { valueIteratedTo: number; totalCountToThisValue: number };
  };
}

/**
 * A latency distribution as HdrHistogram's classic percentile plot: x is
 * log10(1/(1-p)), so 0 = p0, 1 = p90, 2 = p99, 3 = p99.9, ...; y in ms. The
 * curve ends at the largest x the sample count can resolve, plus the max.
 *
 * One pass over the recorded values, then a binary search per point:
 * getValueAtPercentile walks every bucket of a 1 µs..1 h histogram on each
 * call, which made a report of a few comparisons take minutes.
 */
export function percentileCurve(encoded: string): { points: [number, number][]; count: number } {
  const h = hdr.decodeFromCompressedBase64(encoded, 32, false) as unknown as Iterable;
  const count = h.totalCount;
  const points: [number, number][] = [];
  if (count === 0) return { points, count };
  const values: number[] = [];
  const cumulative: number[] = [];
  const it = h.recordedValuesIterator;
  it.reset();
  while (it.hasNext()) {
    const v = it.next();
    values.push(v.valueIteratedTo);
    cumulative.push(v.totalCountToThisValue);
  }
  /** The smallest recorded value with at least `rank` values at or below it. */
  const valueAtRank = (rank: number): number => {
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid] >= rank) hi = mid;
      else lo = mid + 1;
    }
    return values[lo];
  };
  const lastX = Math.log10(Math.max(1, count));
  // getValueAtPercentile's rules: the rank is p·count rounded up (guarding
  // against float error), at least 1; p0 is the lowest value's bucket floor.
  points.push([0, h.minNonZeroValue / 1000]);
  for (let x = 0.05; x < lastX; x += 0.05) {
    const fp = count * (1 - 10 ** -x);
    points.push([x, valueAtRank(Math.max(1, Math.ceil(fp - fp * Number.EPSILON))) / 1000]);
  }
  points.push([Math.max(lastX, 0.05), h.maxValue / 1000]);
  return { points, count };
}

/** Ticks for the percentile axis, up to what the data reaches. */
export function percentileTicks(maxX: number): { value: number; label: string }[] {
  const labels = ['p0', 'p90', 'p99', 'p99.9', 'p99.99', 'p99.999', 'p99.9999'];
  return labels.slice(0, Math.max(2, Math.min(labels.length, Math.ceil(maxX) + 1))).map((label, value) => ({ value, label }));
}

type Counter = Exclude<keyof TimelineSample, 'atMs'>;

/** Per-interval rate of a counter over one timeline: [seconds, rate per second / divisor]. */
export function rateSeries(t: TimelineSummary['timeline'], counter: Counter, divisor = 1): [number, number][] {
  const out: [number, number][] = [];
  let prev: TimelineSample = { atMs: 0, reads: 0, gracePeriods: 0, callbacksInvoked: 0, callbacksPending: 0 };
  for (const s of t.samples) {
    const dt = (s.atMs - prev.atMs) / 1000;
    if (dt > 0) out.push([s.atMs / 1000, (s[counter] - prev[counter]) / dt / divisor]);
    prev = s;
  }
  return out;
}

/** A level counter (not a rate) over one timeline. */
export function levelSeries(t: TimelineSummary['timeline'], counter: Counter): [number, number][] {
  return t.samples.map((s) => [s.atMs / 1000, s[counter]]);
}

/**
 * Several trials' series point by point: at each sample index (trials share
 * the interval) the median over the trials that reached it.
 */
export function medianSeries(all: [number, number][][]): [number, number][] {
  const n = Math.max(0, ...all.map((s) => s.length));
  const out: [number, number][] = [];
  for (let i = 0; i < n; i++) {
    const here = all.filter((s) => i < s.length).map((s) => s[i]);
    out.push([median(here.map((p) => p[0])), median(here.map((p) => p[1]))]);
  }
  return out;
}
