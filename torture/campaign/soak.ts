/**
 * Matrix soak: every variant x scenario x seed, one run each, so a CI matrix
 * can spread a long soak across machines. Case k of the matrix (variants
 * outermost, seeds innermost) belongs to shard (k mod n) + 1 of n, and seed
 * number j of every variant and scenario is derived from the seed base alone:
 * shards planned on different machines agree on every case without talking
 * to each other, and `merge` can check that together they ran the whole matrix.
 *
 * A soak folder is laid out as kvm.sh's res/<date>/<scenario>: soak.json
 * (rewritten atomically after every case, so a killed soak still lists what
 * it finished) and junit.xml at the top, then one run folder per case at
 * <scenario>/<variant>[.N], N the seed number from 2 on, each log.txt ending
 * in one greppable `rcutorture-case:` line.
 */
import { appendFileSync, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import type { RunConfig } from '../run/config.js';
import { runTorture } from '../run/run.js';
import { VERSION } from '../run/version.js';
import type { RunOptions } from '../run/options.js';
import { Random } from '../run/random.js';
import { STREAMS } from '../run/streams.js';
import { folderTimestamp, safeName, writeFileAtomic, writeJsonAtomic } from '../report/results.js';
import { junitXml } from '../report/junit.js';
import { caseResult, exitCodeFor, failureList, type CaseResult, type Verdict } from '../report/summary.js';
import type { MemoryUsage } from '../report/memory.js';
import { UsageError } from '../run/parse.js';
import { makeDirs } from '../io/safe-fs.js';
import { LOADED_SHARE } from '../report/phases.js';

export interface SoakMatrix {
  variants: string[];
  scenarios: string[];
  /**
   * kvm.sh's `2*TREE01`: a scenario listed as N*name runs N x seeds cases
   * (seed numbers 0 .. N x seeds - 1, so every copy has its own seed).
   * Only scenarios asked more than once are here; absent means 1 for all.
   */
  copies?: Record<string, number>;
  /** Seeds per variant x scenario (per copy). */
  seeds: number;
  seedBase: number;
  durationEachMs: number;
}

export interface Shard { index: number; count: number }

export interface SoakCase { k: number; variant: string; scenario: string; seedIndex: number; seed: number }

/** `startedAt`: when the case's run started (cases run side by side under --cpus). */
export type SoakCaseResult = SoakCase & CaseResult & { startedAt?: string };

export interface SoakSummary {
  tool: 'rcutorture';
  kind: 'soak';
  version: string;
  verdict: Verdict;
  /** false while the soak is still going. */
  final: boolean;
  matrix: SoakMatrix;
  /** The shards this summary covers: one for a soak, all of them after a merge. */
  shards: Shard[];
  /** Case numbers this summary set out to run. */
  planned: number[];
  cases: SoakCaseResult[];
  /** Planned cases with no result (a merge missing a shard, a soak cut short). */
  missing: number[];
  totals: Record<Verdict, number>;
  interrupted: boolean;
  signal?: string;
  /** null while RUNNING. */
  exitCode: number | null;
  startedAt: string;
  durationMs: number;
  memory?: MemoryUsage;
}


/** Seed number `seedIndex` of a soak: a function of the seed base alone. */
export function soakSeed(seedBase: number, seedIndex: number): number {
  return new Random(seedBase, STREAMS.soakSeed(seedIndex)).next32();
}

/** How many seeds a scenario gets: --seeds times its N*. */
export function seedsOf(m: SoakMatrix, scenario: string): number {
  return m.seeds * (m.copies?.[scenario] ?? 1);
}

export function matrixSize(m: SoakMatrix): number {
  return m.variants.length * m.scenarios.reduce((n, sc) => n + seedsOf(m, sc), 0);
}

/** The scenario list as given, N*name where N > 1 (for messages and sameMatrix). */
export function scenarioList(m: SoakMatrix): string {
  return m.scenarios.map((sc) => ((m.copies?.[sc] ?? 1) > 1 ? `${m.copies![sc]}*${sc}` : sc)).join(',');
}

/** Every case of the matrix, in case-number order. */
export function planMatrix(m: SoakMatrix): SoakCase[] {
  const cases: SoakCase[] = [];
  for (const variant of m.variants) {
    for (const scenario of m.scenarios) {
      for (let seedIndex = 0; seedIndex < seedsOf(m, scenario); seedIndex++) {
        cases.push({ k: cases.length, variant, scenario, seedIndex, seed: soakSeed(m.seedBase, seedIndex) });
      }
    }
  }
  return cases;
}

/** Shard i of n takes the cases with k mod n == i - 1. */
export function shardCases(cases: SoakCase[], shard: Shard): SoakCase[] {
  return cases.filter((c) => c.k % shard.count === shard.index - 1);
}

export function soakFolderName(shard: Shard, at = new Date()): string {
  const ts = folderTimestamp(at);
  return shard.count === 1 ? `${ts}-soak` : `${ts}-soak-shard-${shard.index}-of-${shard.count}`;
}

/**
 * Where case c's run folder goes inside the soak folder: <scenario>/<variant>,
 * and <variant>.N for seed number N >= 2 (kvm.sh's TREE01.2 for a second copy).
 * Fixed by the case alone, so every shard lays its cases out alike.
 */
export function caseFolder(c: Pick<SoakCase, 'variant' | 'scenario' | 'seedIndex'>): { scenarioDir: string; name: string } {
  return { scenarioDir: safeName(c.scenario), name: c.seedIndex === 0 ? safeName(c.variant) : `${safeName(c.variant)}.${c.seedIndex + 1}` };
}

/** caseFolder as a path relative to the soak folder. */
export const caseFolderPath = (c: Pick<SoakCase, 'variant' | 'scenario' | 'seedIndex'>): string => {
  const f = caseFolder(c);
  return `${f.scenarioDir}/${f.name}`;
};

/**
 * The last line of a case's log.txt, for scripts (grep '^rcutorture-case:'):
 * key=value fields, failures as class:count joined by commas, or none.
 */
export function caseSummaryLine(c: SoakCaseResult): string {
  const failures = Object.entries(c.failures).filter(([, n]) => n > 0).map(([k, n]) => `${k}:${n}`).join(',') || 'none';
  return `rcutorture-case: verdict=${c.verdict} variant=${c.variant} scenario=${c.scenario} seed=${c.seed} case=${c.k} ` +
    `duration=${(c.durationMs / 1000).toFixed(1)}s failures=${failures}`;
}

/**
 * Memory over a series of runs in one process: the first run's start, the
 * last run's end, the highest peak. A main process that keeps something of
 * every run shows here as an end well above the start.
 */
function spanOf(cases: CaseResult[]): MemoryUsage | undefined {
  const m = cases.map((c) => c.memory).filter((x): x is MemoryUsage => x !== undefined);
  if (m.length === 0) return undefined;
  return {
    rssStart: m[0].rssStart, rssEnd: m[m.length - 1].rssEnd, rssPeak: Math.max(...m.map((x) => x.rssPeak)),
    heapStart: m[0].heapStart, heapEnd: m[m.length - 1].heapEnd,
  };
}

function totals(cases: CaseResult[]): Record<Verdict, number> {
  const t: Record<Verdict, number> = { SUCCESS: 0, FAILURE: 0, INTERRUPTED: 0, ERROR: 0, RUNNING: 0 };
  for (const c of cases) t[c.verdict]++;
  return t;
}

/** A failure anywhere wins; then an interrupt; then anything unrun; else success. */
function soakVerdict(cases: CaseResult[], missing: number[], interrupted: boolean): Exclude<Verdict, 'RUNNING'> {
  const t = totals(cases);
  if (t.FAILURE > 0) return 'FAILURE';
  if (interrupted || t.INTERRUPTED > 0) return 'INTERRUPTED';
  // A case that never finished (its summary still RUNNING) did not pass.
  if (t.ERROR > 0 || t.RUNNING > 0 || missing.length > 0) return 'ERROR';
  return 'SUCCESS';
}

function finish(s: Omit<SoakSummary, 'verdict' | 'totals' | 'missing' | 'exitCode' | 'final'>, final: boolean): SoakSummary {
  const done = new Set(s.cases.map((c) => c.k));
  const missing = s.planned.filter((k) => !done.has(k));
  // Until it is final, a soak.json says RUNNING (what a kill leaves behind), with the cases done so far.
  if (!final) return { ...s, final, verdict: 'RUNNING', totals: totals(s.cases), missing, exitCode: null };
  const verdict = soakVerdict(s.cases, missing, s.interrupted);
  return { ...s, final, verdict, totals: totals(s.cases), missing, exitCode: exitCodeFor(verdict, s.signal) };
}

/** Failed cases named on the verdict line of a soak or a merge. */
const SHOWN_FAILED_CASES = 5;

export function soakVerdictLine(s: SoakSummary): string {
  const shard = s.shards.length === 1 && s.shards[0].count > 1 ? ` (shard ${s.shards[0].index}/${s.shards[0].count})` : '';
  const head = `rcutorture: soak ${s.cases.length}/${s.planned.length} cases${shard} ${s.verdict}`;
  const failed = s.cases.filter((c) => c.verdict === 'FAILURE').map((c) => `${c.variant} ${c.scenario} seed=${c.seed}: ${failureList(c.failures)}`);
  // The first few by name, then a count: the case lines above and soak.json have them all.
  const parts = failed.length > SHOWN_FAILED_CASES
    ? [...failed.slice(0, SHOWN_FAILED_CASES), `and ${failed.length - SHOWN_FAILED_CASES} more failed cases (soak.json)`]
    : failed;
  if (s.missing.length > 0) parts.push(`missing cases ${s.missing.join(',')}`);
  return parts.length ? `${head}: ${parts.join('; ')}` : head;
}

/** One line per finished case, for the console: `[done/of]` counts finished cases. */
export function caseLine(c: SoakCaseResult, done: number, of: number): string {
  const f = failureList(c.failures);
  const loaded = c.stallClockShare !== undefined && c.stallClockShare < LOADED_SHARE ? `, stall clock ${percent(c.stallClockShare)}` : '';
  return `soak: case ${c.k} (${c.variant} ${c.scenario} seed=${c.seed}) ${c.verdict}${f ? `: ${f}` : ''} ` +
    `in ${(c.durationMs / 1000).toFixed(1)}s${loaded} [${done}/${of}]`;
}

const percent = (share: number) => `${Math.round(share * 100)}%`;
const caseName = (c: SoakCaseResult) => `${c.variant} ${c.scenario} seed=${c.seed}`;

/**
 * What a loaded machine left the soak's stall checks (threads engine): the
 * share of their time the cases' stall clocks counted, and the cases that
 * counted less than their stall timeout, in which no stall check could have
 * fired: a SUCCESS there says nothing about stalls. Undefined when every
 * case got the CPU it asked for (or none has a stall clock: sim).
 */
export function stallCoverageLine(cases: SoakCaseResult[]): string | undefined {
  const timed = cases.filter((c) => c.stallClockShare !== undefined && c.verdict !== 'INTERRUPTED');
  if (timed.length === 0) return undefined;
  const blind = timed.filter((c) => c.stallClockMs !== undefined && c.stallTimeoutMs !== undefined && c.stallClockMs < c.stallTimeoutMs);
  const shares = timed.map((c) => c.stallClockShare!).sort((a, b) => a - b);
  const median = shares[Math.floor(shares.length / 2)];
  if (blind.length === 0 && median >= LOADED_SHARE) return undefined;
  const lowest = timed.reduce((a, c) => (c.stallClockShare! < a.stallClockShare! ? c : a));
  const head = `rcutorture: soak stall clock: cases counted a median ${percent(median)} of their time ` +
    `(lowest ${percent(lowest.stallClockShare!)}, ${caseName(lowest)}): other load kept their threads waiting`;
  if (blind.length === 0) return `${head}; every case counted more than its stall timeout`;
  const shown = blind.slice(0, SHOWN_FAILED_CASES).map(caseName).join(', ');
  return `${head}; ${blind.length} of ${timed.length} counted less than their stall timeout, so no stall check could fire in them ` +
    `(${shown}${blind.length > SHOWN_FAILED_CASES ? ', ...' : ''}): run them on a quieter machine or longer`;
}

export interface SoakPlan {
  matrix: SoakMatrix;
  shard: Shard;
  /** This shard's cases with their run configurations, already validated. */
  runs: { c: SoakCase; cfg: RunConfig }[];
  /** --cpus: run cases side by side within this budget; absent, one at a time. */
  cpus?: number;
}

export interface SoakOptions extends Pick<RunOptions, 'out' | 'onTick' | 'signal'> {
  /** The soak folder (made if missing). */
  dir: string;
  /**
   * kvm.sh's --cpus: run cases side by side within this many CPUs, each
   * costing caseCpus() (at most the budget). Absent: one case at a time.
   * With a budget over 1, a case's lines go to its log.txt only (`out` gets
   * the soak's own lines: case start and end) and there is no live line.
   */
  cpus?: number;
  /** Called when a case ends (the console prints a line per case); `done` counts the cases finished. */
  onCase?: (c: SoakCaseResult, done: number) => void;
  /** Called when a case's run ends, before the next starts (the live line is cleared). */
  afterRun?: () => void;
}

/**
 * CPUs a case costs under --cpus: its readers at two per CPU (how a run is
 * sized by default), so a case sized for one CPU costs one and a scenario
 * that fixes 8 readers costs four. Its writer, fakewriters and background
 * threads mostly sleep and are not counted (kvm.sh counts a guest's vCPUs,
 * not its kthreads).
 */
export function caseCpus(cfg: Pick<RunConfig, 'readers'>): number {
  return Math.max(1, Math.ceil(cfg.readers / 2));
}

/**
 * Runs a shard's cases in case order, within the --cpus budget (one after
 * another without one); stops starting cases on a signal, which interrupts
 * every running one (they share it).
 */
export async function runSoak(plan: SoakPlan, opts: SoakOptions): Promise<SoakSummary> {
  const dir = resolve(opts.dir);
  makeDirs(dir, '--results');
  const startedAt = new Date();
  const sideBySide = (opts.cpus ?? 1) > 1;
  const state = {
    tool: 'rcutorture' as const, kind: 'soak' as const, version: VERSION, matrix: plan.matrix, shards: [plan.shard],
    planned: plan.runs.map((r) => r.c.k), cases: [] as SoakCaseResult[], interrupted: false, signal: undefined as string | undefined,
    startedAt: startedAt.toISOString(), durationMs: 0, memory: undefined as MemoryUsage | undefined,
  };
  const save = (final: boolean): SoakSummary => {
    state.durationMs = Date.now() - startedAt.getTime();
    // Cases finish in any order when they run side by side; the files list them in case order.
    state.cases.sort((a, b) => a.k - b.k);
    state.memory = spanOf(state.cases);
    const s = finish(state, final);
    writeJsonAtomic(join(dir, 'soak.json'), s);
    writeFileAtomic(join(dir, 'junit.xml'), junitXml(s.cases, 'rcutorture soak', startedAt));
    return s;
  };
  save(false);
  /** Cases started so far. */
  let next = 0;
  const runCase = async ({ c, cfg }: SoakPlan['runs'][number]): Promise<void> => {
    opts.out?.(`soak: case ${c.k} (${c.variant} ${c.scenario} seed=${c.seed}) started, ${next} of ${plan.runs.length}`, 'header');
    const where = caseFolder(c);
    const summary = await runTorture(cfg, {
      resultsRoot: join(dir, where.scenarioDir), folderName: where.name, signal: opts.signal,
      // Side by side, cases' lines would interleave on the console: each keeps them in its log.txt.
      ...(sideBySide ? {} : { out: opts.out, onTick: opts.onTick }),
    });
    if (!sideBySide) opts.afterRun?.();
    const r: SoakCaseResult = {
      ...c, ...caseResult(summary), startedAt: summary.startedAt,
      resultsDir: summary.resultsDir ? relative(dir, summary.resultsDir) : undefined,
    };
    if (summary.resultsDir) appendFileSync(join(summary.resultsDir, 'log.txt'), caseSummaryLine(r) + '\n');
    state.cases.push(r);
    if (summary.interrupted) { state.interrupted = true; state.signal = summary.signal; }
    save(false);
    opts.onCase?.(r, state.cases.length);
  };
  // Cases start in case order while their CPUs fit in the budget; a case waits for running ones to free enough.
  const budget = opts.cpus ?? 1;
  let free = budget;
  let error: unknown;
  const running = new Set<Promise<void>>();
  const stop = () => opts.signal?.aborted || state.interrupted || error !== undefined;
  for (const run of plan.runs) {
    const cost = opts.cpus === undefined ? 1 : Math.min(budget, caseCpus(run.cfg));
    while (free < cost && !stop()) await Promise.race(running);
    if (stop()) break;
    free -= cost;
    next++;
    const p: Promise<void> = runCase(run).catch((e: unknown) => { error ??= e; }).finally(() => { free += cost; running.delete(p); });
    running.add(p);
  }
  await Promise.all(running);
  if (error !== undefined) throw error;
  if (opts.signal?.aborted && !state.interrupted) { state.interrupted = true; state.signal = String(opts.signal.reason ?? 'SIGINT'); }
  return save(true);
}

// ---- merge ------------------------------------------------------------------------

/** soak.json files at or under `dir` (a shard's folder, or a folder of downloaded shard artifacts). */
export function findSoakSummaries(dir: string, depth = 4): string[] {
  const here = join(dir, 'soak.json');
  if (existsSync(here)) return [here];
  if (depth === 0) return [];
  const found: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const sub = join(dir, name);
    if (statSync(sub).isDirectory()) found.push(...findSoakSummaries(sub, depth - 1));
  }
  return found;
}

