/**
 * The folder of a comparison, results/compare-<id>/: compare.json (rewritten
 * after every trial, so an interrupted comparison keeps what it measured),
 * compare.md, report.html, log.txt, and runs/ with every trial's run folder.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeJsonAtomic } from '../report/results.js';
import { compareHtml } from './html.js';
import { compareMarkdown } from './markdown.js';
import type { CompareResult } from './result.js';

export function compareId(at = new Date()): string {
  return at.toISOString().replace(/[-:]/g, '').replace('T', '-').replace(/\..*$/, '');
}

export const COMPARE_FILES = { json: 'compare.json', markdown: 'compare.md', html: 'report.html' } as const;

export function writeCompareJson(dir: string, r: CompareResult): void {
  writeJsonAtomic(join(dir, COMPARE_FILES.json), r);
}

/** Every output of a finished (or interrupted) comparison. */
export function writeCompareOutputs(dir: string, r: CompareResult): void {
  writeCompareJson(dir, r);
  writeFileSync(join(dir, COMPARE_FILES.markdown), compareMarkdown(r));
  writeFileSync(join(dir, COMPARE_FILES.html), compareHtml(r));
}
