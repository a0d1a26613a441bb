/**
 * Counters of a run as the main thread reads them off shared memory, and
 * the periodic statistics block in rcutorture's shape.
 */
import type { CounterSpec, RcuInstance } from '../../lib/rcu/flavor.js';
import { FAILURE_CLASSES, type FailureClass } from '../checks/classes.js';
import { PIPE_LEN, ST, type SharedRun } from '../run/heap-layout.js';
import { faultCounts, formatFaultCounts } from '../faults/coverage.js';
import { floodStats } from '../faults/forward-progress.js';
import { linuxStatsLines, type WriterState } from './linux-lines.js';

export interface Counters {
  reads: number;
  /** Reader-thread seconds spent in the read loop: reads / readerSeconds is the per-thread rate. */
  readerSeconds: number;
  gracePeriods: number;
  callbacksQueued: number;
  callbacksInvoked: number;
  callbacksPending: number;
  writerVersions: number;
  allocFailures: number;
  synchronizes: number;
  drains: number;
  barriers: number;
  forces: number;
  [flavorCounter: string]: number;
}

export interface Snapshot {
  atMs: number;
  counters: Counters;
  failures: Record<FailureClass, number>;
  readerPipe: number[];
  readerBatch: number[];
  freeBlockCirculation: number[];
  /** Fault coverage: how often each injected fault fired (torture/faults/coverage.ts). */
  faults?: Record<string, number>;
}

function histogram(shared: SharedRun, base: number): number[] {
  return Array.from({ length: PIPE_LEN + 1 }, (_, i) => shared.total(base + i));
}

export function takeSnapshot(shared: SharedRun, rcu: RcuInstance, atMs: number): Snapshot {
  const t = (s: number) => shared.total(s);
  const queued = t(ST.CB_QUEUED);
  const invoked = t(ST.CB_INVOKED);
  const failures = Object.fromEntries(FAILURE_CLASSES.map((c, i) => [c, t(ST.ERR_BASE + i)])) as Record<FailureClass, number>;
  return {
    atMs,
    counters: {
      reads: t(ST.READS),
      readerSeconds: t(ST.READ_MS) / 1000,
      gracePeriods: rcu.gpSeq ? Math.floor(rcu.gpSeq() / 2) : t(ST.SYNCS),
      callbacksQueued: queued,
      callbacksInvoked: invoked,
      callbacksPending: queued - invoked,
      writerVersions: t(ST.VERSIONS),
      allocFailures: t(ST.ALLOC_FAIL),
      synchronizes: t(ST.SYNCS),
      drains: t(ST.DRAINS),
      barriers: t(ST.BARRIERS),
      forces: t(ST.FORCES),
      ...(rcu.counters?.() ?? {}),
    },
    failures,
    readerPipe: histogram(shared, ST.PIPE),
    readerBatch: histogram(shared, ST.BATCH),
    freeBlockCirculation: histogram(shared, ST.WCOUNT),
    faults: { ...faultCounts(shared), ...floodStats(shared, rcu, invoked) },
  };
}

/** Counters of two runs (schedules) added up, fault coverage included. */
export function addSnapshots(a: Snapshot, b: Snapshot): Snapshot {
  const sum = (x: number[], y: number[]) => x.map((v, i) => v + (y[i] ?? 0));
  const counters = { ...a.counters };
  for (const [k, v] of Object.entries(b.counters)) counters[k] = (counters[k] ?? 0) + v;
  const failures = { ...a.failures };
  for (const [k, v] of Object.entries(b.failures)) failures[k as FailureClass] += v;
  const faults = a.faults || b.faults ? { ...(a.faults ?? {}) } : undefined;
  for (const [k, v] of Object.entries(b.faults ?? {})) faults![k] = (faults![k] ?? 0) + v;
  return {
    atMs: a.atMs + b.atMs, counters, failures,
    readerPipe: sum(a.readerPipe, b.readerPipe), readerBatch: sum(a.readerBatch, b.readerBatch),
    freeBlockCirculation: sum(a.freeBlockCirculation, b.freeBlockCirculation),
    ...(faults ? { faults } : {}),
  };
}

/** Only when no schedule ran at all: every counter reads as zero. */
export function emptySnapshot(): Snapshot {
  const zeros = () => new Array<number>(PIPE_LEN + 1).fill(0);
  return {
    atMs: 0, failures: Object.fromEntries(FAILURE_CLASSES.map((c) => [c, 0])) as Record<FailureClass, number>,
    readerPipe: zeros(), readerBatch: zeros(), freeBlockCirculation: zeros(),
    counters: new Proxy({}, { get: () => 0 }) as Snapshot['counters'],
  };
}

