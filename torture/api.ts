/**
 * The programmatic API: a torture run or a comparison from a project's own
 * test suite or script.
 *
 *   import { torture, compare } from 'rcutorture';
 *   const s = await torture({ impl: './my-rcu.mjs', duration: '5s' });
 *   assert.equal(s.verdict, 'SUCCESS');
 *   const c = await compare({ variants: ['qemu-v0', 'qemu-v1'], duration: '5s', trials: 3 });
 *
 * Options mean what the `run` command's options mean and go through the same
 * parsers and run-config resolution, so the API and the CLI cannot disagree
 * on defaults or on what is valid. Bad options reject with a UsageError.
 */
import { DEFAULT_FLAVOR } from '../lib/rcu/registry.js';
import { runTorture } from './run/run.js';
import type { LineKind } from './run/options.js';
import { checkResultsRoot } from './report/results.js';
import type { Summary } from './report/summary.js';
import { runConfigFromOptions, type RunCliOptions } from './cli/run-command.js';
import { UsageError, parseCount, parseDuration, parseSeed } from './run/parse.js';
import { parseVariantList } from './cli/compare-command.js';
import { runCompare } from './compare/run.js';
import type { CompareRequest, CompareResult } from './compare/result.js';
import { freshSeed } from './run/random.js';

export interface TortureOptions {
  /** A shipped variant or a flavor of `impl`; default: the first flavor of `impl`, else the CLI's default variant. */
  variant?: string;
  /** Path of a module exporting flavors (see docs/writing-a-flavor.md). */
  impl?: string;
  scenario?: string;
  /** Milliseconds, or a duration such as '5s' or '1m30s'. Default: one minute, as on the CLI. */
  duration?: number | string;
  seed?: number;
  readers?: number;
  fakewriters?: number;
  /** Milliseconds or a duration string. */
  stallTimeout?: number | string;
  /** Milliseconds or a duration string. */
  statInterval?: number | string;
  counter?: 'wide' | 'narrow';
  counterBits?: number;
  elements?: number;
  /** 'threads' (default) or 'sim', the deterministic simulation engine; the sim-only options below need 'sim'. */
  engine?: 'threads' | 'sim';
  memoryModel?: 'sc' | 'tso';
  schedules?: number;
  steps?: number;
  strategy?: 'random' | 'pct';
  pctDepth?: number;
  /** Draw a random subset of fault kinds from the seed (swarm testing). */
  swarm?: boolean;
  /** Folder to make the run folder in; null or false (the default) for none. */
  results?: string | null | false;
  /** Every line the CLI would print, with its kind ('header', 'stats', 'stall', 'detail', 'verdict'). */
  onLine?: (line: string, kind: LineKind) => void;
  /** Aborting it stops the run in order; the summary says INTERRUPTED unless failures were found. */
  signal?: AbortSignal;
}

const durationText = (v: number | string | undefined): string | undefined =>
  v === undefined ? undefined : typeof v === 'number' ? `${v}ms` : v;
const countText = (v: number | undefined): string | undefined => (v === undefined ? undefined : String(v));

/** The CLI checks these with commander's choices; here they come from code, so check them alike. */
function choice<T extends string>(v: T | undefined, what: string, allowed: readonly T[]): T | undefined {
  if (v !== undefined && !allowed.includes(v)) throw new UsageError(`bad ${what} "${String(v)}": use ${allowed.map((a) => `"${a}"`).join(' or ')}`);
  return v;
}

/** Runs one torture run and resolves to its summary (what summary.json holds). */
export async function torture(options: TortureOptions = {}): Promise<Summary> {
  const cli: RunCliOptions = {
    duration: durationText(options.duration) ?? '1m',
    variant: options.variant ?? DEFAULT_FLAVOR,
    impl: options.impl,
    scenario: options.scenario ?? 'default',
    seed: countText(options.seed),
    readers: countText(options.readers),
    fakewriters: countText(options.fakewriters),
    stallTimeout: durationText(options.stallTimeout),
    statInterval: durationText(options.statInterval),
    counter: choice(options.counter, 'counter', ['wide', 'narrow']),
    counterBits: countText(options.counterBits),
    elements: countText(options.elements),
    results: options.results || '',
    engine: choice(options.engine, 'engine', ['threads', 'sim']),
    memoryModel: choice(options.memoryModel, 'memoryModel', ['sc', 'tso']),
    schedules: countText(options.schedules),
    steps: countText(options.steps),
    strategy: choice(options.strategy, 'strategy', ['random', 'pct']),
    pctDepth: countText(options.pctDepth),
    durationGiven: options.duration !== undefined,
    swarm: options.swarm,
  };
  const cfg = await runConfigFromOptions(cli, options.variant !== undefined);
  const resultsRoot = options.results || null;
  if (resultsRoot) {
    try {
      checkResultsRoot(resultsRoot);
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
  }
  return runTorture(cfg, { resultsRoot, out: options.onLine, signal: options.signal });
}

export interface CompareApiOptions {
  /** Two or more variants (shipped, or flavors of `impl`); the first is the baseline. */
  variants: string[];
  impl?: string;
  scenario?: string;
  /** Length of each trial: milliseconds or a duration string. Default '10s', as on the CLI. */
  duration?: number | string;
  /** Trials per variant (default 3; 6 or more for 95% intervals of the median). */
  trials?: number;
  /** Trial k runs every variant with seed + k; random when absent. */
  seed?: number;
  /** Folder in which the compare-<id> folder is made (default 'results', as on the CLI). */
  results?: string;
  /** Every line the CLI would print. */
  onLine?: (line: string) => void;
  signal?: AbortSignal;
}

/**
 * Runs a comparison and resolves to what compare.json holds, plus the
 * folder it was written to.
 */
export async function compare(options: CompareApiOptions): Promise<CompareResult & { dir: string }> {
  const req: CompareRequest = {
    variants: parseVariantList(options.variants.join(',')),
    scenario: options.scenario ?? 'default',
    durationMs: parseDuration(durationText(options.duration) ?? '10s', 'duration'),
    trials: parseCount(countText(options.trials) ?? '3', 'trials', 1, 1000),
    seed: options.seed !== undefined ? parseSeed(String(options.seed)) : freshSeed(),
    impl: options.impl,
  };
  const command = `compare --variants ${req.variants.join(',')} --scenario ${req.scenario} --duration ${req.durationMs}ms --trials ${req.trials} --seed ${req.seed} (programmatic)`;
  const { result, dir } = await runCompare(req, {
    resultsRoot: options.results ?? 'results', command, say: options.onLine, signal: options.signal,
  });
  return { ...result, dir };
}
