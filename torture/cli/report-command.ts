/** `rcutorture report <results-dir>`: (re)builds report.html for a run or a comparison folder. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { UsageError } from '../run/parse.js';
import { wrapParser } from './util.js';

/** A run summary written before the end (a killed run) is reported as unfinished, never as a verdict. */
function unfinishedNote(dir: string): string {
  try {
    const s = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as { final?: boolean; verdict?: string };
    return s.final === false ? `; the run did not finish: verdict ${s.verdict}, counts so far` : '';
  } catch {
    return '';
  }
}

export function registerReport(program: Command): void {
  program.command('report <results-dir>')
    .description('(re)build report.html for a run folder (summary.json) or a comparison folder (compare.json)')
    .action(wrapParser(async (dir: string) => {
      // Loaded when the command runs: every command's modules would otherwise load for every run (start-up counts against --duration).
      const { ReportInputError, buildReport } = await import('../compare/report.js');
      try {
        const { path, kind } = buildReport(dir);
        process.stdout.write(`rcutorture: wrote ${path} (${kind === 'compare' ? 'comparison' : 'run'} report${kind === 'run' ? unfinishedNote(dir) : ''})\n`);
      } catch (e) {
        if (e instanceof ReportInputError) throw new UsageError(e.message);
        throw e;
      }
    }));
}
