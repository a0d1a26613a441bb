/**
 * The comparison as a table (one row per metric, one column per variant and
 * one per ratio to the baseline), shared by the terminal and the Markdown so
 * both say the same thing, plus the notes that say how to read it.
 */
import { MARK, TRIALS_FOR_95, contrastCell, medianCell, percent, ratioCell } from './format.js';
import { metricsOfResult, type CompareResult, type VariantResult } from './result.js';
import { CONFIDENCE } from './stats.js';

export interface Table { header: string[]; rows: string[][] }

function verdictCell(v: VariantResult): string {
  return Object.entries(v.verdicts).map(([k, n]) => `${n} ${k}`).join(', ') || '—';
}

/** Rows worth showing: a metric no variant has is left out, a failure class only when it happened. */
function shownMetrics(r: CompareResult) {
  const variants = r.variants;
  return metricsOfResult(r).filter((m) => {
    const ests = variants.map((v) => v.metrics[m.key]);
    if (ests.every((e) => !e)) return false;
    if (m.key.startsWith('failures.')) return ests.some((e) => e && e.hi > 0);
    return true;
  });
}

export function compareTable(r: CompareResult): Table {
  const base = r.variants[0];
  const header = ['metric', base.label];
  for (const v of r.variants.slice(1)) header.push(v.label, `${v.label}/${base.label}`);
  const rows: string[][] = [];
  const verdictRow = ['runs', verdictCell(base)];
  for (const v of r.variants.slice(1)) verdictRow.push(verdictCell(v), '');
  rows.push(verdictRow);
  for (const m of shownMetrics(r)) {
    const label = m.unit && m.unit !== '/s' ? `${m.label} (${m.unit})` : m.label;
    const row = [label, medianCell(base.metrics[m.key])];
    for (const v of r.variants.slice(1)) {
      const contrast = v.contrasts?.[m.key];
      row.push(medianCell(v.metrics[m.key]), contrast ? contrastCell(contrast, Math.min(base.trials, v.trials)) : ratioCell(v.ratios?.[m.key]));
    }
    rows.push(row);
  }
  return { header, rows };
}

/** The lowest confidence and the fewest trials behind the shown cells (medians) or ratios. */
function weakest(ests: ({ n: number; confidence: number } | null)[]): { n: number; confidence: number } {
  const live = ests.filter((e): e is { n: number; confidence: number } => e !== null && e.n > 0);
  return live.length ? { n: Math.min(...live.map((e) => e.n)), confidence: Math.min(...live.map((e) => e.confidence)) } : { n: 0, confidence: 0 };
}

function intervalNote(w: { n: number; confidence: number }, what: string): string {
  return w.confidence >= CONFIDENCE
    ? `[${percent(CONFIDENCE)} distribution-free (order-statistic) interval]`
    : `[min, max]: with ${w.n} ${what} the distribution-free (order-statistic) interval holds the true median with only ${percent(w.confidence)} confidence (95% needs 6 or more)`;
}

/** How to read the table, with the confidence the intervals really have. */
export function tableNotes(r: CompareResult): string[] {
  const cells = weakest(r.variants.flatMap((v) => Object.values(v.metrics)));
  const ratios = weakest(r.variants.flatMap((v) => Object.values(v.ratios ?? {})));
  return [
    `cells: median over the trials ${intervalNote(cells, 'trials')}.`,
    `ratios: median of the per-trial ratios to ${r.variants[0].label} (trial k of every variant used the same seed) ${intervalNote(ratios, 'pairs')}; ` +
      `${MARK.significant} = interval excludes 1; ${MARK.notSignificant} = it contains 1` +
      (ratios.confidence < CONFIDENCE ? `; ${MARK.tooFew} = with ${ratios.n} pairs no interval reaches 95% (that needs ${TRIALS_FOR_95} or more trials): not judged.` : '.'),
    '0 vs >0 *: an unsolicited-expediting counter that is zero in every trial of one side and above zero in every trial of the other: ' +
      `significant without an interval from ${TRIALS_FOR_95} trials on (sign test; fewer: ${MARK.tooFew}; a correct design never does it; see docs/compare.md).`,
    'performance figures count only trials that ran their full length; failures and stalls count every trial. ' +
      '—: the variant has no such operation, or a ratio to zero. Latencies in ms; rates per second.',
  ];
}

/** Plain-text table with aligned columns. */
export function formatTerminalTable(t: Table): string[] {
  const all = [t.header, ...t.rows];
  const widths = t.header.map((_, i) => Math.max(...all.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ').trimEnd();
  return [line(t.header), widths.map((w) => '-'.repeat(w)).join('  '), ...t.rows.map(line)];
}
