/**
 * What a comparison measures, and how each figure is read off one run's
 * summary. A metric a variant cannot have (no drain op, say) is null for it,
 * not zero, so it never enters a median or a ratio.
 */
import { FAILURE_CLASSES } from '../checks/classes.js';
import type { Summary } from '../report/summary.js';

export interface MetricDef {
  key: string;
  label: string;
  unit: string;
  /** 'failures' count in every trial; the others only in trials that ran their full length. */
  group: 'throughput' | 'latency' | 'grace periods' | 'callbacks' | 'failures';
}

/** Latency operations reported, with the names they have in summary.latency. */
export const LATENCY_OPS = [
  { op: 'synchronize', label: 'synchronize' },
  { op: 'drain', label: 'drain' },
  { op: 'callback', label: 'call_rcu→callback' },
] as const;
export const PERCENTILES = ['p50', 'p90', 'p99', 'max'] as const;

export const METRICS: MetricDef[] = [
  { key: 'readsPerSecPerReader', label: 'reads/s per reader', unit: '/s', group: 'throughput' },
  ...LATENCY_OPS.flatMap(({ op, label }) => PERCENTILES.map((p): MetricDef => (
    { key: `${op}.${p}`, label: `${label} ${p}`, unit: 'ms', group: 'latency' }))),
  { key: 'gracePeriodsPerSec', label: 'grace periods/s', unit: '/s', group: 'grace periods' },
  { key: 'forcedGracePeriods', label: 'forced grace periods', unit: '', group: 'grace periods' },
  { key: 'kicks', label: 'kicks', unit: '', group: 'grace periods' },
  { key: 'maxCallbacksPending', label: 'max pending callbacks', unit: '', group: 'callbacks' },
  { key: 'stalls', label: 'stalls', unit: '', group: 'failures' },
  ...FAILURE_CLASSES.map((c): MetricDef => ({ key: `failures.${c}`, label: `failures: ${c}`, unit: '', group: 'failures' })),
];

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
  // Flavor counters exist only where the flavor reports them.
  m.forcedGracePeriods = typeof s.counters.forcedGracePeriods === 'number' ? s.counters.forcedGracePeriods : null;
  m.kicks = typeof s.counters.kicks === 'number' ? s.counters.kicks : null;
  m.maxCallbacksPending = s.maxCallbacksPending ?? null;
  m.stalls = s.stalls.length;
  for (const c of FAILURE_CLASSES) m[`failures.${c}`] = s.failures[c] ?? 0;
  return m;
}
