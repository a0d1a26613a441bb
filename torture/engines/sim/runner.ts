/**
 * `--engine sim`: runs schedule after schedule of the same roles under the
 * deterministic scheduler until a budget is spent (--schedules, or
 * --duration of wall time) or a schedule fails. A failure is written out
 * (schedule.txt, trace.txt), replayed twice to prove it reproduces (a
 * differing trace is nondeterminism in the harness: a bug of ours), and
 * shrunk to a schedule with fewer decisions (shrunk-schedule.txt).
 *
 * Returns the same Summary as the threads engine, so every report works;
 * the sim's own facts are under `sim`.
 */
import type { FailureClass } from '../../checks/classes.js';
import { SIM_ENGINE_VERSION } from '../../../lib/platform/sim/scheduler.js';
import type { RunConfig } from '../../run/config.js';
import { VERSION } from '../../run/version.js';
import type { LineKind, RunOptions } from '../../run/options.js';
import { reproInfo } from '../../run/repro.js';
import { plural } from '../../report/plural.js';
import { failureExamples } from '../../report/examples.js';
import { formatReaderRecord } from '../../report/reader-record.js';
import { CHECKPOINT_MS, endLine, headerLines, stallLines } from '../../run/lifecycle.js';
import { openRunFolder, type RunFolder } from '../../report/results.js';
import { addSnapshots, emptySnapshot, formatStats, type Snapshot } from '../../report/statistics.js';
import { exitCodeFor, runIdentity, verdictLine, zeroFailures, fromSnapshot, type Summary, type Verdict } from '../../report/summary.js';
import type { StallReport } from '../../checks/watchdog.js';
import { closeSimEnv, createSimEnv, type SimEnv } from './sim-env.js';
import { runSchedule, type ScheduleOutcome, type ScheduleSpec } from './schedule.js';
import { replaySpec, scheduleSpec } from './schedule-params.js';
import { formatSchedule, type ScheduleRecord } from './schedule-file.js';
import { formatTrace, withScheduleId } from './trace-file.js';
import { DEFAULT_SHRINK, shrinkSchedule } from './shrink.js';
import { SIM_UNBOUNDED_MS } from './sim-config.js';

/** Wall time between progress lines. */
const PROGRESS_MS = 5000;

export interface SimFailureReport {
  schedule: number;
  cls: FailureClass;
  step: number;
  /** Wall time from the start of the run to the end of the failing schedule. */
  detectMs: number;
  scheduleFile?: string;
  traceFile?: string;
  decisions: number;
  /** The two automatic replays: 'identical' trace and failure, or 'differs' (harness nondeterminism). */
  replay: 'identical' | 'differs' | 'not-replayable';
  shrunk?: { decisions: number; step: number; runs: number; scheduleFile?: string };
}

export interface SimSummary {
  engineVersion: string;
  memoryModel: string;
  strategy: string;
  schedules: number;
  steps: number;
  stepsPerSecond: number;
  failure?: SimFailureReport;
}

export function scheduleRecord(cfg: RunConfig, spec: ScheduleSpec, log: [number, number][], failure?: ScheduleRecord['failure']): ScheduleRecord {
  return { engine: SIM_ENGINE_VERSION, version: VERSION, config: cfg, index: spec.index, seed: spec.seed, params: spec.params, failure, log };
}

