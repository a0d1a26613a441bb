/** Number formatting shared by the terminal table, the Markdown and the HTML. */
import { CONFIDENCE, type MedianEstimate, type RatioEstimate, type Significance } from './stats.js';

/** Three significant digits, SI suffixes for large values, no exponent notation. */
export function num(x: number): string {
  if (!Number.isFinite(x)) return '—';
  const a = Math.abs(x);
  if (a >= 1e9) return `${(x / 1e9).toPrecision(3)}G`;
  if (a >= 1e6) return `${(x / 1e6).toPrecision(3)}M`;
  if (a >= 1e4) return `${(x / 1e3).toPrecision(3)}k`;
  if (a >= 100 || Number.isInteger(x)) return String(Math.round(x));
  if (a === 0) return '0';
  if (a < 0.001) return x.toExponential(1);
  return String(Number(x.toPrecision(3)));
}

/** "median [lo, hi]", or just the value when the interval is a single point. */
export function medianCell(e: MedianEstimate | null | undefined): string {
  if (!e) return '—';
  if (e.lo === e.hi && e.lo === e.median) return num(e.median);
  return `${num(e.median)} [${num(e.lo)}, ${num(e.hi)}]`;
}

export function ratioText(r: RatioEstimate): string {
  return r.lo === r.hi && r.lo === r.ratio ? `×${r.ratio.toFixed(2)}` : `×${r.ratio.toFixed(2)} [${r.lo.toFixed(2)}, ${r.hi.toFixed(2)}]`;
}

/**
 * The significance marker. `(ns)` read as nanoseconds in a latency table, so
 * the words are spelled out; and an interval below 95% confidence (fewer
 * than 6 trial pairs) is not called significant however far from 1 it lies.
 */
export const MARK = { significant: '*', notSignificant: '(not significant)', tooFew: '(too few trials)' } as const;

export function significanceMark(r: RatioEstimate): string {
  if (r.confidence < CONFIDENCE) return MARK.tooFew;
  return r.significance === 'ns' ? MARK.notSignificant : MARK.significant;
}

/** Trials a 95% distribution-free interval of a median needs (its [min, max] first reaches 95% at 6). */
export const TRIALS_FOR_95 = 6;

export function ratioCell(r: RatioEstimate | null | undefined): string {
  return r ? `${ratioText(r)} ${significanceMark(r)}` : '—';
}

export function percent(x: number): string {
  return `${Math.round(x * 1000) / 10}%`;
}

export function bytesGiB(b: number): string {
  return `${(b / 2 ** 30).toFixed(1)} GiB`;
}

/**
 * A zero-vs-nonzero difference (stats.zeroContrast), with no ratio to show.
 * Significant only over `pairs` >= TRIALS_FOR_95: were both sides alike,
 * every pair would split the same way with chance 2 x 0.5^pairs, under 5%
 * from 6 pairs on (the sign test); with 1 or 2 trials it is anecdote.
 */
export function contrastCell(c: Significance, pairs: number): string {
  const mark = pairs >= TRIALS_FOR_95 ? MARK.significant : MARK.tooFew;
  return c === 'higher' ? `0 vs >0 ${mark}` : c === 'lower' ? `>0 vs 0 ${mark}` : '—';
}
