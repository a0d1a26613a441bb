/**
 * The kill matrix: the suite's detection power measured on planted bugs.
 * Every mutant runs on the scenario that targets it, once per seed, until
 * the first failure or the end of its budget; it is killed when every seed
 * reports at least one of the failure classes it declares. Mutants that
 * only a weak-memory model can expose are listed as needing the simulation
 * engine and kept out of the kill rate when the engine cannot see them.
 *
 * Variants that carry a real, documented bug (they declare `expected`) run
 * beside the mutants under the same rule.
 *
 * Knows mutants only through the registry's ops tables (expected classes,
 * targeted scenario), never by name.
 */
import { join } from 'node:path';
import type { RcuFlavor } from '../../lib/rcu/flavor.js';
import { expectedClasses, type FailureClass } from '../checks/classes.js';
import { runTorture } from '../run/run.js';
import { VERSION } from '../run/version.js';
import { resolveRunConfig } from '../run/resolve-config.js';
import { RunFolder, runFolderName, writeFileAtomic, writeJsonAtomic } from '../report/results.js';
import type { Summary } from '../report/summary.js';
import { failureList } from '../report/summary.js';
import { budgetText, formatKillMatrixMarkdown } from './kill-matrix-report.js';

export type Engine = 'threads' | 'sim';

export interface KillMatrixOptions {
  mutants: RcuFlavor[];
  /** Run-phase duration of every attempt: the time a mutant gets to be caught (with `schedules`, a wall-time cap). */
  budgetMs: number;
  /**
   * Sim engine: schedules every attempt gets. A budget in schedules makes
   * each attempt's verdict a function of its seed alone, on any machine and
   * under any load; a wall-time budget runs as many schedules as the
   * machine manages.
   */
  schedules?: number;
  seeds: number[];
  engine: Engine;
  /** Run every mutant on this scenario instead of the one that targets it. */
  scenario?: string;
  stallTimeoutMs?: number;
  /** Where the matrix folder goes (each attempt's run folder inside it); null for none. */
  resultsRoot: string | null;
  /** One line per attempt and per mutant. */
  out?: (line: string) => void;
  signal?: AbortSignal;
}

/** One mutant on one seed. */
export interface KillAttempt {
  seed: number;
  verdict: Summary['verdict'];
  /** Failure classes the run reported, with counts. */
  failures: Partial<Record<FailureClass, number>>;
  /** Some failure was reported. */
  detected: boolean;
  /** One of the mutant's expected classes was reported. */
  killed: boolean;
  /** Run time at which the first failure was seen. */
  detectMs?: number;
  /** Sim engine: schedules run, the failing one included (its number, counting from 1). */
  schedules?: number;
  resultsDir?: string;
}

export type KillStatus = 'killed' | 'survived' | 'wrong-class' | 'needs-sim' | 'not-run';

export interface KillRow {
  mutant: string;
  /** 'variant' for a shipped variant with a known bug (qemu-v2's hang). */
  kind: RcuFlavor['kind'];
  base?: string;
  scenario: string;
  expected: FailureClass[];
  needsWeakMemory: boolean;
  status: KillStatus;
  /** Every class reported over the attempts. */
  found: FailureClass[];
  attempts: KillAttempt[];
  /** Median time to detect over the killing attempts. */
  medianDetectMs?: number;
  /** Sim engine: the median number of the schedule that killed it. */
  medianDetectSchedule?: number;
}

export interface KillMatrix {
  tool: 'rcutorture';
  kind: 'kill-matrix';
  version: string;
  final: boolean;
  startedAt: string;
  engine: Engine;
  budgetMs: number;
  /** Sim engine: the schedules every attempt got, when the budget is in schedules. */
  schedules?: number;
  seeds: number[];
  rows: KillRow[];
  /** Mutants the engine can detect, and how many of them were killed. */
  detectable: number;
  killed: number;
  verdict: 'SUCCESS' | 'FAILURE' | 'INTERRUPTED';
  interrupted: boolean;
  resultsDir?: string;
}

