/** `rcutorture report <results-dir>`: (re)builds report.html for a run or a comparison folder. */
import type { Command } from 'commander';
import { ReportInputError, buildReport } from '../compare/report.js';
import { UsageError } from '../run/parse.js';
import { wrapParser } from './util.js';

export function registerReport(program: Command): void {
  program.command('report <results-dir>')
    .description('(re)build report.html for a run folder (summary.json) or a comparison folder (compare.json)')
    .action(wrapParser(async (dir: string) => {
      try {
        const { path, kind } = buildReport(dir);
        process.stdout.write(`rcutorture: wrote ${path} (${kind === 'compare' ? 'comparison' : 'run'} report)\n`);
      } catch (e) {
        if (e instanceof ReportInputError) throw new UsageError(e.message);
        throw e;
      }
    }));
}
