/** `rcutorture [run]`: torture one variant for a while and give a verdict. */
import { Command, Option } from 'commander';
import { DEFAULT_FLAVOR } from '../../lib/rcu/registry.js';
import type { RunConfig } from '../run/config.js';
import { resolveRunConfig } from '../run/resolve-config.js';
import { runTorture } from '../run/run.js';
import { checkOutputFile, checkResultsRoot, writeFileAtomic } from '../report/results.js';
import { ConsoleReporter } from '../report/progress.js';
import { junitXml } from '../report/junit.js';
import { caseResult } from '../report/summary.js';
import { UsageError, parseStallTimeout, parseCount, parseDuration, parseSeed } from '../run/parse.js';
import { EXIT } from '../report/summary.js';
import { addFaultOptions, faultRequestFromOptions, type FaultCliOptions } from './fault-options.js';
import { exitWhenFlushed, installSignalHandlers, warnLoudly, wrapParser } from './util.js';
import { addSimOptions, simRequestFromOptions, type SimCliOptions } from '../engines/sim/sim-options.js';
import { addQemuOption, implFromOptions, type QemuCliOptions } from './qemu-option.js';

export interface RunCliOptions extends FaultCliOptions, SimCliOptions, QemuCliOptions {
  duration: string; variant: string; readers?: string; fakewriters?: string; seed?: string;
  stallTimeout?: string; statInterval?: string; results: string; json?: boolean; quiet?: boolean;
  counter?: 'wide' | 'narrow'; counterBits?: string; impl?: string; scenario: string; elements?: string;
  junit?: string; stopOnFailure?: boolean;
}

/**
 * Turns command-line options into a run configuration, or throws a UsageError.
 * `variantGiven` false (--variant left at its default): with --impl, the
 * module's first flavor is tortured instead of the default variant.
 */
export async function runConfigFromOptions(o: RunCliOptions, variantGiven = true): Promise<RunConfig> {
  return resolveRunConfig({
    variant: variantGiven ? o.variant : undefined,
    impl: implFromOptions(o),
    scenario: o.scenario,
    durationMs: parseDuration(o.duration, '--duration'),
    seed: o.seed !== undefined ? parseSeed(o.seed) : undefined,
    readers: o.readers !== undefined ? parseCount(o.readers, '--readers', 1, 64) : undefined,
    fakewriters: o.fakewriters !== undefined ? parseCount(o.fakewriters, '--fakewriters', 0, 32) : undefined,
    stallTimeoutMs: o.stallTimeout !== undefined ? parseStallTimeout(o.stallTimeout) : undefined,
    statIntervalMs: o.statInterval !== undefined ? parseDuration(o.statInterval, '--stat-interval') : undefined,
    counterMode: o.counter,
    counterBits: o.counterBits !== undefined ? parseCount(o.counterBits, '--counter-bits', 3, 32) : undefined,
    elements: o.elements !== undefined ? parseCount(o.elements, '--elements', 16, 100_000) : undefined,
    ...faultRequestFromOptions(o),
    ...simRequestFromOptions(o),
    warn: warnLoudly,
  });
}

export function addRunOptions(cmd: Command): Command {
  return addSimOptions(addFaultOptions(addQemuOption(cmd
    .option('-d, --duration <time>', 'how long to torture (ms, s, m, h; e.g. 90s, 1h30m)', '1m')
    .option('-v, --variant <name>', 'RCU implementation to torture (see `rcutorture list`; with --impl, default: the module\'s first flavor)', DEFAULT_FLAVOR)
    .option('--scenario <name|file>', 'fault scenario: a shipped name (`rcutorture list scenarios`) or a JSON file', 'default')
    .option('--readers <n>', 'reader threads (default: 2 per core, at least 2)')
    .option('--fakewriters <n>', 'extra updater threads (synchronize, call_rcu, drain, ...)')
    .option('--seed <n>', 'seed for every random choice of the harness (default: random, printed)')
    .option('--stall-timeout <time>', 'report a grace period or callback outstanding this long (default 10s or the scenario\'s)')
    .option('--stat-interval <time>', 'statistics every so often (default 5s, 60s for runs of 10m or more)')
    .option('--results <dir>', 'where run folders go', 'results')
    .addOption(new Option('--counter <mode>', 'grace-period counter mode').choices(['wide', 'narrow']))
    .option('--counter-bits <n>', 'grace-period counter width in bits, 3..32 (few bits make wrap-around reachable)')
    .option('--elements <n>', 'torture element pool size (default 256)')
    .option('--impl <module>', 'load extra flavors from a module (see docs/writing-a-flavor.md)')
    .option('--json', 'print the summary as JSON on stdout (human output goes to stderr)')
    .option('--junit <file>', 'also write the verdict as JUnit XML (one test case) for CI')
    .option('--stop-on-failure', 'end the run at its first failure, as the kill matrix does (--duration becomes a budget)')
    .option('-q, --quiet', 'print only the verdict line'))));
}

export function registerRun(program: Command): void {
  addRunOptions(program.command('run', { isDefault: true }).description('torture one RCU implementation (the default command)'))
    .action(wrapParser(async (o: RunCliOptions, cmd: Command) => {
      const cfg = await runConfigFromOptions(o, cmd.getOptionValueSource('variant') !== 'default');
      checkResultsRoot(o.results);
      if (o.junit !== undefined) checkOutputFile(o.junit, '--junit');
      const controller = new AbortController();
      installSignalHandlers(controller);
      const human = new ConsoleReporter(o.json ? process.stderr : process.stdout, { quiet: o.quiet });
      const summary = await runTorture(cfg, {
        resultsRoot: o.results, out: human.line, onTick: human.tick, signal: controller.signal, stopOnFailure: o.stopOnFailure,
      });
      human.done();
      if (o.junit !== undefined) writeFileAtomic(o.junit, junitXml([caseResult(summary)]));
      if (o.json) process.stdout.write(JSON.stringify(summary, null, 2) + '\n');
      await exitWhenFlushed(summary.exitCode ?? EXIT.internal);
    }));
}

export { UsageError };