export async function runSim(cfg: RunConfig, opts: RunOptions = {}): Promise<Summary & { sim: SimSummary }> {
  const sim = cfg.sim!;
  const out = opts.out ?? (() => {});
  const startedAt = new Date();
  const repro = await reproInfo(cfg);
  const env = await createSimEnv(cfg);
  const folder = openRunFolder(opts, cfg.variant, cfg.scenario, startedAt);
  const say = (line: string, kind: LineKind = 'header') => { out(line, kind); folder?.log(line); };
  const wallLimit = cfg.durationMs >= SIM_UNBOUNDED_MS ? 'no wall-time limit' : `at most ${cfg.durationMs / 1000}s of wall time`;

  const engine = {
    label: `sim (${SIM_ENGINE_VERSION})`, length: wallLimit, stallTimeout: `${cfg.stallTimeoutMs / 1000}s virtual`,
    extra: [`  sim: memory model ${sim.memoryModel}, strategy ${sim.strategy}${sim.strategy === 'pct' ? ` (depth up to ${sim.pctDepth})` : ''}, ` +
      `${sim.steps} steps per schedule, ${sim.schedules ?? 'unbounded'} schedules; preemption points are scheduling decisions, the scenario's point delays virtual sleeps`],
  };
  for (const l of headerLines(cfg, env.flavor, env.threads, env.backgroundNames, engine, folder?.dir)) say(l);

  const t0 = performance.now();
  const wall = () => performance.now() - t0;
  let total: Snapshot | null = null;
  let schedules = 0;
  let steps = 0;
  let nextProgress = PROGRESS_MS;
  let failing: { spec: ScheduleSpec; outcome: ScheduleOutcome; detectMs: number } | undefined;
  let interruptedBy: string | undefined;
  const stalls: StallReport[] = [];
  // Preemption-point hits of every schedule run, not only the failing one.
  const pointHits: Record<string, number> = {};
  const simSummary = (failure?: SimFailureReport): SimSummary => ({
    engineVersion: SIM_ENGINE_VERSION, memoryModel: sim.memoryModel, strategy: sim.strategy,
    schedules, steps, stepsPerSecond: Math.round(steps / Math.max(0.001, wall() / 1000)), failure,
  });
  const summaryOf = (verdict: Verdict, failures: Record<FailureClass, number>): Summary & { sim: SimSummary } => ({
    ...runIdentity(cfg, env.flavor.name, startedAt, repro, env.backgroundNames), verdict, final: verdict !== 'RUNNING', durationMs: Math.round(wall()),
    failures, ...fromSnapshot(total ?? emptySnapshot()), stalls, examples: [], pointHits,
    // Latencies in virtual time say nothing about an implementation's speed: left out.
    latency: {}, histograms: {},
    interrupted: false, exitCode: verdict === 'RUNNING' ? null : exitCodeFor(verdict), resultsDir: folder?.dir, sim: simSummary(),
  });
  // A summary from the first moment, rewritten after schedules at least every CHECKPOINT_MS, as the
  // threads engine's: a kill -9 leaves one saying RUNNING with the clean schedules counted so far.
  let nextCheckpoint = CHECKPOINT_MS;
  const checkpoint = () => { folder?.writeSummary(summaryOf('RUNNING', zeroFailures())); nextCheckpoint = wall() + CHECKPOINT_MS; };
  checkpoint();

  try {
    for (let i = 0; sim.schedules === undefined || i < sim.schedules; i++) {
      if (opts.signal?.aborted) { interruptedBy = String(opts.signal.reason ?? 'SIGINT'); break; }
      if (wall() >= cfg.durationMs) break;
      const spec = scheduleSpec(cfg, i, env.threads.total);
      const outcome = await runSchedule(env, spec, opts.signal);
      schedules++;
      steps += outcome.steps;
      total = total ? addSnapshots(total, outcome.snapshot) : outcome.snapshot;
      for (const r of outcome.results) for (const [k, n] of Object.entries(r.pointHits)) pointHits[k] = (pointHits[k] ?? 0) + n;
      if (outcome.interrupted) { interruptedBy = String(opts.signal?.reason ?? 'SIGINT'); break; }
      if (wall() >= nextCheckpoint && !outcome.failure) checkpoint();
      if (outcome.failure) {
        failing = { spec, outcome, detectMs: wall() };
        opts.onFailure?.(failing.detectMs);
        break;
      }
      if (wall() >= nextProgress) {
        nextProgress += PROGRESS_MS;
        say(`rcutorture: ${env.flavor.name} ${cfg.scenario} sim: ${schedules} schedules clean, ${steps} steps, ${Math.round(steps / (wall() / 1000))} steps/s`, 'stats');
      }
    }

    let failure: SimFailureReport | undefined;
    if (failing) failure = await reportFailure(env, cfg, failing, folder, say, stalls);
    const snap = total ?? emptySnapshot();
    const failures = { ...zeroFailures(), ...(failing?.outcome.failures ?? {}) };
    const verdict: Verdict = failing ? 'FAILURE' : interruptedBy ? 'INTERRUPTED' : 'SUCCESS';
    const summary: Summary & { sim: SimSummary } = {
      ...summaryOf(verdict, failures),
      examples: failing?.outcome.examples ?? [], firstFailingReader: failing?.outcome.firstFailingReader,
      interrupted: interruptedBy !== undefined, signal: interruptedBy, exitCode: exitCodeFor(verdict, interruptedBy), sim: simSummary(failure),
    };
    if (interruptedBy) say(`rcutorture: interrupted by ${interruptedBy}`, 'detail');
    // The writer has finished every schedule by now: no element is published (rtc 0, as Linux after its writer stops).
    const endStats = formatStats(`rcutorture: ${env.flavor.name} ${cfg.scenario} end (${plural(schedules, 'schedule')})`, snap, null, snap.atMs,
      env.flavor.counterSpecs, { failures, clock: 'virtual' });
    for (const l of endStats) say(l, 'stats');
    say(`  sim: ${plural(schedules, 'schedule')}, ${steps} steps, ${summary.sim.stepsPerSecond} steps/s`, 'detail');
    for (const l of failureExamples(summary.examples, failures, stalls.length)) say(l, 'detail');
    if (summary.firstFailingReader) for (const l of formatReaderRecord(summary.firstFailingReader)) say(l, 'detail');
    say(endLine(cfg, env.flavor, verdict, interruptedBy), 'verdict');
    say(verdictLine(summary), 'verdict');
    folder?.writeSummary(summary);
    return summary;
  } finally {
    folder?.close();
    await closeSimEnv(env);
  }
}

