/** The kill matrix as text: the console table and kill-matrix.md. */
import type { KillMatrix, KillRow } from './kill-matrix.js';
import { SIM_UNBOUNDED_MS } from '../engines/sim/sim-config.js';

const secs = (ms: number | undefined) => (ms === undefined ? '-' : `${(ms / 1000).toFixed(1)}s`);

/** "60.0s", or "200 schedules" (with the wall-time cap when there is one). */
export function budgetText(m: Pick<KillMatrix, 'budgetMs' | 'schedules'>): string {
  if (m.schedules === undefined) return secs(m.budgetMs);
  return `${m.schedules} schedules${m.budgetMs < SIM_UNBOUNDED_MS ? ` (at most ${secs(m.budgetMs)})` : ''}`;
}

function found(r: KillRow): string {
  if (r.status === 'needs-sim') return 'needs sim engine';
  if (r.status === 'not-run') return 'not run';
  return r.found.length ? r.found.join('/') : 'nothing';
}

function killed(r: KillRow): string {
  if (r.status === 'needs-sim' || r.status === 'not-run') return '-';
  const n = r.attempts.filter((a) => a.killed).length;
  const word = r.status === 'killed' ? 'yes' : r.status === 'wrong-class' ? 'WRONG CLASS' : 'NO';
  return `${word} (${n}/${r.attempts.length})`;
}

const HEADER = ['MUTANT', 'SCENARIO', 'EXPECTED', 'FOUND', 'KILLED', 'MEDIAN TIME TO DETECT'];

function cells(r: KillRow): string[] {
  return [r.kind === 'variant' ? `${r.mutant} (variant)` : r.mutant, r.scenario, r.expected.join('/'), found(r), killed(r),
    secs(r.medianDetectMs) + (r.medianDetectSchedule !== undefined ? ` (schedule ${Math.round(r.medianDetectSchedule)})` : '')];
}

export function killRateLine(m: KillMatrix): string {
  const skipped = m.rows.filter((r) => r.status === 'needs-sim').length;
  return `kill rate: ${m.killed}/${m.detectable} killed on engine ${m.engine}` +
    (skipped ? ` (${skipped} more need the sim engine and are not counted)` : '');
}

export function formatKillMatrixTable(m: KillMatrix): string[] {
  const rows = [HEADER, ...m.rows.map(cells)];
  const widths = HEADER.map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  const lines = rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]))).join('  '));
  return [...lines, '', killRateLine(m), `rcutorture: kill matrix ${m.verdict}`];
}

export function formatKillMatrixMarkdown(m: KillMatrix): string {
  const row = (c: string[]) => `| ${c.map((x) => x.replace(/\|/g, '\\|')).join(' | ')} |`;
  return [
    `# Kill matrix`,
    '',
    `rcutorture ${m.version}, engine ${m.engine}, budget ${budgetText(m)} per attempt, seeds ${m.seeds.join(', ')}, started ${m.startedAt}.`,
    'A mutant is killed when every seed reports at least one of its expected failure classes.',
    '',
    row(HEADER),
    row(HEADER.map(() => '---')),
    ...m.rows.map((r) => row(cells(r))),
    '',
    `${killRateLine(m)}. Verdict: **${m.verdict}**${m.final ? '' : ' (in progress)'}.`,
    '',
  ].join('\n');
}