export function median(xs: number[]): number | undefined {
  if (xs.length === 0) return undefined;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Whether this engine can expose the mutant's bug at all. */
export function engineCanSee(m: RcuFlavor, engine: Engine): boolean {
  return !m.needsWeakMemory || engine === 'sim';
}

/** Killed when every seed reports an expected class; wrong class when some seed reports only others. */
export function rowStatus(attempts: KillAttempt[], seeds: number): KillStatus {
  if (attempts.some((a) => a.detected && !a.killed)) return 'wrong-class';
  if (attempts.length === seeds && attempts.every((a) => a.killed)) return 'killed';
  return 'survived';
}

function reported(s: Summary): Partial<Record<FailureClass, number>> {
  return Object.fromEntries(Object.entries(s.failures).filter(([, n]) => n > 0)) as Partial<Record<FailureClass, number>>;
}

const secs = (ms: number | undefined) => (ms === undefined ? '-' : `${(ms / 1000).toFixed(1)}s`);


export async function runKillMatrix(opts: KillMatrixOptions): Promise<KillMatrix> {
  const out = opts.out ?? (() => {});
  const startedAt = new Date();
  const folder = opts.resultsRoot ? new RunFolder(opts.resultsRoot, runFolderName('kill-matrix', opts.engine, startedAt)) : null;
  const matrix: KillMatrix = {
    tool: 'rcutorture', kind: 'kill-matrix', version: VERSION, final: false, startedAt: startedAt.toISOString(),
    engine: opts.engine, budgetMs: opts.budgetMs, schedules: opts.schedules, seeds: opts.seeds, rows: [], detectable: 0, killed: 0,
    verdict: 'INTERRUPTED', interrupted: false, resultsDir: folder?.dir,
  };
  // A flavor with several known bugs (targets) gets one row per bug, on the scenario that finds it.
  const targetsOf = (m: RcuFlavor) => (!opts.scenario && m.targets?.length ? m.targets
    : [{ scenario: opts.scenario ?? m.scenario ?? 'default', expected: m.expected ?? [] }]);
  const rows = opts.mutants.flatMap((m) => targetsOf(m).map((t): KillRow => ({
    mutant: m.name, kind: m.kind, base: m.base, scenario: t.scenario, expected: expectedClasses(t.expected, m.name),
    needsWeakMemory: m.needsWeakMemory === true, status: engineCanSee(m, opts.engine) ? 'not-run' : 'needs-sim',
    found: [], attempts: [],
  })));
  matrix.rows = rows;
  matrix.detectable = rows.filter((r) => r.status !== 'needs-sim').length;
  const save = () => {
    if (!folder) return;
    writeJsonAtomic(join(folder.dir, 'kill-matrix.json'), matrix);
    writeFileAtomic(join(folder.dir, 'kill-matrix.md'), formatKillMatrixMarkdown(matrix));
  };
  const log = (line: string) => { out(line); folder?.log(line); };
  log(`rcutorture ${VERSION}: kill matrix, ${rows.length} mutants, engine ${opts.engine}, budget ${budgetText(matrix)}, seeds ${opts.seeds.join(' ')}`);
  if (folder) log(`  results: ${folder.dir}`);
  save();

  for (const row of rows) {
    if (row.status === 'needs-sim') {
      log(`${row.mutant}: needs the sim engine (a weak-memory bug), not run`);
      continue;
    }
    for (const seed of opts.seeds) {
      if (opts.signal?.aborted) break;
      const cfg = await resolveRunConfig({
        variant: row.mutant, scenario: row.scenario, durationMs: opts.budgetMs, seed,
        stallTimeoutMs: opts.stallTimeoutMs, statIntervalMs: opts.budgetMs, engine: opts.engine,
        ...(opts.schedules !== undefined ? { sim: { schedules: opts.schedules } } : {}),
      });
      let detectMs: number | undefined;
      const summary = await runTorture(cfg, {
        resultsRoot: folder?.dir ?? null, signal: opts.signal, stopOnFailure: true,
        onFailure: (atMs) => { detectMs = atMs; },
      });
      if (summary.interrupted && summary.verdict !== 'FAILURE') break;
      const failures = reported(summary);
      const detected = Object.keys(failures).length > 0;
      const killed = row.expected.some((c) => (failures[c] ?? 0) > 0);
      // A failure found only by the end-of-run checks has no tick time: the run's length is when.
      if (detected && detectMs === undefined) detectMs = summary.durationMs;
      const schedules = (summary as Summary & { sim?: { schedules: number } }).sim?.schedules;
      row.attempts.push({
        seed, verdict: summary.verdict, failures, detected, killed, detectMs: detected ? Math.round(detectMs!) : undefined, schedules, resultsDir: summary.resultsDir,
      });
      const inSchedules = schedules === undefined ? '' : ` (${detected ? 'schedule' : 'schedules'} ${schedules})`;
      log(`${row.mutant} seed ${seed}: ${detected ? `${failureList(summary.failures)} after ${secs(detectMs)}` : `nothing found in ${secs(summary.durationMs)}`}${inSchedules}` +
        ` -> ${killed ? 'killed' : detected ? 'WRONG CLASS' : 'survived'}`);
    }
    row.found = [...new Set(row.attempts.flatMap((a) => Object.keys(a.failures) as FailureClass[]))];
    row.medianDetectMs = median(row.attempts.filter((a) => a.killed).map((a) => a.detectMs!));
    row.medianDetectSchedule = median(row.attempts.filter((a) => a.killed && a.schedules !== undefined).map((a) => a.schedules!));
    row.status = opts.signal?.aborted && row.attempts.length < opts.seeds.length ? 'not-run' : rowStatus(row.attempts, opts.seeds.length);
    save();
    if (opts.signal?.aborted) break;
  }

  matrix.killed = rows.filter((r) => r.status === 'killed').length;
  matrix.interrupted = opts.signal?.aborted === true;
  matrix.verdict = matrix.interrupted ? 'INTERRUPTED' : matrix.killed === matrix.detectable ? 'SUCCESS' : 'FAILURE';
  matrix.final = true;
  save();
  folder?.close();
  return matrix;
}
