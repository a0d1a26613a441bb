/** `rcutorture [run]`: torture one variant for a while and give a verdict. */
import { Command, Option } from 'commander';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { DEFAULT_FLAVOR } from '../../lib/rcu/registry.js';
import { DEFAULT_FAULTS, type RunConfig } from '../config.js';
import { freshSeed } from '../random.js';
import { runTorture } from '../orchestrator.js';
import { checkResultsRoot } from '../results.js';
import { loadImplFlavors } from '../flavors.js';
import { FLAVORS } from '../../lib/rcu/registry.js';
import { UsageError, parseCount, parseDuration, parseSeed, unknownName } from './parse.js';
import { installSignalHandlers, wrapParser } from './util.js';

export interface RunCliOptions {
  duration: string; variant: string; readers?: string; fakewriters?: string; seed?: string;
  stallTimeout: string; statInterval?: string; results: string; json?: boolean; quiet?: boolean;
  counter: 'wide' | 'narrow'; counterBits: string; impl?: string; scenario: string; elements: string;
}

const TEN_MINUTES = 600_000;

/** Turns command-line options into a run configuration, or throws a UsageError. */
export async function runConfigFromOptions(o: RunCliOptions): Promise<RunConfig> {
  const durationMs = parseDuration(o.duration, '--duration');
  const impl = o.impl ? resolve(o.impl) : undefined;
  const pool = impl ? [...(await loadImplFlavors(impl)), ...FLAVORS] : FLAVORS;
  if (!pool.some((f) => f.name === o.variant)) throw unknownName('variant', o.variant, pool.map((f) => f.name));
  if (o.scenario !== 'default') throw unknownName('scenario', o.scenario, ['default']);
  const cpus = availableParallelism();
  return {
    variant: o.variant,
    impl,
    scenario: o.scenario,
    engine: 'threads',
    seed: o.seed !== undefined ? parseSeed(o.seed) : freshSeed(),
    durationMs,
    readers: o.readers !== undefined ? parseCount(o.readers, '--readers', 1, 64) : Math.max(2, 2 * cpus),
    fakewriters: o.fakewriters !== undefined ? parseCount(o.fakewriters, '--fakewriters', 0, 32) : 2,
    stallTimeoutMs: parseDuration(o.stallTimeout, '--stall-timeout'),
    statIntervalMs: o.statInterval !== undefined ? parseDuration(o.statInterval, '--stat-interval') : durationMs < TEN_MINUTES ? 5000 : 60_000,
    counterMode: o.counter,
    counterBits: parseCount(o.counterBits, '--counter-bits', 3, 32),
    elements: parseCount(o.elements, '--elements', 16, 100_000),
    cbNodesPerFakewriter: 64,
    faults: DEFAULT_FAULTS,
  };
}

export function addRunOptions(cmd: Command): Command {
  return cmd
    .option('-d, --duration <time>', 'how long to torture (ms, s, m, h; e.g. 90s, 1h30m)', '1m')
    .option('-v, --variant <name>', 'RCU implementation to torture (see `rcutorture list`)', DEFAULT_FLAVOR)
    .option('--scenario <name>', 'fault scenario', 'default')
    .option('--readers <n>', 'reader threads (default: 2 per core, at least 2)')
    .option('--fakewriters <n>', 'extra updater threads (synchronize, call_rcu, drain, ...)')
    .option('--seed <n>', 'seed for every random choice of the harness (default: random, printed)')
    .option('--stall-timeout <time>', 'report a grace period or callback outstanding this long', '10s')
    .option('--stat-interval <time>', 'statistics every so often (default 5s, 60s for runs of 10m or more)')
    .option('--results <dir>', 'where run folders go', 'results')
    .addOption(new Option('--counter <mode>', 'grace-period counter mode').choices(['wide', 'narrow']).default('wide'))
    .option('--counter-bits <n>', 'grace-period counter width in bits (few bits make wrap-around reachable)', '32')
    .option('--elements <n>', 'torture element pool size', '256')
    .option('--impl <module>', 'load extra flavors from a module (see docs/writing-a-flavor.md)')
    .option('--json', 'print the summary as JSON on stdout (human output goes to stderr)')
    .option('-q, --quiet', 'print only the verdict line');
}

export function registerRun(program: Command): void {
  addRunOptions(program.command('run', { isDefault: true }).description('torture one RCU implementation (the default command)'))
    .action(wrapParser(async (o: RunCliOptions) => {
      const cfg = await runConfigFromOptions(o);
      checkResultsRoot(o.results);
      const controller = new AbortController();
      installSignalHandlers(controller);
      const human = o.json ? (l: string) => process.stderr.write(l + '\n') : (l: string) => process.stdout.write(l + '\n');
      const out = o.quiet ? (l: string) => { if (l.startsWith('rcutorture: ') && /(SUCCESS|FAILURE|INTERRUPTED|ERROR)/.test(l) && !l.includes('/')) human(l); } : human;
      const summary = await runTorture(cfg, { resultsRoot: o.results, out, signal: controller.signal });
      if (o.json) process.stdout.write(JSON.stringify(summary, null, 2) + '\n');
      process.exitCode = summary.exitCode;
    }));
}

export { UsageError };
