/**
 * What a comparison measures, and how each figure is read off one run's
 * summary. A metric a variant cannot have (no drain op, say) is null for it,
 * not zero, so it never enters a median or a ratio.
 *
 * The harness's own figures are fixed here; a flavor's counters come from
 * what the compared flavors declare (RcuFlavor.counterSpecs), so nothing in
 * this folder knows any flavor's names.
 */
import { FAILURE_CLASSES } from '../checks/classes.js';
import type { CounterSpec } from '../../lib/rcu/flavor.js';
import type { Summary } from '../report/summary.js';
import { BASE_KEYS as HARNESS_COUNTERS } from '../report/statistics.js';

export interface MetricDef {
  key: string;
  label: string;
  unit: string;
  /**
   * 'failures' count in every trial; the others only in trials that ran their
   * full length. 'unsolicited' (flavor counters of expediting nobody asked
   * for): a zero-vs-nonzero difference is significant without an interval.
   */
  group: 'throughput' | 'latency' | 'grace periods' | 'callbacks' | 'readers' | 'unsolicited' | 'failures';
}

/** Latency operations reported, with the names they have in summary.latency. */
export const LATENCY_OPS = [
  { op: 'synchronize', label: 'synchronize' },
  { op: 'drain', label: 'drain' },
  { op: 'callback', label: 'call_rcu→callback' },
] as const;
export const PERCENTILES = ['p50', 'p90', 'p99', 'max'] as const;

/** Flavor counters are keyed apart from the harness's figures. */
export const COUNTER_PREFIX = 'counter.';

/** The metrics every comparison has, whatever the flavors. */
export const BASE_METRICS: MetricDef[] = [
  { key: 'readsPerSecPerReader', label: 'reads/s per reader', unit: '/s', group: 'throughput' },
  ...LATENCY_OPS.flatMap(({ op, label }) => PERCENTILES.map((p): MetricDef => (
    { key: `${op}.${p}`, label: `${label} ${p}`, unit: 'ms', group: 'latency' }))),
  { key: 'gracePeriodsPerSec', label: 'grace periods/s', unit: '/s', group: 'grace periods' },
  { key: 'maxCallbacksPending', label: 'max pending callbacks', unit: '', group: 'callbacks' },
];

const FAILURE_METRICS: MetricDef[] = [
  { key: 'stalls', label: 'stalls', unit: '', group: 'failures' },
  ...FAILURE_CLASSES.map((c): MetricDef => ({ key: `failures.${c}`, label: `failures: ${c}`, unit: '', group: 'failures' })),
];

/** The union of the compared flavors' declared counters, first declaration of a key wins. */
export function unionCounterSpecs(lists: readonly (readonly CounterSpec[] | undefined)[]): CounterSpec[] {
  const out = new Map<string, CounterSpec>();
  for (const list of lists) for (const c of list ?? []) if (!out.has(c.key)) out.set(c.key, c);
  return [...out.values()];
}

/** Every metric of a comparison: the harness's, the flavors' declared counters (run phase), failures. */
export function metricDefs(counters: readonly CounterSpec[]): MetricDef[] {
  const flavor = counters.map((c): MetricDef => ({
    key: COUNTER_PREFIX + c.key, label: `${c.label} (run phase)`, unit: '', group: c.group,
  }));
  return [...BASE_METRICS, ...flavor, ...FAILURE_METRICS];
}

/** One run's figures, metric key -> value (null where the variant has no such thing). */
export type TrialMetrics = Record<string, number | null>;

/**
 * Grace periods per second in the steady part of the run phase: from the
 * first timeline sample that saw reads (before it the worker threads were
 * still starting: a second, or several on a loaded machine) to the end of
 * the run phase. Falls back to the whole run phase, then the whole run.
 */
function gracePeriodRate(s: Summary): number {
  const end = s.runPhase;
  if (end && end.ms > 0) {
    const first = s.timeline?.samples.find((x) => x.reads > 0 && x.atMs < end.ms - 500);
    if (first) return (end.counters.gracePeriods - first.gracePeriods) / ((end.ms - first.atMs) / 1000);
    return end.counters.gracePeriods / (end.ms / 1000);
  }
  return s.counters.gracePeriods / (Math.max(1, s.config?.durationMs ?? s.durationMs) / 1000);
}

/**
 * Read-side critical sections per second per reader thread: reads over the
 * time readers spent in their loop (readerSeconds), which leaves out thread
 * start-up; without it, over the run phase and the reader count.
 */
function readRate(s: Summary): number {
  if (s.counters.readerSeconds > 0) return s.counters.reads / s.counters.readerSeconds;
  const readers = Math.max(1, s.threads?.readers ?? s.config?.readers ?? 1);
  const { ms, counters } = s.runPhase ?? { ms: s.config?.durationMs ?? s.durationMs, counters: s.counters };
  return counters.reads / (Math.max(1, ms) / 1000) / readers;
}

export function metricsOf(s: Summary): TrialMetrics {
  const m: TrialMetrics = {};
  m.readsPerSecPerReader = readRate(s);
  for (const { op } of LATENCY_OPS) {
    const l = s.latency?.[op];
    for (const p of PERCENTILES) m[`${op}.${p}`] = l && l.count > 0 ? l[p] : null;
  }
  m.gracePeriodsPerSec = gracePeriodRate(s);
  // Every flavor counter the run reported, as of the end of the run phase (the end-of-run
  // drain forces grace periods of its own): which of them are shown is metricDefs' business.
  const counters = s.runPhase?.counters ?? s.counters;
  for (const [k, v] of Object.entries(counters)) if (!(k in HARNESS_COUNTERS) && typeof v === 'number') m[COUNTER_PREFIX + k] = v;
  m.maxCallbacksPending = s.maxCallbacksPending ?? null;
  m.stalls = s.stalls.length;
  for (const c of FAILURE_CLASSES) m[`failures.${c}`] = s.failures[c] ?? 0;
  return m;
}
