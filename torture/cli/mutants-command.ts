/** `rcutorture mutants`: the kill matrix (every planted bug on the scenario that targets it). */
import { Command, Option } from 'commander';
import { MUTANTS, VARIANTS } from '../../lib/rcu/registry.js';
import type { Engine } from '../campaign/kill-matrix.js';
import { checkResultsRoot } from '../report/results.js';
import { freshSeed } from '../run/random.js';
import { loadScenario } from '../scenario/load.js';
import { EXIT } from '../report/summary.js';
import { UsageError, parseCount, parseDuration, parseSeed, parseStallTimeout, unknownName } from '../run/parse.js';
import { SIM_UNBOUNDED_MS } from '../engines/sim/sim-config.js';
import { installSignalHandlers, wrapParser } from './util.js';

interface MutantsCliOptions {
  budget: string; schedules?: string; seeds: string; seed?: string; engine: Engine; results: string;
  scenario?: string; stallTimeout?: string; only?: string; json?: boolean;
}

export function registerMutants(program: Command): void {
  program.command('mutants')
    .description('kill matrix: run every mutant (and every variant with a known bug) on its targeted scenario until detected or the budget is spent')
    .option('--budget <time>', 'run time each mutant gets per seed (with --schedules: a wall-time cap, default none)', '60s')
    .option('--schedules <n>', 'sim engine: schedules each mutant gets per seed, so that every verdict follows from its seed on any machine')
    .option('--seeds <n>', 'attempts per mutant, each with its own seed', '3')
    .option('--seed <n>', 'first seed (the others follow it; default random, printed)')
    .addOption(new Option('--engine <name>', 'execution engine').choices(['threads', 'sim']).default('threads'))
    .option('--results <dir>', 'where the matrix folder goes', 'results')
    .option('--scenario <name>', 'run every mutant on this scenario instead of its own')
    .option('--stall-timeout <time>', 'override the scenarios\' stall timeout')
    .option('--only <names>', 'comma-separated mutants to run (default: all)')
    .option('--json', 'print the matrix as JSON on stdout (the table goes to stderr)')
    .action(wrapParser(async (o: MutantsCliOptions, cmd: Command) => {
      const schedules = o.schedules !== undefined ? parseCount(o.schedules, '--schedules', 1, 1_000_000) : undefined;
      if (schedules !== undefined && o.engine !== 'sim') throw new UsageError(`--schedules ${o.schedules}: a budget in schedules needs --engine sim`);
      // A schedule budget has no wall-time cap unless --budget is given too.
      const budgetMs = schedules !== undefined && cmd.getOptionValueSource('budget') === 'default' ? SIM_UNBOUNDED_MS : parseDuration(o.budget, '--budget');
      const count = parseCount(o.seeds, '--seeds', 1, 100);
      const first = o.seed !== undefined ? parseSeed(o.seed) : freshSeed();
      const seeds = Array.from({ length: count }, (_, i) => (first + i) >>> 0);
      const stallTimeoutMs = o.stallTimeout !== undefined ? parseStallTimeout(o.stallTimeout) : undefined;
      // Every planted bug, then the real ones: variants that declare what the suite must find.
      const targets = [...MUTANTS, ...VARIANTS.filter((v) => v.expected?.length)];
      const mutants = o.only === undefined ? targets : o.only.split(',').map((n) => n.trim()).map((n) => {
        const m = targets.find((x) => x.name === n);
        if (!m) throw unknownName('mutant', n, targets.map((x) => x.name));
        return m;
      });
      // Every scenario must resolve before anything runs or is written.
      for (const s of new Set(mutants.map((m) => o.scenario ?? m.scenario ?? 'default'))) loadScenario(s);
      checkResultsRoot(o.results);

      const controller = new AbortController();
      installSignalHandlers(controller);
      const human = o.json ? (l: string) => process.stderr.write(l + '\n') : (l: string) => process.stdout.write(l + '\n');
      // Loaded when the command runs: every command's modules would otherwise load for every run (start-up counts against --duration).
      const { runKillMatrix } = await import('../campaign/kill-matrix.js');
      const { formatKillMatrixTable } = await import('../campaign/kill-matrix-report.js');
      const matrix = await runKillMatrix({
        mutants, budgetMs, schedules, seeds, engine: o.engine, scenario: o.scenario, stallTimeoutMs,
        resultsRoot: o.results, out: human, signal: controller.signal,
      });
      human('');
      for (const l of formatKillMatrixTable(matrix)) human(l);
      if (o.json) process.stdout.write(JSON.stringify(matrix, null, 2) + '\n');
      const sig = String(controller.signal.reason ?? '');
      process.exitCode = matrix.verdict === 'SUCCESS' ? EXIT.success
        : matrix.verdict === 'FAILURE' ? EXIT.failure
        : sig === 'SIGTERM' ? EXIT.sigterm : EXIT.sigint;
    }));
}
