/**
 * compare.md: the comparison as a Markdown table to paste into a review
 * thread, with what it takes to reproduce it (command, machine, date, seeds).
 */
import { machineLine } from './machine.js';
import type { CompareResult } from './result.js';
import { compareTable, tableNotes } from './table.js';

const cell = (s: string) => s.replace(/\|/g, '\\|');

export function markdownTable(header: string[], rows: string[][]): string[] {
  return [
    `| ${header.map(cell).join(' | ')} |`,
    `|${header.map((_, i) => (i === 0 ? ' :--- ' : ' ---: ')).join('|')}|`,
    ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`),
  ];
}

export function compareMarkdown(r: CompareResult, title = `rcutorture compare: ${r.variants.map((v) => v.label).join(' vs ')} on ${r.request.scenario}`): string {
  const t = compareTable(r);
  const trialsLine = r.trials.map((t) => `${t.trial + 1}:${r.variants[t.column].label}=${t.verdict}`).join(' ');
  return [
    `### ${title}`,
    '',
    '```',
    `rcutorture ${r.command}`,
    '```',
    '',
    `- machine: ${machineLine(r.machine)}`,
    `- date: ${r.startedAt} (rcutorture ${r.version})`,
    `- ${r.request.trials} trials of ${r.request.durationMs / 1000}s per variant, interleaved; trial k used the same seed for every variant: ${r.seeds.join(', ')}`,
    ...(r.interrupted ? ['- **interrupted**: only the trials that finished are counted'] : []),
    '',
    ...markdownTable(t.header, t.rows),
    '',
    ...tableNotes(r).map((n) => `- ${n}`),
    '',
    `<details><summary>trials</summary>\n\n${trialsLine}\n\n</details>`,
    '',
  ].join('\n');
}
