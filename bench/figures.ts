/**
 * bench.json, at the repository root: every figure `npm run bench` reports,
 * with its target where it has one and the reason for it. The bench reads
 * the targets from there (so that a target lives in one place), prints each
 * figure against its target and, with --record, writes what it measured
 * back into bench.json's `measured` block.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { writeJsonAtomic } from '../torture/report/results.js';

export interface FigureSpec {
  label: string;
  unit: '/s' | 'x';
  /** The figure must be at least this (absent: reported for context, no target). */
  min?: number;
  why?: string;
}

export interface BenchFile {
  $comment?: string;
  figures: Record<string, FigureSpec>;
  measured: Record<string, unknown>;
}

/** dist/bench/figures.js -> the repository root. */
export const BENCH_FILE = fileURLToPath(new URL('../../bench.json', import.meta.url));

export function loadBenchFile(): BenchFile {
  return JSON.parse(readFileSync(BENCH_FILE, 'utf8')) as BenchFile;
}

const fmt = (v: number, unit: FigureSpec['unit']) =>
  unit === 'x' ? v.toFixed(2) : Math.round(v).toLocaleString('en-US');

/** One row per measured figure, in bench.json's order: label, value, target, verdict. */
export function figureTable(file: BenchFile, values: Record<string, number>): { lines: string[]; missed: string[] } {
  const rows = [['figure', 'value', 'target', '']];
  const missed: string[] = [];
  for (const [key, spec] of Object.entries(file.figures)) {
    const v = values[key];
    if (v === undefined) continue;
    const ok = spec.min === undefined || v >= spec.min;
    if (!ok) missed.push(key);
    rows.push([spec.label, fmt(v, spec.unit), spec.min === undefined ? '' : `>= ${fmt(spec.min, spec.unit)}`,
      spec.min === undefined ? '' : ok ? 'ok' : 'BELOW TARGET']);
  }
  const w = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return { lines: rows.map((r) => r.map((c, i) => c.padEnd(w[i])).join('  ').trimEnd()), missed };
}

/** bench.json with `measured` replaced by this run's figures (--record). */
export function recordMeasured(file: BenchFile, measured: Record<string, unknown>): void {
  writeJsonAtomic(BENCH_FILE, { ...file, measured });
}
