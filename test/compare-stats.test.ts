/**
 * The statistics of `rcutorture compare` on fixed inputs: medians and their
 * order-statistic intervals, ratios to the baseline over trial pairs, the
 * significance marking, and the table that shows them.
 */
import { describe, expect, it } from 'vitest';
import { binomialHalfCdf, median, medianInterval, ratioInterval, significanceOf, zeroContrast } from '../torture/compare/stats.js';
import { aggregate, columnLabels, metricsOfResult, trialOrder, trialSeed, type CompareResult, type TrialRecord } from '../torture/compare/result.js';
import { metricDefs, metricsOf, unionCounterSpecs } from '../torture/compare/metrics.js';
import type { CounterSpec } from '../lib/rcu/flavor.js';
import type { Summary } from '../torture/report/summary.js';
import { compareTable, tableNotes } from '../torture/compare/table.js';
import { num, significanceMark } from '../torture/compare/format.js';

describe('median and its interval', () => {
  it('takes the middle value, or the mean of the two middle ones', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNaN();
  });

  it('computes binomial(n, 1/2) tail probabilities exactly', () => {
    expect(binomialHalfCdf(0, 3)).toBe(0.125);
    expect(binomialHalfCdf(1, 10)).toBeCloseTo(11 / 1024, 12);
    expect(binomialHalfCdf(-1, 5)).toBe(0);
    expect(binomialHalfCdf(5, 5)).toBe(1);
  });

  it('with 3 trials gives [min, max] and says it holds with 75% confidence, not 95%', () => {
    expect(medianInterval([12, 10, 30])).toEqual({ median: 12, lo: 10, hi: 30, n: 3, confidence: 0.75 });
  });

  it('with 6 trials [min, max] first reaches 95% (96.9%)', () => {
    const e = medianInterval([6, 1, 5, 2, 4, 3])!;
    expect([e.lo, e.hi, e.median]).toEqual([1, 6, 3.5]);
    expect(e.confidence).toBeCloseTo(1 - 2 / 64, 12);
  });

  it('with 10 trials narrows to the 2nd and 9th order statistics (97.9%)', () => {
    const e = medianInterval([7, 3, 10, 1, 9, 2, 8, 4, 6, 5])!;
    expect([e.lo, e.hi]).toEqual([2, 9]);
    expect(e.confidence).toBeCloseTo(1 - 2 * (11 / 1024), 12);
  });

  it('ignores missing values and is null without any', () => {
    expect(medianInterval([null, 4, NaN, 2, undefined, 3])).toMatchObject({ median: 3, lo: 2, hi: 4, n: 3 });
    expect(medianInterval([null, null])).toBeNull();
  });
});

describe('ratio to the baseline', () => {
  it('is the median of the per-pair ratios, with their interval, marked higher when it lies above 1', () => {
    expect(ratioInterval([10, 10, 10], [20, 22, 18])).toEqual({ ratio: 2, lo: 1.8, hi: 2.2, n: 3, confidence: 0.75, significance: 'higher' });
  });

  it('is marked lower when the interval lies below 1', () => {
    expect(ratioInterval([10, 20, 40], [5, 8, 24])).toMatchObject({ ratio: 0.5, lo: 0.4, hi: 0.6, significance: 'lower' });
  });

  it('is marked not significant when the interval contains 1', () => {
    expect(ratioInterval([10, 10, 10], [9, 11, 10])).toMatchObject({ ratio: 1, lo: 0.9, hi: 1.1, significance: 'ns' });
  });

  it('pairs trial k with trial k: a consistent per-seed effect shows even when the trials spread widely', () => {
    // Medians alone (20 vs 30) with overlapping ranges would hide it; every pair says x1.5.
    expect(ratioInterval([10, 20, 40], [15, 30, 60])).toMatchObject({ ratio: 1.5, lo: 1.5, hi: 1.5, significance: 'higher' });
  });

  it('skips pairs with a missing value and is null for a ratio to zero or without pairs', () => {
    expect(ratioInterval([10, null, 10, 10], [20, 5, null, 30])).toMatchObject({ n: 2, lo: 2, hi: 3 });
    expect(ratioInterval([0, 10, 10], [1, 2, 3])).toBeNull();
    expect(ratioInterval([null], [1])).toBeNull();
  });

  it('an interval touching 1 is not significant', () => {
    expect(significanceOf({ lo: 1, hi: 2 })).toBe('ns');
    expect(significanceOf({ lo: 0.5, hi: 1 })).toBe('ns');
    expect(significanceOf({ lo: 1.0001, hi: 2 })).toBe('higher');
    expect(significanceOf({ lo: 0.5, hi: 0.9999 })).toBe('lower');
  });
});

describe('trial plan', () => {
  it('interleaves the variants round by round and gives round k the seed base+k (mod 2^32)', () => {
    expect(trialOrder(3, 2)).toEqual([
      { trial: 0, column: 0 }, { trial: 0, column: 1 }, { trial: 0, column: 2 },
      { trial: 1, column: 0 }, { trial: 1, column: 1 }, { trial: 1, column: 2 },
    ]);
    expect(trialSeed(41, 1)).toBe(42);
    expect(trialSeed(0xffffffff, 1)).toBe(0);
  });

  it('labels a repeated variant so its columns stay apart', () => {
    expect(columnLabels(['a', 'b', 'a', 'a'])).toEqual(['a', 'b', 'a#2', 'a#3']);
  });
});