export function errorTotal(f: Record<string, number>): number {
  return Object.values(f).reduce((a, b) => a + b, 0);
}

const si = (n: number): string =>
  n >= 1e9 ? `${(n / 1e9).toFixed(2)}G` : n >= 1e6 ? `${(n / 1e6).toFixed(2)}M` : n >= 1e4 ? `${(n / 1e3).toFixed(1)}k` : `${Math.round(n)}`;
const secs = (ms: number): string => `${(ms / 1000).toFixed(1)}s`;

/**
 * The flavor's counter line: the counters it declares (RcuFlavor.counterSpecs)
 * under their labels and in their order, then any it reports undeclared
 * under their raw keys; raw keys only when it declares none.
 */
function flavorCounterLine(c: Counters, specs: readonly CounterSpec[] | undefined): string[] {
  const reported = Object.keys(c).filter((k) => !(k in BASE_KEYS));
  const declared = (specs ?? []).filter((s) => reported.includes(s.key));
  const rest = reported.filter((k) => !declared.some((s) => s.key === k));
  return [...declared.map((s) => `${s.label} ${si(c[s.key])}`), ...rest.map((k) => `${k} ${si(c[k])}`)];
}

export interface StatsOptions {
  /**
   * The clock the times are on. 'virtual': the sim engine's virtual time
   * (summed over its schedules), which has no total to run against and must
   * not be read as wall time.
   */
  clock?: 'wall' | 'virtual';
  /**
   * The time shown against the total, when it is not the snapshot's: the
   * threads engine shows torture time (what --duration counts), not time
   * since the run began, with `phase` after it outside the torture phase.
   */
  elapsedMs?: number;
  phase?: string;
  /** The writer's element and the free list, for the Linux-shaped `ver:` line (none: nothing published). */
  writer?: WriterState;
  /**
   * Every failure counted so far when that is more than the snapshot's
   * (stalls, crashes, monitor findings, end checks): the errors line must
   * never say none right before a FAILURE verdict.
   */
  failures?: Record<string, number>;
}

const NO_WRITER: WriterState = { current: 0, freeListEmpty: false };

/**
 * The statistics block printed every --stat-interval: our lines, then the
 * `ver:` line and Reader Pipe / Reader Batch / Free-Block Circulation in
 * Linux's shape (report/linux-lines.ts), so Linux's scripts can read them.
 */
export function formatStats(
  label: string, now: Snapshot, prev: Snapshot | null, totalMs: number, counterSpecs?: readonly CounterSpec[],
  opts: StatsOptions = {},
): string[] {
  const failures = opts.failures ?? now.failures;
  const c = now.counters;
  const dt = Math.max(1, now.atMs - (prev?.atMs ?? 0)) / 1000;
  const rate = (k: keyof Counters) => si((c[k] - (prev?.counters[k] ?? 0)) / dt);
  const errs = Object.entries(failures).filter(([, n]) => n > 0).map(([k, n]) => `${k}=${n}`);
  const flavorLine = flavorCounterLine(c, counterSpecs);
  return [
    opts.clock === 'virtual' ? `${label} ${secs(now.atMs)} of virtual time`
      : `${label} ${secs(opts.elapsedMs ?? now.atMs)}/${secs(totalMs)}${opts.phase ? ` (${opts.phase})` : ''}`,
    `  reads ${si(c.reads)} (${rate('reads')}/s)  grace periods ${si(c.gracePeriods)} (${rate('gracePeriods')}/s)  versions ${si(c.writerVersions)}  alloc failures ${si(c.allocFailures)}`,
    `  callbacks queued ${si(c.callbacksQueued)} invoked ${si(c.callbacksInvoked)} pending ${si(c.callbacksPending)}  synchronize ${si(c.synchronizes)} drain ${si(c.drains)} barrier ${si(c.barriers)} force ${si(c.forces)}`,
    ...(flavorLine.length ? [`  ${flavorLine.join('  ')}`] : []),
    ...(now.faults && formatFaultCounts(now.faults) ? [formatFaultCounts(now.faults)!] : []),
    `  errors: ${errs.length ? errs.join(' ') : 'none'}`,
    ...linuxStatsLines(now, prev, opts.writer ?? NO_WRITER, failures),
  ];
}

/** The harness's own counters; every other key of a snapshot's counters is a flavor's. */
export const BASE_KEYS: Record<string, true> = {
  reads: true, readerSeconds: true, gracePeriods: true, callbacksQueued: true, callbacksInvoked: true, callbacksPending: true,
  writerVersions: true, allocFailures: true, synchronizes: true, drains: true, barriers: true, forces: true,
};