export function readSoakSummary(file: string): SoakSummary {
  let s: SoakSummary;
  try {
    s = JSON.parse(readFileSync(file, 'utf8')) as SoakSummary;
  } catch (e) {
    throw new UsageError(`bad soak summary "${file}": ${e instanceof Error ? e.message : String(e)}`);
  }
  if (s?.kind !== 'soak' || !Array.isArray(s.cases) || !s.matrix) {
    throw new UsageError(`bad soak summary "${file}": not written by \`rcutorture soak\``);
  }
  return s;
}

const sameMatrix = (a: SoakMatrix, b: SoakMatrix) =>
  a.variants.join(',') === b.variants.join(',') && scenarioList(a) === scenarioList(b) &&
  a.seeds === b.seeds && a.seedBase === b.seedBase && a.durationEachMs === b.durationEachMs;

/**
 * Combines shard summaries into one covering the whole matrix. Results dirs
 * are rebased onto `outDir` (or made absolute). Every shard must come from
 * the same matrix; a case present twice is an error; a case present nowhere
 * is listed as missing and makes the merge an ERROR unless a failure decides it.
 */
export function mergeSoaks(inputs: { file: string; summary: SoakSummary }[], outDir?: string): SoakSummary {
  const first = inputs[0];
  const byK = new Map<number, { c: SoakCaseResult; file: string }>();
  const shards: Shard[] = [];
  for (const { file, summary } of inputs) {
    if (!sameMatrix(first.summary.matrix, summary.matrix)) {
      throw new UsageError(`cannot merge "${file}" with "${first.file}": they soak different matrices (variants, scenarios, seeds, seed base or duration differ)`);
    }
    for (const sh of summary.shards) {
      if (!shards.some((x) => x.index === sh.index && x.count === sh.count)) shards.push(sh);
    }
    const base = resolve(file, '..');
    for (const c of summary.cases) {
      const prev = byK.get(c.k);
      if (prev) throw new UsageError(`cannot merge: case ${c.k} is in both "${prev.file}" and "${file}" (the same shard given twice?)`);
      const abs = c.resultsDir !== undefined ? resolve(base, c.resultsDir) : undefined;
      byK.set(c.k, { c: { ...c, resultsDir: abs !== undefined && outDir ? relative(resolve(outDir), abs) : abs }, file });
    }
  }
  shards.sort((a, b) => a.count - b.count || a.index - b.index);
  const cases = [...byK.values()].map((x) => x.c).sort((a, b) => a.k - b.k);
  const interrupted = inputs.some((i) => i.summary.interrupted);
  const rss = inputs.map((i) => i.summary.memory).filter((m): m is MemoryUsage => m !== undefined);
  return finish({
    tool: 'rcutorture', kind: 'soak', version: VERSION, matrix: first.summary.matrix, shards,
    planned: planMatrix(first.summary.matrix).map((c) => c.k), cases, interrupted,
    signal: inputs.find((i) => i.summary.signal)?.summary.signal,
    startedAt: inputs.map((i) => i.summary.startedAt).sort()[0],
    durationMs: Math.max(...inputs.map((i) => i.summary.durationMs)),
    // Shards ran on different machines: the worst of each figure.
    memory: rss.length ? {
      rssStart: Math.max(...rss.map((m) => m.rssStart)), rssEnd: Math.max(...rss.map((m) => m.rssEnd)),
      rssPeak: Math.max(...rss.map((m) => m.rssPeak)), heapStart: Math.max(...rss.map((m) => m.heapStart)),
      heapEnd: Math.max(...rss.map((m) => m.heapEnd)),
    } : undefined,
  }, true);
}
