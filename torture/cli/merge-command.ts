/**
 * `rcutorture merge <dirs...>`: the shards of a soak (their folders, or any
 * folder holding them, as CI artifact downloads lay them out) combined into
 * one soak.json and one JUnit file, with every case of the matrix accounted for.
 */
import type { Command } from 'commander';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { checkOutputFile, checkResultsRoot, writeFileAtomic, writeJsonAtomic } from '../report/results.js';
import { junitXml } from '../report/junit.js';
import { ConsoleReporter } from '../report/progress.js';
import { caseLine, findSoakSummaries, mergeSoaks, readSoakSummary, soakVerdictLine, stallCoverageLine } from '../campaign/soak.js';
import { UsageError } from '../run/parse.js';
import { pathErrorFrom } from '../io/safe-fs.js';
import { EXIT } from '../report/summary.js';
import { exitWhenFlushed, wrapParser } from './util.js';

interface MergeCliOptions { junit?: string; out?: string; json?: boolean; quiet?: boolean }

export function registerMerge(program: Command): void {
  program.command('merge <dirs...>')
    .description('combine the soak.json of soak shards into one summary and one JUnit file')
    .option('--junit <file>', 'write the merged cases as JUnit XML')
    .option('--out <dir>', 'write the merged soak.json and junit.xml into this folder')
    .option('--json', 'print the merged soak.json on stdout')
    .option('-q, --quiet', 'print only the verdict line')
    .action(wrapParser(async (dirs: string[], o: MergeCliOptions) => {
      const files: string[] = [];
      for (const d of dirs) {
        if (!existsSync(d) || !statSync(d).isDirectory()) throw new UsageError(`bad merge input "${d}": not a directory; give soak folders`);
        let found: string[];
        try {
          found = findSoakSummaries(d);
        } catch (e) {
          const why = pathErrorFrom(e);
          if (why) throw new UsageError(`bad merge input "${d}": ${why.message}`);
          throw e;
        }
        if (found.length === 0) throw new UsageError(`bad merge input "${d}": no soak.json in or under it; give the folders \`rcutorture soak\` wrote`);
        for (const f of found) if (!files.includes(f)) files.push(f);
      }
      const inputs = files.map((file) => ({ file, summary: readSoakSummary(file) }));
      if (o.out !== undefined) checkResultsRoot(o.out, '--out');
      if (o.junit !== undefined) checkOutputFile(o.junit, '--junit');
      const merged = mergeSoaks(inputs, o.out);
      // Cases in none of the folders are a shard left out (or still running): the user's to fix, unless a failure already decides.
      if (merged.missing.length > 0 && merged.verdict !== 'FAILURE') {
        const count = merged.shards[0]?.count ?? 1;
        const shards = [...new Set(merged.missing.map((k) => `${(k % count) + 1}/${count}`))];
        throw new UsageError(`cannot merge: cases ${merged.missing.join(',')} are in none of the given folders (shard ${shards.join(', ')} missing or unfinished); give every shard's folder`);
      }
      const human = new ConsoleReporter(o.json ? process.stderr : process.stdout, { quiet: o.quiet });
      merged.cases.forEach((c, i) => human.line(caseLine(c, i + 1, merged.planned.length), 'stats'));
      const coverage = stallCoverageLine(merged.cases);
      if (coverage !== undefined) human.line(coverage, 'verdict');
      human.line(soakVerdictLine(merged), 'verdict');
      if (o.out !== undefined) {
        writeJsonAtomic(join(o.out, 'soak.json'), merged);
        writeFileAtomic(join(o.out, 'junit.xml'), junitXml(merged.cases, 'rcutorture soak'));
      }
      if (o.junit !== undefined) writeFileAtomic(o.junit, junitXml(merged.cases, 'rcutorture soak'));
      if (o.json) process.stdout.write(JSON.stringify(merged, null, 2) + '\n');
      await exitWhenFlushed(merged.exitCode ?? EXIT.internal);
    }));
}
