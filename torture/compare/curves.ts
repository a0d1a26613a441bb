/**
 * The data behind the charts: percentile curves read off merged
 * HdrHistograms, and rates over time from run timelines.
 */
import hdr from 'hdr-histogram-js';
import type { TimelineSample, TimelineSummary } from '../timeline.js';
import { median } from './stats.js';

/**
 * A latency distribution as HdrHistogram's classic percentile plot: x is
 * log10(1/(1-p)), so 0 = p0, 1 = p90, 2 = p99, 3 = p99.9, ...; y in ms. The
 * curve ends at the largest x the sample count can resolve, plus the max.
 */
export function percentileCurve(encoded: string): { points: [number, number][]; count: number } {
  const h = hdr.decodeFromCompressedBase64(encoded, 'packed', false);
  const count = h.totalCount;
  const points: [number, number][] = [];
  if (count === 0) return { points, count };
  const lastX = Math.log10(Math.max(1, count));
  for (let x = 0; x < lastX; x += 0.05) points.push([x, h.getValueAtPercentile(100 * (1 - 10 ** -x)) / 1000]);
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
