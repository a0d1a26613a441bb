/** `rcutorture compare --variants a,b,...`: side-by-side variant comparison over interleaved trials. */
import type { Command } from 'commander';
import { join } from 'node:path';
import { VERSION } from '../orchestrator.js';
import { freshSeed } from '../random.js';
import { RunFolder, checkResultsRoot } from '../results.js';
import { EXIT } from '../summary.js';
import { COMPARE_FILES, compareId, writeCompareJson, writeCompareOutputs } from '../compare/folder.js';
import { machineLine, thisMachine } from '../compare/machine.js';
import { aggregate, columnLabels, statisticsInfo, trialSeed, type CompareRequest, type CompareResult, type TrialRecord } from '../compare/result.js';
import { formatTerminalTable, compareTable, tableNotes } from '../compare/table.js';
import { checkRequest, runTrials, trialLine } from '../compare/trials.js';
import { UsageError, parseCount, parseDuration, parseSeed } from './parse.js';
import { installSignalHandlers, wrapParser } from './util.js';

interface CompareCliOptions {
  variants: string; scenario: string; duration: string; trials: string; seed?: string; results: string; impl?: string;
}

/** The command as typed, quoted where a shell would need it, for compare.md. */
export function commandLine(argv: readonly string[]): string {
  return argv.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ');
}

export function parseVariantList(text: string): string[] {
  const names = text.split(',').map((s) => s.trim());
  if (names.length < 2 || names.some((n) => n === '')) {
    throw new UsageError(`bad --variants "${text}": give two or more comma-separated variant names, the first is the baseline (e.g. --variants base,candidate)`);
  }
  return names;
}

export function registerCompare(program: Command): void {
  program.command('compare')
    .description('compare variants side by side: interleaved trials, medians with intervals, ratios to the first variant')
    .requiredOption('--variants <list>', 'comma-separated variants; the first is the baseline (a name may repeat, as a noise check)')
    .option('--scenario <name>', 'fault scenario', 'default')
    .option('-d, --duration <time>', 'duration of each trial (ms, s, m, h)', '10s')
    .option('--trials <n>', 'trials per variant (6 or more for 95% intervals of the median)', '3')
    .option('--seed <n>', 'trial k runs every variant with seed n+k (default: random, printed)')
    .option('--results <dir>', 'where the compare-<id> folder goes', 'results')
    .option('--impl <module>', 'load extra flavors from a module (see docs/writing-a-flavor.md)')
    .action(wrapParser(async (o: CompareCliOptions) => {
      const req: CompareRequest = {
        variants: parseVariantList(o.variants),
        scenario: o.scenario,
        durationMs: parseDuration(o.duration, '--duration'),
        trials: parseCount(o.trials, '--trials', 1, 1000),
        seed: o.seed !== undefined ? parseSeed(o.seed) : freshSeed(),
        impl: o.impl,
      };
      await checkRequest(req);
      checkResultsRoot(o.results);
      const controller = new AbortController();
      installSignalHandlers(controller);

      const startedAt = new Date();
      const id = compareId(startedAt);
      const folder = new RunFolder(o.results, `compare-${id}`);
      const say = (line: string) => { process.stdout.write(line + '\n'); folder.log(line); };
      const labels = columnLabels(req.variants);
      const seeds = Array.from({ length: req.trials }, (_, k) => trialSeed(req.seed, k));
      const machine = thisMachine();
      const result = (trials: TrialRecord[], interrupted: boolean): CompareResult => ({
        tool: 'rcutorture', kind: 'compare', version: VERSION, id, command: commandLine(process.argv.slice(2)),
        startedAt: startedAt.toISOString(), finishedAt: new Date().toISOString(), machine, request: req, seeds,
        statistics: statisticsInfo(), variants: aggregate(labels, req.variants, trials, req.trials), trials, interrupted,
      });

      say(`rcutorture ${VERSION} compare: ${labels.join(' vs ')} on ${req.scenario}, ${req.trials} trials x ${req.durationMs / 1000}s each, interleaved; seeds ${seeds[0]}..${seeds[seeds.length - 1]}`);
      say(`  machine: ${machineLine(machine)}`);
      say(`  results: ${folder.dir}`);
      const done: TrialRecord[] = [];
      const { trials, interrupted } = await runTrials(req, {
        runsRoot: join(folder.dir, 'runs'),
        signal: controller.signal,
        onTrial: (rec, n, total) => {
          done.push(rec);
          say(trialLine(rec, labels[rec.column], n, total, req.trials));
          writeCompareJson(folder.dir, result(done, true));
        },
      });

      const final = result(trials, interrupted);
      say('');
      for (const l of formatTerminalTable(compareTable(final))) say(l);
      say('');
      for (const n of tableNotes(final)) say(`  ${n}`);
      writeCompareOutputs(folder.dir, final);
      say(`  wrote ${Object.values(COMPARE_FILES).map((f) => join(folder.dir, f)).join(', ')}`);
      folder.close();
      const signal = interrupted ? String(controller.signal.reason ?? 'SIGINT') : undefined;
      process.exitCode = signal ? (signal === 'SIGTERM' ? EXIT.sigterm : EXIT.sigint)
        : trials.some((t) => t.verdict !== 'SUCCESS') ? EXIT.failure : EXIT.success;
    }));
}
