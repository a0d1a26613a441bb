/**
 * `rcutorture report <dir>`: (re)builds report.html from what a folder
 * holds: compare.json for a comparison, summary.json for a single run.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Summary } from '../report/summary.js';
import { COMPARE_FILES } from './folder.js';
import { compareHtml, runHtml } from './html.js';
import { aggregate, columnLabels, metricsOfResult, type CompareResult } from './result.js';

export class ReportInputError extends Error {}

function readJson(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new ReportInputError(`${path} is not readable JSON (${e instanceof Error ? e.message.split('\n')[0] : String(e)})`);
  }
}

function looksLike(value: unknown, keys: string[]): boolean {
  return typeof value === 'object' && value !== null && keys.every((k) => k in value);
}

/** The statistics again from the raw trials, so a report always shows what this rcutorture computes. */
function reaggregate(r: CompareResult): CompareResult {
  const { variants, trials } = r.request;
  return { ...r, variants: aggregate(columnLabels(variants), variants, r.trials, trials, metricsOfResult(r)) };
}

/** Writes <dir>/report.html and returns its path and what it describes. */
export function buildReport(dir: string): { path: string; kind: 'compare' | 'run' } {
  if (!existsSync(dir)) throw new ReportInputError(`no such folder "${dir}"`);
  const out = join(dir, COMPARE_FILES.html);
  const comparePath = join(dir, COMPARE_FILES.json);
  if (existsSync(comparePath)) {
    const r = readJson(comparePath);
    if (!looksLike(r, ['kind', 'variants', 'trials', 'request']) || (r as CompareResult).kind !== 'compare') {
      throw new ReportInputError(`${comparePath} is not a comparison written by rcutorture compare`);
    }
    writeFileSync(out, compareHtml(reaggregate(r as CompareResult)));
    return { path: out, kind: 'compare' };
  }
  const summaryPath = join(dir, 'summary.json');
  if (existsSync(summaryPath)) {
    const s = readJson(summaryPath);
    if (!looksLike(s, ['variant', 'scenario', 'verdict', 'counters', 'failures', 'stalls', 'threads'])) {
      throw new ReportInputError(`${summaryPath} is not a run summary written by rcutorture`);
    }
    writeFileSync(out, runHtml(s as Summary));
    return { path: out, kind: 'run' };
  }
  throw new ReportInputError(`"${dir}" holds neither compare.json (a comparison) nor summary.json (a run)`);
}
