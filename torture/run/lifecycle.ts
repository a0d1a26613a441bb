/**
 * The run lifecycle both engines share. A run is: plan (run/plan.ts), heap
 * (the harness regions and the flavor's), roles, monitors every tick, the
 * run phase, the liveness phase, end checks, and the summary. The engines
 * differ only in how roles are started and how time passes: real threads
 * and wall time (engines/threads/), or simulated threads under the
 * deterministic scheduler and virtual time (engines/sim/). Everything an
 * engine must not write for itself lives here, so a header line, a monitor
 * or an end check is written once and holds on both:
 *
 *   headerLines    the header, identical in form on both engines
 *   RunMonitors    the checks the main thread runs every tick
 *   Tally          failures and examples from every source, then the end checks
 *   stallLines / endLine / writerState   our lines and Linux's beside them
 */
import type { RcuFlavor, RcuInstance } from '../../lib/rcu/flavor.js';
import type { RunConfig, ThreadPlan } from './config.js';
import { VERSION } from './version.js';
import { plural } from '../report/plural.js';
import { describeFaults } from '../faults/describe.js';
import type { FailureClass } from '../checks/classes.js';
import { Watchdog, formatStall, type StallReport } from '../checks/watchdog.js';
import { BacklogMonitor } from '../checks/backlog.js';
import { ForwardProgressMonitor } from '../checks/forward-progress.js';
import { GpSeqMonitor } from '../checks/gp-seq.js';
import { checkEnd, type Example } from '../checks/end-of-run.js';
import { zeroFailures } from '../report/summary.js';
import { earliestRecord, type ReaderRecord } from '../report/reader-record.js';
import type { Snapshot } from '../report/statistics.js';
import { linuxEndLine, linuxStallLine, linuxStartLine, type ParamsLine, type WriterState } from '../report/linux-lines.js';
import { H, type SharedRun } from './heap-layout.js';
import type { StallClock } from './stall-clock.js';

/** summary.json is rewritten at least this often while a run goes on (threads: also at every statistics interval; sim: after schedules). */
export const CHECKPOINT_MS = 1000;

export type { Example };

/** How the engine names itself and its clock in the header. */
export interface EngineHeader {
  /** "threads", "sim (sim-2)". */
  label: string;
  /** The run's length: "duration 12s", "at most 5s of wall time". */
  length: string;
  /** The stall timeout in the engine's clock: "10s", "10s virtual". */
  stallTimeout: string;
  /** Lines of the engine's own settings, after the threads line. */
  extra: string[];
}

export function headerLines(
  cfg: RunConfig, flavor: RcuFlavor, threads: ThreadPlan, backgroundNames: string[], engine: EngineHeader, resultsDir?: string,
): string[] {
  return [
    `rcutorture ${VERSION}: variant ${flavor.name} (${flavor.kind}), scenario ${cfg.scenario}, engine ${engine.label}, seed ${cfg.seed}`,
    `  threads: ${plural(cfg.readers, 'reader')}, 1 writer, ${plural(cfg.fakewriters, 'fakewriter')}, ${threads.background.length} background (${backgroundNames.join(', ') || 'none'}); ` +
      `${engine.length}, stall timeout ${engine.stallTimeout}, counter ${cfg.counterMode}/${cfg.counterBits} bits`,
    ...engine.extra,
    ...describeFaults(cfg),
    ...(resultsDir ? [`  results: ${resultsDir}`] : []),
    linuxStartLine(linuxParams(cfg, flavor)),
  ];
}

function linuxParams(cfg: RunConfig, flavor: RcuFlavor): ParamsLine {
  return { ...cfg, variant: flavor.name };
}

/** Our stall report, then the RCU CPU stall warning Linux's scripts count. */
export function stallLines(flavor: RcuFlavor, s: StallReport): string[] {
  const linux = linuxStallLine(flavor.name, s);
  return [...formatStall(s), ...(linux ? [linux] : [])];
}

/** `--- End of test: SUCCESS/FAILURE`, printed right before our verdict line on both engines. */
export function endLine(cfg: RunConfig, flavor: RcuFlavor, verdict: string, signal?: string): string {
  return linuxEndLine(verdict, linuxParams(cfg, flavor), signal);
}

/**
 * What Linux's `ver:` line shows of the writer: the published element only
 * while the writer runs (0 before its first version and after it stopped,
 * which parse-console.sh's check that versions advance skips).
 */
