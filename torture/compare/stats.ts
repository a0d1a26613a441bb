/**
 * The statistics of a comparison, as pure functions of the per-trial values.
 *
 * Timing on a shared machine is not normally distributed (long right tails,
 * occasional outlier trials), so nothing here assumes a distribution:
 *
 * - a variant's value is the MEDIAN over its trials, with the exact
 *   order-statistic (binomial, "sign test") confidence interval for the
 *   median: [x_(r), x_(n-r+1)] holds the true median with probability
 *   1 - 2·P(Bin(n, ½) <= r-1). With fewer than 6 trials no such interval
 *   reaches 95%; then the interval is [min, max] and its real confidence
 *   (75% for 3 trials) is reported as such instead of pretending.
 * - the ratio of a variant to the baseline is the median of the ratios of
 *   trial PAIRS (trial k of both ran with the same seed, back to back), with
 *   the same order-statistic interval. An interval that contains 1 means the
 *   difference is not significant (at the interval's stated confidence).
 *
 * A percentile bootstrap was the first idea; with 2 or 3 trials it gives
 * narrow intervals: qemu-v0 compared with itself over 2 trials came out
 * "significant" on 7 of 17 metrics. It was dropped for the exact
 * distribution-free interval, whose confidence at small n is low and says so.
 */
export const CONFIDENCE = 0.95;

export interface Interval { lo: number; hi: number }

/** A median with its interval and the confidence that interval really has. */
export interface MedianEstimate extends Interval { median: number; n: number; confidence: number }

export interface RatioEstimate extends Interval {
  ratio: number;
  /** Trial pairs, and the confidence the interval really has. */
  n: number;
  confidence: number;
  /** 'higher'/'lower': the interval lies wholly above/below 1; 'ns': it contains 1. */
  significance: Significance;
}

export type Significance = 'higher' | 'lower' | 'ns';

/** Only the usable values: finite numbers (a metric a variant lacks is NaN or null). */
export function finite(xs: readonly (number | null | undefined)[]): number[] {
  return xs.filter((x): x is number => typeof x === 'number' && Number.isFinite(x));
}

export function median(xs: readonly number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** P(X <= k) for X ~ Binomial(n, 1/2). */
export function binomialHalfCdf(k: number, n: number): number {
  if (k < 0) return 0;
  let term = 0.5 ** n; // P(X = 0)
  let sum = 0;
  for (let i = 0; i <= Math.min(k, n); i++) {
    sum += term;
    term = (term * (n - i)) / (i + 1);
  }
  return Math.min(1, sum);
}

/**
 * The median with its distribution-free interval: the narrowest symmetric
 * pair of order statistics whose confidence is at least `level`, or
 * [min, max] with its (lower) real confidence when n is too small.
 */
export function medianInterval(values: readonly (number | null | undefined)[], level = CONFIDENCE): MedianEstimate | null {
  const s = finite(values).sort((a, b) => a - b);
  const n = s.length;
  if (n === 0) return null;
  const cover = (r: number) => 1 - 2 * binomialHalfCdf(r - 1, n);
  let r = 1;
  while (r + 1 <= Math.floor((n + 1) / 2) && cover(r + 1) >= level) r++;
  return { median: median(s), lo: s[r - 1], hi: s[n - r], n, confidence: n === 1 ? 0 : cover(r) };
}

export function significanceOf(ci: Interval): Significance {
  if (ci.lo > 1) return 'higher';
  if (ci.hi < 1) return 'lower';
  return 'ns';
}

/**
 * The ratio of a variant to the baseline: the median of the per-pair ratios
 * other_k/base_k (trial k of both ran with the same seed, back to back), with
 * the same order-statistic interval as a median, so its confidence is exact
 * whatever the distribution and is reported as it is (75% for 3 pairs).
 * Undefined (null) when a baseline value is not positive (a ratio to zero
 * says nothing), when a value is negative, or when there are no pairs.
 */
export function ratioInterval(
  base: readonly (number | null | undefined)[], other: readonly (number | null | undefined)[], level = CONFIDENCE,
): RatioEstimate | null {
  const ratios: number[] = [];
  for (let k = 0; k < Math.min(base.length, other.length); k++) {
    const b = base[k];
    const o = other[k];
    if (typeof b !== 'number' || typeof o !== 'number' || !Number.isFinite(b) || !Number.isFinite(o)) continue;
    if (b <= 0 || o < 0) return null;
    ratios.push(o / b);
  }
  const e = medianInterval(ratios, level);
  if (!e) return null;
  return { ratio: e.median, lo: e.lo, hi: e.hi, n: e.n, confidence: e.confidence, significance: significanceOf(e) };
}

/**
 * A difference no interval is needed for: every baseline trial counted zero
 * and every other trial more ('higher'), or the reverse ('lower'); null when
 * the trials do not split that cleanly. For counts of things that a correct
 * design never does (unsolicited expediting), zero against nonzero is the
 * finding itself, and a ratio to zero says nothing.
 */
export function zeroContrast(base: readonly (number | null | undefined)[], other: readonly (number | null | undefined)[]): Significance | null {
  const b = finite(base);
  const o = finite(other);
  if (b.length === 0 || o.length === 0) return null;
  if (b.every((x) => x === 0) && o.every((x) => x > 0)) return 'higher';
  if (b.every((x) => x > 0) && o.every((x) => x === 0)) return 'lower';
  return null;
}
