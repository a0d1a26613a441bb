/** The machine-readable record of a run: summary.json and --json. */
import { FAILURE_CLASSES, type FailureClass } from '../checks/classes.js';
import type { RunConfig } from '../run/config.js';
import type { Counters, Snapshot } from './statistics.js';
import type { StallReport } from '../checks/watchdog.js';
import type { LatencyStats } from './latency.js';
import type { MemoryUsage } from './memory.js';
import type { TimelineSummary } from './timeline.js';
import type { GitInfo, ReproInfo } from '../run/repro.js';
import { VERSION } from '../run/version.js';
import type { Machine } from '../compare/machine.js';
import type { ReaderRecord } from './reader-record.js';

/** RUNNING: written while the run goes on; what a kill -9 leaves (the counts so far, no verdict yet). */
export type Verdict = 'SUCCESS' | 'FAILURE' | 'INTERRUPTED' | 'ERROR' | 'RUNNING';

export interface Summary {
  tool: 'rcutorture';
  version: string;
  verdict: Verdict;
  /** false while the run is still going (periodic snapshots). */
  final: boolean;
  variant: string;
  scenario: string;
  engine: string;
  seed: number;
  startedAt: string;
  durationMs: number;
  config: RunConfig;
  /** How to reproduce it (run/repro.ts); absent in summaries of older versions. */
  command?: string[];
  cwd?: string;
  git?: GitInfo | null;
  node?: string;
  machine?: Machine;
  implHash?: string;
  threads: { readers: number; writers: number; fakewriters: number; background: string[] };
  failures: Record<FailureClass, number>;
  counters: Counters;
  readerPipe: number[];
  readerBatch: number[];
  freeBlockCirculation: number[];
  stalls: StallReport[];
  /** A few concrete reports per failure class. */
  examples: { cls: FailureClass; thread: number; message: string }[];
  /** The first use-after-reclaim or short grace period's reader section, as Linux's rtrsp dump (report/reader-record.ts). */
  firstFailingReader?: ReaderRecord;
  pointHits: Record<string, number>;
  /** Fault coverage: how often each injected fault fired, and kicks seen by busy readers. */
  faults?: Record<string, number>;
  /** Latency percentiles (ms) per operation: synchronize, drain, barrier, call_rcu, callback (queue to invocation). */
  latency: Record<string, LatencyStats>;
  /** The same recordings as compressed HdrHistograms, for compare and report. */
  histograms: Record<string, string>;
  /** Counters sampled over the run, for throughput over time (torture/timeline.ts). */
  timeline?: TimelineSummary['timeline'];
  /** The largest callback backlog seen at any tick. */
  maxCallbacksPending?: number;
  /** Counters when the run phase ended, before the liveness phase: what rates divide. */
  runPhase?: TimelineSummary['runPhase'];
  /** Process memory over the run (torture/memory.ts): flat in a healthy soak. */
  memory?: MemoryUsage;
  /**
   * Threads engine: the share of the run's time its stall clock counted
   * (run/stall-clock.ts): 1 when the run's threads got all the CPU they asked
   * for, less when other load on the machine kept them waiting.
   */
  stallClockShare?: number;
  /** Threads engine: the stall-clock ms the run counted in all (below the stall timeout, no stall check could have fired). */
  stallClockMs?: number;
  interrupted: boolean;
  signal?: string;
  error?: string;
  /** null while RUNNING: the process has not chosen one yet (after a kill, its status is the killer's to tell). */
  exitCode: number | null;
  resultsDir?: string;
}

export function zeroFailures(): Record<FailureClass, number> {
  return Object.fromEntries(FAILURE_CLASSES.map((c) => [c, 0])) as Record<FailureClass, number>;
}

export function failureList(f: Record<string, number>): string {
  return Object.entries(f).filter(([, n]) => n > 0).map(([k, n]) => `${k}=${n}`).join(' ');
}

export function verdictLine(s: Pick<Summary, 'variant' | 'scenario' | 'verdict' | 'failures' | 'error'>): string {
  const head = `rcutorture: ${s.variant} ${s.scenario} ${s.verdict}`;
  if (s.verdict === 'FAILURE') return `${head}: ${failureList(s.failures)}`;
  if (s.verdict === 'ERROR' && s.error) return `${head}: ${s.error}`;
  return head;
}

export const EXIT = { success: 0, failure: 1, usage: 2, internal: 3, sighup: 129, sigint: 130, sigterm: 143 } as const;

export function exitCodeFor(verdict: Exclude<Verdict, 'RUNNING'>, signal?: string): number {
  switch (verdict) {
    case 'SUCCESS': return EXIT.success;
    case 'FAILURE': return EXIT.failure;
    case 'INTERRUPTED': return signal === 'SIGTERM' ? EXIT.sigterm : signal === 'SIGHUP' ? EXIT.sighup : EXIT.sigint;
    default: return EXIT.internal;
  }
}

export function fromSnapshot(snap: Snapshot): Pick<Summary, 'counters' | 'readerPipe' | 'readerBatch' | 'freeBlockCirculation' | 'faults'> {
  return { counters: snap.counters, readerPipe: snap.readerPipe, readerBatch: snap.readerBatch, freeBlockCirculation: snap.freeBlockCirculation, faults: snap.faults };
}

/**
 * What a report about one finished run needs (JUnit, soak.json, merge): the
 * summary without its bulky parts (histograms, timeline, per-point counts).
 */
export type CaseResult = Pick<Summary, 'variant' | 'scenario' | 'seed' | 'verdict' | 'durationMs' | 'failures' | 'stalls' |
  'examples' | 'interrupted' | 'exitCode'> & Partial<Pick<Summary, 'signal' | 'error' | 'resultsDir' | 'memory' | 'counters' | 'stallClockShare' | 'stallClockMs'>> & {
  /** The run's stall timeout (ms): what stallClockMs is measured against. */
  stallTimeoutMs?: number;
};

export function caseResult(s: Summary): CaseResult {
  return {
    variant: s.variant, scenario: s.scenario, seed: s.seed, verdict: s.verdict, durationMs: s.durationMs,
    failures: s.failures, stalls: s.stalls, examples: s.examples, interrupted: s.interrupted, exitCode: s.exitCode,
    signal: s.signal, error: s.error, resultsDir: s.resultsDir, memory: s.memory, counters: s.counters,
    stallClockShare: s.stallClockShare, stallClockMs: s.stallClockMs, stallTimeoutMs: s.config?.stallTimeoutMs,
  };
}

/**
 * Which run a summary is of: the same on both engines and in every summary
 * of one run, from the first RUNNING checkpoint to the final one.
 */
export function runIdentity(cfg: RunConfig, variant: string, startedAt: Date, repro: ReproInfo, background: string[]):
  Pick<Summary, 'tool' | 'version' | 'variant' | 'scenario' | 'engine' | 'seed' | 'startedAt' | 'config' | 'threads'> & ReproInfo {
  return {
    tool: 'rcutorture', version: VERSION, ...repro, variant, scenario: cfg.scenario, engine: cfg.engine, seed: cfg.seed,
    startedAt: startedAt.toISOString(), config: cfg,
    threads: { readers: cfg.readers, writers: 1, fakewriters: cfg.fakewriters, background },
  };
}
