/**
 * `rcutorture again <run-folder>`: runs a run again with the configuration
 * its summary.json recorded as resolved (scenario, faults, thread counts)
 * and the same seed, on the threads engine. A simulated run is reproduced
 * decision for decision by `replay` instead, which is stronger than a new
 * run from the same seed.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import type { RunConfig } from '../run/config.js';
import { runTorture } from '../run/run.js';
import { fileHash } from '../run/repro.js';
import { UsageError } from '../run/parse.js';
import { checkResultsRoot } from '../report/results.js';
import { ConsoleReporter } from '../report/progress.js';
import { EXIT, type Summary } from '../report/summary.js';
import { exitWhenFlushed, installSignalHandlers, warnLoudly, wrapParser } from './util.js';

/** The summary a run folder holds, or a one-line reason it cannot be re-run. */
export function summaryOfFolder(folder: string): Summary {
  const file = join(folder, 'summary.json');
  if (!existsSync(file)) throw new UsageError(`bad run folder "${folder}": no summary.json in it; give a folder a run wrote under results/`);
  let s: Partial<Summary>;
  try {
    s = JSON.parse(readFileSync(file, 'utf8')) as Partial<Summary>;
  } catch (e) {
    throw new UsageError(`bad run folder "${folder}": summary.json is not JSON (${(e as Error).message.split('\n')[0]})`);
  }
  const cfg = s.config as Partial<RunConfig> | undefined;
  if (s.tool !== 'rcutorture' || !cfg || typeof cfg !== 'object' || typeof cfg.seed !== 'number' || typeof cfg.variant !== 'string') {
    throw new UsageError(`bad run folder "${folder}": summary.json has no resolved config with a variant and seed`);
  }
  return s as Summary;
}

export function registerAgain(program: Command): void {
  program.command('again <run-folder>')
    .description('run a run again with the configuration and seed its summary.json recorded (threads engine; for sim runs use `replay`)')
    .option('--results <dir>', 'where run folders go', 'results')
    .option('--json', 'print the summary as JSON on stdout')
    .option('-q, --quiet', 'only the verdict line')
    .action(wrapParser(async (folder: string, o: { results: string; json?: boolean; quiet?: boolean }) => {
      const old = summaryOfFolder(folder);
      if (old.config.engine === 'sim') {
        throw new UsageError(`"${folder}" is a sim run: reproduce it with \`rcutorture replay ${join(folder, 'schedule.txt')}\` (a failing run wrote it)`);
      }
      checkResultsRoot(o.results);
      // The module may have changed since: the run is then not the same run, and should say so.
      if (old.config.impl && old.implHash && existsSync(old.config.impl) && fileHash(old.config.impl) !== old.implHash) {
        warnLoudly(`rcutorture again: ${old.config.impl} changed since the run (its hash differs): this is not the same implementation`);
      }
      const controller = new AbortController();
      installSignalHandlers(controller);
      const human = new ConsoleReporter(o.json ? process.stderr : process.stdout, { quiet: o.quiet });
      const summary = await runTorture(old.config, { resultsRoot: o.results, out: human.line, onTick: human.tick, signal: controller.signal });
      human.done();
      if (o.json) process.stdout.write(JSON.stringify(summary, null, 2) + '\n');
      await exitWhenFlushed(summary.exitCode ?? EXIT.internal);
    }));
}
