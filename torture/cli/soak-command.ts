/**
 * `rcutorture soak`: this machine's share of a variant x scenario x seed
 * matrix (torture/soak.ts). Everything is validated, every case's
 * configuration resolved, before the soak folder is made.
 */
import type { Command } from 'commander';
import { DEFAULT_FLAVOR } from '../../lib/rcu/registry.js';
import { resolveRunConfig } from '../run/resolve-config.js';
import { checkOutputFile, checkResultsRoot, makeFreshDir, writeFileAtomic } from '../report/results.js';
import { ConsoleReporter } from '../report/progress.js';
import { junitXml } from '../report/junit.js';
import { caseFolderPath, caseLine, matrixSize, planMatrix, runSoak, shardCases, soakFolderName, soakVerdictLine, stallCoverageLine, type SoakMatrix, type SoakPlan } from '../campaign/soak.js';
import { plural } from '../report/plural.js';
import { UsageError, parseStallTimeout, parseCopiesList, parseCount, parseDuration, parseNameList, parseSeed, parseShard } from '../run/parse.js';
import { EXIT } from '../report/summary.js';
import { exitWhenFlushed, installSignalHandlers, warnLoudly, wrapParser } from './util.js';
import { addQemuOption, implFromOptions, type QemuCliOptions } from './qemu-option.js';

interface SoakCliOptions extends QemuCliOptions {
  variants: string; scenarios: string; durationEach: string; seeds: string; shard: string; seedBase: string;
  readers?: string; fakewriters?: string; stallTimeout?: string; statInterval?: string; impl?: string;
  results: string; junit?: string; json?: boolean; quiet?: boolean; list?: boolean; cpus?: string;
}

/** Most CPUs --cpus takes: a budget, not a thread count, but a typo all the same beyond this. */
const MAX_CPUS = 1024;

/** A soak of more cases than this is a typo, not a plan. */
const MAX_CASES = 100_000;

async function planFromOptions(o: SoakCliOptions): Promise<SoakPlan> {
  const scenarios = parseCopiesList(o.scenarios, '--scenarios');
  const copies = Object.fromEntries(scenarios.filter((s) => s.copies > 1).map((s) => [s.name, s.copies]));
  const matrix: SoakMatrix = {
    variants: parseNameList(o.variants, '--variants'),
    scenarios: scenarios.map((s) => s.name),
    ...(Object.keys(copies).length > 0 ? { copies } : {}),
    seeds: parseCount(o.seeds, '--seeds', 1, 10_000),
    seedBase: parseSeed(o.seedBase),
    durationEachMs: parseDuration(o.durationEach, '--duration-each'),
  };
  if (matrixSize(matrix) > MAX_CASES) {
    throw new UsageError(`bad soak matrix: ${matrixSize(matrix)} cases (variants x scenarios x seeds); at most ${MAX_CASES}`);
  }
  const shard = parseShard(o.shard);
  const cpus = o.cpus !== undefined ? parseCount(o.cpus, '--cpus', 1, MAX_CPUS) : undefined;
  const common = {
    // Under --cpus a case is sized for one CPU (2 readers) unless its scenario or --readers says otherwise.
    cpus: cpus !== undefined ? 1 : undefined,
    impl: implFromOptions(o),
    durationMs: matrix.durationEachMs,
    readers: o.readers !== undefined ? parseCount(o.readers, '--readers', 1, 64) : undefined,
    fakewriters: o.fakewriters !== undefined ? parseCount(o.fakewriters, '--fakewriters', 0, 32) : undefined,
    stallTimeoutMs: o.stallTimeout !== undefined ? parseStallTimeout(o.stallTimeout) : undefined,
    statIntervalMs: o.statInterval !== undefined ? parseDuration(o.statInterval, '--stat-interval') : undefined,
    warn: warnLoudly,
  };
  // Every variant and scenario is checked, not only this shard's: shards must fail alike on a typo.
  for (const variant of matrix.variants) {
    for (const scenario of matrix.scenarios) await resolveRunConfig({ ...common, variant, scenario, seed: 0 });
  }
  const runs = [];
  for (const c of shardCases(planMatrix(matrix), shard)) {
    runs.push({ c, cfg: await resolveRunConfig({ ...common, variant: c.variant, scenario: c.scenario, seed: c.seed }) });
  }
  return { matrix, shard, runs, cpus };
}