/** A trial record with the given figures (metrics not given are null). */
function trial(t: number, column: number, metrics: Record<string, number | null>, verdict: TrialRecord['verdict'] = 'SUCCESS', complete = true): TrialRecord {
  return {
    trial: t, column, variant: column === 0 ? 'base' : 'other', seed: 100 + t, verdict, failures: {}, wallMs: 1000,
    metrics, histograms: {}, readers: 2, complete,
  };
}

describe('aggregation and the table', () => {
  const trials: TrialRecord[] = [
    trial(0, 0, { 'drain.p50': 100, stalls: 0, 'failures.leak': 0 }), trial(0, 1, { 'drain.p50': 50, stalls: 0, 'failures.leak': 0 }),
    trial(1, 0, { 'drain.p50': 120, stalls: 0, 'failures.leak': 0 }), trial(1, 1, { 'drain.p50': 66, stalls: 0, 'failures.leak': 2 }),
    trial(2, 0, { 'drain.p50': 90, stalls: 0, 'failures.leak': 0 }), trial(2, 1, { 'drain.p50': 40, stalls: 0, 'failures.leak': 0 }),
    // An interrupted trial measured only part of its time: it must not count.
    trial(3, 0, { 'drain.p50': 1 }, 'INTERRUPTED'),
    // A trial that crashed early counts for its failures, not for its performance.
    trial(3, 1, { 'drain.p50': 1, stalls: 0, 'failures.leak': 0, 'failures.worker-crash': 1 }, 'FAILURE', false),
  ];
  const variants = aggregate(['base', 'other'], ['base', 'other'], trials, 4, metricDefs([]));

  it('takes medians per variant over counted trials only, and ratios for every variant but the baseline', () => {
    expect(variants[0].trials).toBe(3);
    expect(variants[0].metrics['drain.p50']).toMatchObject({ median: 100, lo: 90, hi: 120 });
    expect(variants[0].ratios).toBeUndefined();
    expect(variants[1].metrics['drain.p50']).toMatchObject({ median: 50, lo: 40, hi: 66 });
    // Per pair: 0.5, 0.55, 0.444...
    expect(variants[1].ratios!['drain.p50']).toMatchObject({ ratio: 0.5, significance: 'lower' });
    expect(variants[1].ratios!['drain.p50']!.lo).toBeCloseTo(40 / 90, 12);
    expect(variants[1].ratios!['drain.p50']!.hi).toBeCloseTo(0.55, 12);
    expect(variants[0].verdicts).toEqual({ SUCCESS: 3, INTERRUPTED: 1 });
  });

  it('counts a crashed trial for failures and stalls, not for performance', () => {
    expect(variants[1].verdicts).toEqual({ SUCCESS: 3, FAILURE: 1 });
    expect(variants[1].metrics['drain.p50']).toMatchObject({ n: 3, median: 50 });
    expect(variants[1].metrics.stalls).toMatchObject({ n: 4 });
    expect(variants[1].metrics['failures.worker-crash']).toMatchObject({ n: 1, median: 1 });
    expect(variants[1].metrics['failures.leak']).toMatchObject({ n: 4, hi: 2 });
  });

  const result = { variants, trials, counters: [] } as unknown as CompareResult;

  it('shows medians with intervals, ratios with their significance mark, and failure classes only when they happened', () => {
    const t = compareTable(result);
    expect(t.header).toEqual(['metric', 'base', 'other', 'other/base']);
    const row = (label: string) => t.rows.find((r) => r[0] === label);
    expect(row('drain p50 (ms)')).toEqual(['drain p50 (ms)', '100 [90, 120]', '50 [40, 66]', '×0.50 [0.44, 0.55] (too few trials)']);
    expect(row('stalls')).toEqual(['stalls', '0', '0', '—']);
    expect(row('failures: leak')).toBeDefined();
    expect(row('failures: premature-callback')).toBeUndefined();
    // A metric no variant has (no synchronize figures here) gets no row.
    expect(row('synchronize p50 (ms)')).toBeUndefined();
  });

  it('spells the marks out: * and (not significant) at 95%, never "(ns)" (it reads as nanoseconds)', () => {
    const six = (other: number[]) => significanceMark(ratioInterval([10, 10, 10, 10, 10, 10], other)!);
    expect(six([20, 21, 22, 23, 24, 25])).toBe('*');
    expect(six([9, 11, 10, 9, 11, 10])).toBe('(not significant)');
    expect(significanceMark(ratioInterval([10, 10, 10], [20, 21, 22])!)).toBe('(too few trials)');
  });

  const KICKS: CounterSpec = { key: 'kicks', label: 'kicks', group: 'readers', description: 'kicks' };
  const UNSOLICITED: CounterSpec = { key: 'unsolicitedKicks', label: 'unsolicited kicks', group: 'unsolicited', description: 'u' };

  it('with 3 trials marks no ratio significant, says "too few trials", and says how confident 3 trials are', () => {
    const same = aggregate(['a', 'b'], ['a', 'b'], [
      trial(0, 0, { 'counter.kicks': 10 }), trial(0, 1, { 'counter.kicks': 11 }), trial(1, 0, { 'counter.kicks': 10 }),
      trial(1, 1, { 'counter.kicks': 9 }), trial(2, 0, { 'counter.kicks': 10 }), trial(2, 1, { 'counter.kicks': 10 }),
    ], 3, metricDefs([KICKS]));
    const r = { variants: same, trials: [], counters: [KICKS] } as unknown as CompareResult;
    const t = compareTable(r);
    expect(t.rows.find((x) => x[0] === 'kicks (run phase)')![3]).toBe('×1.00 [0.90, 1.10] (too few trials)');
    expect(tableNotes(r).join('\n')).toMatch(/\(too few trials\) = with 3 pairs no interval reaches 95% \(that needs 6 or more trials\)/);
    expect(tableNotes(r).join('\n')).toMatch(/with 3 trials .* only 75% confidence/);
    expect(tableNotes(r).join('\n')).toMatch(/with 3 pairs .* only 75% confidence/);
  });

  it('an unsolicited counter at zero in every baseline trial and above zero in every other is significant with no interval, from 6 trials on', () => {
    expect(zeroContrast([0, 0, 0], [3, 1, 7])).toBe('higher');
    expect(zeroContrast([2, 5, 1], [0, 0, 0])).toBe('lower');
    expect(zeroContrast([0, 0, 0], [3, 0, 7])).toBeNull();
    expect(zeroContrast([0, 1, 0], [3, 2, 7])).toBeNull();
    expect(zeroContrast([], [1])).toBeNull();
    const trials3 = [0, 1, 2].flatMap((k) => [
      trial(k, 0, { 'counter.unsolicitedKicks': 0, 'counter.kicks': 5 }),
      trial(k, 1, { 'counter.unsolicitedKicks': 40 + k, 'counter.kicks': 50 }),
    ]);
    const counters = [KICKS, UNSOLICITED];
    const agg = aggregate(['v0', 'v3'], ['v0', 'v3'], trials3, 3, metricsOfResult({ counters }));
    expect(agg[1].ratios!['counter.unsolicitedKicks']).toBeNull();
    expect(agg[1].contrasts).toEqual({ 'counter.unsolicitedKicks': 'higher' });
    const t = compareTable({ variants: agg, trials: trials3, counters } as unknown as CompareResult);
    // 3 trials: all three split the same way by chance 1 in 4 even were both alike; not judged.
    expect(t.rows.find((x) => x[0] === 'unsolicited kicks (run phase)')).toEqual(['unsolicited kicks (run phase)', '0', '41 [40, 42]', '0 vs >0 (too few trials)']);
    const trials6 = [0, 1, 2, 3, 4, 5].flatMap((k) => [
      trial(k, 0, { 'counter.unsolicitedKicks': 0, 'counter.kicks': 5 }),
      trial(k, 1, { 'counter.unsolicitedKicks': 40 + k, 'counter.kicks': 50 }),
    ]);
    const agg6 = aggregate(['v0', 'v3'], ['v0', 'v3'], trials6, 6, metricsOfResult({ counters }));
    const t6 = compareTable({ variants: agg6, trials: trials6, counters } as unknown as CompareResult);
    expect(t6.rows.find((x) => x[0] === 'unsolicited kicks (run phase)')![3]).toBe('0 vs >0 *');
    // Only 'unsolicited' counters get the contrast: kicks is a plain ratio.
    expect(t.rows.find((x) => x[0] === 'kicks (run phase)')![3]).toBe('×10.00 (too few trials)');
  });

  it('takes flavor counters from the run phase, and the metric list from the declared counters only', () => {
    const s = {
      counters: { reads: 1, readerSeconds: 1, gracePeriods: 9, kicks: 99, unsolicitedKicks: 50 },
      runPhase: { ms: 1000, counters: { reads: 1, readerSeconds: 1, gracePeriods: 5, kicks: 7, unsolicitedKicks: 3 } },
      latency: {}, stalls: [], failures: {}, threads: { readers: 1 },
    } as unknown as Summary;
    const m = metricsOf(s);
    expect(m['counter.kicks']).toBe(7);
    expect(m['counter.unsolicitedKicks']).toBe(3);
    expect(m['counter.gracePeriods']).toBeUndefined();
    const keys = metricDefs(unionCounterSpecs([[KICKS], [KICKS, UNSOLICITED], undefined])).map((d) => d.key);
    expect(keys.filter((k) => k.startsWith('counter.'))).toEqual(['counter.kicks', 'counter.unsolicitedKicks']);
  });

  it('formats numbers with three significant digits', () => {
    expect([num(1234567), num(45678), num(123.4), num(12.345), num(0.01234), num(0), num(NaN)])
      .toEqual(['1.23M', '45.7k', '123', '12.3', '0.0123', '0', '—']);
  });
});