export function writerState(shared: SharedRun, writerRunning: boolean): WriterState {
  return {
    current: writerRunning ? Atomics.load(shared.i32, shared.cell(H.CURRENT)) : 0,
    freeListEmpty: Atomics.load(shared.i32, shared.cell(H.FREE_COUNT)) === 0,
  };
}

/** A failure a monitor reports that is not a stall (the stall report carries its own text). */
export interface Finding { cls: FailureClass; atMs: number; message: string }

/**
 * The checks the main thread makes every tick, on either engine: the stall
 * watchdog, the callback backlog and gpSeq monotonicity. (The heartbeat
 * needs to know which tasks have settled, which only the threads engine
 * can tell; under sim a hung thread is the scheduler's business.)
 */
export class RunMonitors {
  readonly watchdog: Watchdog;
  readonly backlog: BacklogMonitor;
  private readonly gpSeq: GpSeqMonitor;
  private readonly fwd: ForwardProgressMonitor;

  constructor(
    shared: SharedRun, cfg: RunConfig, threads: ThreadPlan, roleOf: (slot: number) => string, rcu: RcuInstance,
    opts: {
      /** Whether the backlog check may read the process's RSS (never under sim: it would make a schedule depend on the machine). */
      memoryCap: boolean;
      /** What stall timeouts are judged on (run/stall-clock.ts): virtual time under sim, time the run's threads could run on threads. */
      clock: StallClock;
    },
  ) {
    this.clock = opts.clock;
    this.watchdog = new Watchdog(shared, threads, cfg.stallTimeoutMs, roleOf, opts.clock);
    this.backlog = new BacklogMonitor(shared, cfg, this.watchdog, opts.memoryCap, rcu);
    this.gpSeq = new GpSeqMonitor(rcu);
    this.fwd = new ForwardProgressMonitor(shared, cfg, rcu, opts.clock);
  }

  readonly clock: StallClock;

  /** The liveness phase ran out with nothing reported: what is stuck (the watchdog's oldest), if anything is. */
  endStall(nowMs: number): StallReport | undefined {
    return this.watchdog.endStall(nowMs);
  }

  tick(nowMs: number): { stalls: StallReport[]; findings: Finding[] } {
    this.clock.tick(nowMs);
    return { stalls: [...this.watchdog.check(nowMs), ...this.backlog.check(nowMs)], findings: [...this.gpSeq.check(nowMs), ...this.fwd.check(nowMs)] };
  }
}

/**
 * Failures of one run (or one schedule), gathered from every source in the
 * same way on both engines: the roles' counters, stall reports, monitor
 * findings, crashes, an end that did not come, and the end-of-run checks.
 */
export class Tally {
  readonly failures: Record<FailureClass, number>;
  readonly examples: Example[] = [];

  constructor(snap: Snapshot) {
    this.failures = { ...zeroFailures(), ...snap.failures };
  }

  add(cls: FailureClass, n = 1): void { this.failures[cls] += n; }

  /** The run's first failing reader section (the earliest of the roles' first ones). */
  firstFailingReader: ReaderRecord | undefined;

  roleExamples(results: { slot: number; examples: { cls: FailureClass; message: string }[]; firstFailingReader?: ReaderRecord }[]): void {
    for (const r of results) for (const e of r.examples) this.examples.push({ ...e, thread: r.slot });
    this.firstFailingReader = earliestRecord(results.map((r) => r.firstFailingReader));
  }

  stalls(stalls: StallReport[], withExamples: boolean): void {
    for (const s of stalls) {
      this.add(s.kind);
      if (withExamples) this.examples.push({ cls: s.kind, thread: s.waiter?.thread ?? -1, message: formatStall(s).join('\n') });
    }
  }

  findings(findings: Finding[]): void {
    for (const f of findings) {
      this.add(f.cls);
      this.examples.push({ cls: f.cls, thread: -1, message: f.message });
    }
  }

  crash(thread: number, message: string): void {
    this.add('worker-crash');
    this.examples.push({ cls: 'worker-crash', thread, message });
  }

  /** The end did not come and nothing else explains why: the wait itself is the failure. */
  endNotReached(cls: FailureClass, message: string, counted: boolean): void {
    if (counted) this.add(cls);
    this.examples.push({ cls, thread: -1, message });
  }

  /** Only after an orderly end: every callback has run and every element is home. */
  endOfRun(shared: SharedRun, cfg: RunConfig): void {
    checkEnd(shared, cfg, (c, n) => this.add(c, n), this.examples);
  }

  any(): boolean { return Object.values(this.failures).some((n) => n > 0); }
}