export function registerSoak(program: Command): void {
  addQemuOption(program.command('soak'))
    .description('run a share (--shard i/n) of a variant x scenario x seed matrix, for CI soak tests')
    .option('--variants <list>', 'comma-separated variants', DEFAULT_FLAVOR)
    .option('--scenarios <list>', 'comma-separated scenarios; N*name runs N x --seeds cases of it (kvm.sh\'s 2*TREE01)', 'default')
    .option('--duration-each <time>', 'how long each case runs', '1m')
    .option('--seeds <n>', 'seeds per variant x scenario', '1')
    .option('--cpus <n>', 'run cases side by side within n CPUs, each sized for one (2 readers) and costing its readers / 2; default: one case at a time, sized for the machine')
    .option('--shard <i/n>', 'run only cases k with k mod n = i-1 (spread a soak over n machines)', '1/1')
    .option('--seed-base <n>', 'the seeds derive from this; every shard must be given the same', '1')
    .option('--readers <n>', 'reader threads per run')
    .option('--fakewriters <n>', 'fakewriter threads per run')
    .option('--stall-timeout <time>', 'stall timeout per run')
    .option('--stat-interval <time>', 'statistics every so often')
    .option('--impl <module>', 'load extra flavors from a module')
    .option('--results <dir>', 'where the soak folder goes', 'results')
    .option('--junit <file>', 'also write the cases as JUnit XML here (the soak folder always has junit.xml)')
    .option('--json', 'print soak.json on stdout (human output goes to stderr)')
    .option('--list', 'print this shard\'s cases and exit, running nothing')
    .option('-q, --quiet', 'print only the case and verdict lines')
    .action(wrapParser(async (o: SoakCliOptions) => {
      const plan = await planFromOptions(o);
      if (o.list) {
        for (const { c } of plan.runs) console.log(`${c.k}\t${c.variant}\t${c.scenario}\t${c.seed}\t${caseFolderPath(c)}`);
        return;
      }
      checkResultsRoot(o.results);
      if (o.junit !== undefined) checkOutputFile(o.junit, '--junit');
      const controller = new AbortController();
      installSignalHandlers(controller);
      const human = new ConsoleReporter(o.json ? process.stderr : process.stdout, { quiet: o.quiet });
      const dir = makeFreshDir(o.results, soakFolderName(plan.shard));
      const within = plan.cpus !== undefined ? `, side by side within ${plural(plan.cpus, 'CPU')}` : '';
      human.line(`rcutorture soak: ${plan.runs.length} of ${matrixSize(plan.matrix)} cases (shard ${plan.shard.index}/${plan.shard.count}, ` +
        `seed base ${plan.matrix.seedBase}), ${plan.matrix.durationEachMs / 1000}s each${within}; results in ${dir}`, 'verdict');
      const summary = await runSoak(plan, {
        // Each case's own verdict line gives way to the case line, which adds the case number and seed.
        dir, cpus: plan.cpus, out: (l, kind) => { if (kind !== 'verdict') human.line(l, kind); }, onTick: human.tick, signal: controller.signal,
        afterRun: () => human.done(),
        onCase: (c, done) => human.line(caseLine(c, done, plan.runs.length), 'verdict'),
      });
      if (o.junit !== undefined) writeFileAtomic(o.junit, junitXml(summary.cases, 'rcutorture soak'));
      const coverage = stallCoverageLine(summary.cases);
      if (coverage !== undefined) human.line(coverage, 'verdict');
      human.line(soakVerdictLine(summary), 'verdict');
      if (o.json) process.stdout.write(JSON.stringify(summary, null, 2) + '\n');
      await exitWhenFlushed(summary.exitCode ?? EXIT.internal);
    }));
}
