/**
 * The record of a comparison (compare.json): what was asked, where it ran,
 * every trial's figures, and per variant the medians, intervals and ratios
 * to the baseline. Everything the Markdown and the HTML show is in here, so
 * `rcutorture report` can rebuild them from this file alone.
 */
import { LatencyMerger } from '../report/latency.js';
import type { Summary, Verdict } from '../report/summary.js';
import type { TimelineSummary } from '../report/timeline.js';
import type { Machine } from './machine.js';
import type { CounterSpec } from '../../lib/rcu/flavor.js';
import { metricDefs, metricsOf, type MetricDef, type TrialMetrics } from './metrics.js';
import {
  CONFIDENCE, medianInterval, ratioInterval, zeroContrast,
  type MedianEstimate, type RatioEstimate, type Significance,
} from './stats.js';

export interface CompareRequest {
  variants: string[];
  scenario: string;
  durationMs: number;
  trials: number;
  /** Trial k runs every variant with seed (seed + k) mod 2^32. */
  seed: number;
  impl?: string;
}

export interface TrialRecord {
  /** 0-based trial (round) number. */
  trial: number;
  /** Column of the variant in the comparison (0 = baseline). */
  column: number;
  variant: string;
  seed: number;
  verdict: Verdict;
  failures: Record<string, number>;
  resultsDir?: string;
  /** Wall time of the whole run, liveness phase and teardown included. */
  wallMs: number;
  metrics: TrialMetrics;
  histograms: Record<string, string>;
  timeline?: TimelineSummary['timeline'];
  readers: number;
  /** The run phase ran its full length (a crash or a stall ends a run early). */
  complete: boolean;
}

export interface VariantResult {
  label: string;
  variant: string;
  trials: number;
  verdicts: Partial<Record<Verdict, number>>;
  metrics: Record<string, MedianEstimate | null>;
  /** Ratio to the baseline per metric; absent for the baseline itself. */
  ratios?: Record<string, RatioEstimate | null>;
  /**
   * 'unsolicited' counters where one side counted zero in every trial and
   * the other more than zero in every trial: significant without a ratio.
   */
  contrasts?: Record<string, Significance>;
  /** Every trial's latency histograms merged, per operation (compressed HdrHistogram). */
  histograms: Record<string, string>;
}

export interface CompareResult {
  tool: 'rcutorture';
  kind: 'compare';
  version: string;
  id: string;
  /** The command as typed (argv after the program). */
  command: string;
  startedAt: string;
  finishedAt: string;
  machine: Machine;
  request: CompareRequest;
  seeds: number[];
  statistics: {
    confidence: number;
    median: string;
    ratio: string;
  };
  /** The counters the compared flavors declare (the union): their rows in the table. */
  counters: CounterSpec[];
  variants: VariantResult[];
  trials: TrialRecord[];
  interrupted: boolean;
}

/** Every metric of a comparison (older compare.json files declare no counters). */
export function metricsOfResult(r: Pick<CompareResult, 'counters'>): MetricDef[] {
  return metricDefs(r.counters ?? []);
}

export const MEDIAN_METHOD = 'median over trials; distribution-free order-statistic (binomial) interval, [min, max] with its real confidence when there are fewer than 6 trials';
export const RATIO_METHOD = 'median of the per-trial-pair ratios variant/baseline (trial k of both ran with the same seed), with the same order-statistic interval';

export function trialSeed(base: number, k: number): number {
  return (base + k) >>> 0;
}

/** Column labels: variant names, with #2, #3 for repeats (comparing a variant with itself is a noise check). */
export function columnLabels(variants: readonly string[]): string[] {
  const seen = new Map<string, number>();
  return variants.map((v) => {
    const n = (seen.get(v) ?? 0) + 1;
    seen.set(v, n);
    return n === 1 ? v : `${v}#${n}`;
  });
}

/** The interleaved order: round k runs every variant once, in column order. */
export function trialOrder(columns: number, trials: number): { trial: number; column: number }[] {
  const out: { trial: number; column: number }[] = [];
  for (let trial = 0; trial < trials; trial++) for (let column = 0; column < columns; column++) out.push({ trial, column });
  return out;
}

export function trialRecord(trial: number, column: number, s: Summary, wallMs: number): TrialRecord {
  return {
    trial, column, variant: s.variant, seed: s.seed, verdict: s.verdict, failures: { ...s.failures },
    resultsDir: s.resultsDir, wallMs: Math.round(wallMs), metrics: metricsOf(s), histograms: s.histograms,
    timeline: s.timeline, readers: s.threads.readers, complete: s.runPhase !== undefined,
  };
}

/** Trials that count: an interrupted run measured only part of its time. */
export function counted(t: TrialRecord): boolean {
  return t.verdict !== 'INTERRUPTED';
}

/**
 * Which trials a metric is taken over. Failures and stalls count in every
 * trial; performance figures only in trials that ran their full length (a
 * run that crashed after 2 s says nothing about throughput).
 */
export function countsFor(group: MetricDef['group'], t: TrialRecord): boolean {
  return counted(t) && (group === 'failures' || t.complete !== false);
}

/** Medians, intervals, ratios and merged histograms per column. */
export function aggregate(
  labels: readonly string[], variants: readonly string[], trials: readonly TrialRecord[], rounds: number, metrics: readonly MetricDef[],
): VariantResult[] {
  // Values indexed by trial number, so trial k of a variant pairs with trial k of the baseline.
  const valuesOf = (column: number, m: MetricDef): (number | null)[] => {
    const v: (number | null)[] = new Array<number | null>(rounds).fill(null);
    for (const t of trials) if (t.column === column && countsFor(m.group, t)) v[t.trial] = t.metrics[m.key] ?? null;
    return v;
  };
  return labels.map((label, column) => {
    const mine = trials.filter((t) => t.column === column);
    const verdicts: Partial<Record<Verdict, number>> = {};
    for (const t of mine) verdicts[t.verdict] = (verdicts[t.verdict] ?? 0) + 1;
    const merger = new LatencyMerger();
    for (const t of mine.filter((x) => countsFor('latency', x))) merger.add(t.histograms);
    const medians: Record<string, MedianEstimate | null> = {};
    for (const m of metrics) medians[m.key] = medianInterval(valuesOf(column, m));
    const result: VariantResult = { label, variant: variants[column], trials: mine.filter(counted).length, verdicts, metrics: medians, histograms: merger.export() };
    if (column > 0) {
      result.ratios = {};
      result.contrasts = {};
      for (const m of metrics) {
        result.ratios[m.key] = ratioInterval(valuesOf(0, m), valuesOf(column, m));
        const c = m.group === 'unsolicited' ? zeroContrast(valuesOf(0, m), valuesOf(column, m)) : null;
        if (c) result.contrasts[m.key] = c;
      }
    }
    return result;
  });
}

export function statisticsInfo(): CompareResult['statistics'] {
  return { confidence: CONFIDENCE, median: MEDIAN_METHOD, ratio: RATIO_METHOD };
}
