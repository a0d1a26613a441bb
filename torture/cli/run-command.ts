/** `rcutorture [run]`: torture one variant for a while and give a verdict. */
import { Command, Option } from 'commander';
import { DEFAULT_FLAVOR } from '../../lib/rcu/registry.js';
import type { RunConfig } from '../config.js';
import { resolveRunConfig } from '../run-config.js';
import { runTorture, type LineKind } from '../orchestrator.js';
import { checkResultsRoot } from '../results.js';
import { UsageError, parseCount, parseDuration, parseSeed } from './parse.js';
import { installSignalHandlers, wrapParser } from './util.js';

export interface RunCliOptions {
  duration: string; variant: string; readers?: string; fakewriters?: string; seed?: string;
  stallTimeout?: string; statInterval?: string; results: string; json?: boolean; quiet?: boolean;
  counter?: 'wide' | 'narrow'; counterBits?: string; impl?: string; scenario: string; elements?: string;
}

/** Turns command-line options into a run configuration, or throws a UsageError. */
export async function runConfigFromOptions(o: RunCliOptions): Promise<RunConfig> {
  return resolveRunConfig({
    variant: o.variant,
    impl: o.impl,
    scenario: o.scenario,
    durationMs: parseDuration(o.duration, '--duration'),
    seed: o.seed !== undefined ? parseSeed(o.seed) : undefined,
    readers: o.readers !== undefined ? parseCount(o.readers, '--readers', 1, 64) : undefined,
    fakewriters: o.fakewriters !== undefined ? parseCount(o.fakewriters, '--fakewriters', 0, 32) : undefined,
    stallTimeoutMs: o.stallTimeout !== undefined ? parseDuration(o.stallTimeout, '--stall-timeout') : undefined,
    statIntervalMs: o.statInterval !== undefined ? parseDuration(o.statInterval, '--stat-interval') : undefined,
    counterMode: o.counter,
    counterBits: o.counterBits !== undefined ? parseCount(o.counterBits, '--counter-bits', 3, 32) : undefined,
    elements: o.elements !== undefined ? parseCount(o.elements, '--elements', 16, 100_000) : undefined,
  });
}

export function addRunOptions(cmd: Command): Command {
  return cmd
    .option('-d, --duration <time>', 'how long to torture (ms, s, m, h; e.g. 90s, 1h30m)', '1m')
    .option('-v, --variant <name>', 'RCU implementation to torture (see `rcutorture list`)', DEFAULT_FLAVOR)
    .option('--scenario <name>', 'fault scenario', 'default')
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
      const out = o.quiet ? (l: string, kind: LineKind) => { if (kind === 'verdict') human(l); } : human;
      const summary = await runTorture(cfg, { resultsRoot: o.results, out, signal: controller.signal });
      if (o.json) process.stdout.write(JSON.stringify(summary, null, 2) + '\n');
      process.exitCode = summary.exitCode;
    }));
}

export { UsageError };