/** <prefix>schedule.txt and <prefix>trace.txt, both stamped with the schedule's id (replay checks they belong together). */
function writeScheduleAndTrace(folder: RunFolder, prefix: string, schedule: string, trace: readonly string[]): void {
  const { text, id } = withScheduleId(schedule);
  folder.writeFile(`${prefix}schedule.txt`, text);
  folder.writeFile(`${prefix}trace.txt`, formatTrace(id, trace));
}

/** Writes the failing schedule and its trace, replays it twice, shrinks it. */
async function reportFailure(
  env: SimEnv, cfg: RunConfig, failing: { spec: ScheduleSpec; outcome: ScheduleOutcome; detectMs: number },
  folder: RunFolder | null, say: (l: string, k?: LineKind) => void, stalls: StallReport[],
): Promise<SimFailureReport> {
  const { spec, outcome } = failing;
  const cls = outcome.failure!;
  stalls.push(...outcome.stalls);
  for (const s of outcome.stalls) for (const l of stallLines(env.flavor, s)) say(l, 'stall');
  say(`!!! schedule ${spec.index} failed: ${cls} at step ${outcome.failStep} (${outcome.log.length} decisions, found after ${(failing.detectMs / 1000).toFixed(1)}s)`, 'stall');
  const report: SimFailureReport = {
    schedule: spec.index, cls, step: outcome.failStep, detectMs: Math.round(failing.detectMs), decisions: outcome.log.length,
    replay: outcome.logOverflow ? 'not-replayable' : 'identical',
  };
  if (folder) {
    writeScheduleAndTrace(folder, '', formatSchedule(scheduleRecord(cfg, spec, outcome.log, { cls, step: outcome.failStep })), outcome.trace);
    report.scheduleFile = `${folder.dir}/schedule.txt`;
    report.traceFile = `${folder.dir}/trace.txt`;
  }
  if (outcome.hung) {
    say('  a thread spun without Platform calls: this schedule is not replayed', 'detail');
    return { ...report, replay: 'not-replayable' };
  }
  if (outcome.logOverflow) {
    say('  the decision log overflowed: this schedule cannot be replayed', 'detail');
    return report;
  }
  // Two replays must show the very same failure and trace.
  for (let k = 1; k <= 2; k++) {
    const again = await runSchedule(env, replaySpec(spec, outcome.log));
    const same = again.failure === cls && again.failStep === outcome.failStep && again.trace.join('\n') === outcome.trace.join('\n');
    if (!same) {
      report.replay = 'differs';
      say(`!!! harness nondeterminism: replay ${k} of schedule ${spec.index} gave ${again.failure ?? 'no failure'} at step ${again.failStep}, not ${cls} at step ${outcome.failStep}` +
        `${again.failure === cls ? ' (or a different trace)' : ''}`, 'stall');
      folder?.writeFile(`replay-${k}-trace.txt`, again.trace.join('\n') + '\n');
      return report;
    }
  }
  say(`  replayed twice: identical failure and trace${report.scheduleFile ? ` (${report.scheduleFile})` : ''}`, 'detail');
  if (cfg.sim!.shrinkRuns <= 0) return report;
  const shrunk = await shrinkSchedule(env, spec, outcome, cls, { ...DEFAULT_SHRINK, maxRuns: cfg.sim!.shrinkRuns });
  if (shrunk.log.length < outcome.log.length || shrunk.outcome.failStep < outcome.failStep) {
    report.shrunk = { decisions: shrunk.log.length, step: shrunk.outcome.failStep, runs: shrunk.runs };
    if (folder) {
      writeScheduleAndTrace(folder, 'shrunk-', formatSchedule(scheduleRecord(cfg, spec, shrunk.log, { cls, step: shrunk.outcome.failStep })), shrunk.outcome.trace);
      report.shrunk.scheduleFile = `${folder.dir}/shrunk-schedule.txt`;
    }
    say(`  shrunk in ${shrunk.runs} replays to ${shrunk.log.length} decisions, failing at step ${shrunk.outcome.failStep}`, 'detail');
  } else {
    say(`  shrinking (${shrunk.runs} replays) found nothing shorter`, 'detail');
  }
  return report;
}
