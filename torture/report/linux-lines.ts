/**
 * Lines in the shape Linux's rcutorture prints (kernel/rcu/rcutorture.c,
 * rcu_torture_stats_print and rcu_torture_print_module_parms), so that the
 * scripts people already run on kvm.sh console logs (parse-console.sh,
 * console-badness.sh, kvm-recheck-rcu.sh, kvm-find-errors.sh) can judge our
 * log.txt. Written from the documented output shape, not from that code.
 * The other helpers here take what the run knows (variant, config) and
 * nothing engine-specific, so both engines print the same lines.
 *
 * Every field is one of our counters; docs/linux-scripts.md says which.
 * Fields for machinery we do not have (priority boosting, timer readers,
 * the memory-barrier checkpoint test, CPU hotplug, nocb toggling) are 0, as
 * Linux prints them when that test is off.
 */
import type { FailureClass } from '../checks/classes.js';
import { PIPE_LEN } from '../run/heap-layout.js';
import type { Snapshot } from './statistics.js';
import type { StallReport } from '../checks/watchdog.js';
import { ms } from './ms.js';

/** torture_type + TORTURE_FLAG: what every Linux line starts with. */
export const LINUX_PREFIX = 'rcu-torture:';

/** What the statistics line needs beyond the counters: read off shared memory by the engine. */
export interface WriterState {
  /**
   * rcu_torture_current: the published element, or 0 when there is none,
   * before the writer's first version and after the writer has finished
   * (Linux clears it then, and parse-console.sh skips such lines in its
   * check that versions advance).
   */
  current: number;
  /** The element free list is empty (tfle). */
  freeListEmpty: boolean;
}

const hex16 = (n: number): string => (n >>> 0).toString(16).padStart(16, '0');
const n0 = (n: number | undefined): number => Math.round(n ?? 0);

/**
 * Classes Linux's statistics flag with `!!!` on the Reader Pipe line: a
 * too-short grace period (seen by a reader, or here also by a callback), a
 * reader-side check failure (rtmbe) or a barrier that returned early (rtbe).
 */
const PIPE_ALARM: FailureClass[] = ['use-after-reclaim', 'premature-callback', 'drain-violation'];

/** The four-line statistics block: the `ver:` line and the three histograms (prev: the block before, null for the first or the end). */
export function linuxStatsLines(
  snap: Snapshot, prev: Snapshot | null, writer: WriterState, failures: Record<string, number> = snap.failures,
): string[] {
  const c = snap.counters;
  const f = (k: FailureClass) => n0(failures[k]);
  const frees = n0(snap.freeBlockCirculation[PIPE_LEN - 1]) + n0(snap.freeBlockCirculation[PIPE_LEN]);
  const barriers = n0(c.barriers) + n0(c.drains);
  const tooShort = snap.readerPipe.slice(2).some((n) => n > 0);
  const alarm = tooShort || PIPE_ALARM.some((k) => f(k) > 0);
  // Linux prints VER (capitals) when the version has not moved since the
  // last block: a writer that is stuck, or has not published yet.
  const stuck = prev ? n0(prev.counters.writerVersions) === n0(c.writerVersions) : n0(c.writerVersions) === 0;
  const verWord = stuck ? 'VER' : 'ver';
  const hist = (xs: number[]) => xs.map((n) => ` ${n0(n)}`).join('');
  return [
    `${LINUX_PREFIX} rtc: ${hex16(writer.current)} ${verWord}: ${n0(c.writerVersions)} tfle: ${writer.freeListEmpty ? 1 : 0}` +
      ` rta: ${n0(c.writerVersions) + n0(c.allocFailures)} rtaf: ${n0(c.allocFailures)} rtf: ${frees}` +
      ` rtmbe: ${f('use-after-reclaim')} rtmbkf: 0/0 rtbe: ${f('drain-violation')} rtbke: 0 rtbf: 0 rtb: 0 nt: 0` +
      ` barrier: ${Math.max(0, barriers - f('drain-violation'))}/${barriers}:${f('drain-violation')}` +
      ` read-exits: ${n0(snap.faults?.registrations)} nocb-toggles: 0:0`,
    `${LINUX_PREFIX} ${alarm ? '!!! ' : ''}Reader Pipe: ${hist(snap.readerPipe)}`,
    `${LINUX_PREFIX} Reader Batch: ${hist(snap.readerBatch)}`,
    `${LINUX_PREFIX} Free-Block Circulation: ${hist(snap.freeBlockCirculation)}`,
  ];
}

export interface ParamsLine {
  variant: string;
  scenario: string;
  readers: number;
  fakewriters: number;
  statIntervalMs: number;
  durationMs: number;
  seed: number;
}

function params(p: ParamsLine): string {
  return `variant=${p.variant} scenario=${p.scenario} nreaders=${p.readers} nfakewriters=${p.fakewriters}` +
    ` stat_interval=${Math.round(p.statIntervalMs / 1000)} duration=${Math.round(p.durationMs / 1000)} seed=${p.seed}`;
}

/** `rcu-torture:--- Start of test: ...`, as rcu_torture_print_module_parms prints it at init. */
export function linuxStartLine(p: ParamsLine): string {
  return `${LINUX_PREFIX}--- Start of test: ${params(p)}`;
}

/**
 * `rcu-torture:--- End of test: SUCCESS: ...` or `FAILURE`. An interrupted or
 * errored run gets neither word, so the scripts say "no success message", as
 * for a kvm.sh guest that died before its end.
 */
export function linuxEndLine(verdict: string, p: ParamsLine, signal?: string): string {
  const word = verdict === 'INTERRUPTED' ? `INTERRUPTED${signal ? ` by ${signal}` : ''}` : verdict;
  return `${LINUX_PREFIX}--- End of test: ${word}: ${params(p)}`;
}

/**
 * The stall as an RCU CPU stall warning reads (console-badness.sh counts
 * `detected stalls on CPUs/tasks:`): what waited, for how long, and the
 * holdouts by thread. A callback backlog is not a stall and gets none.
 */
export function linuxStallLine(variant: string, r: StallReport): string | null {
  if (r.kind === 'callback-backlog') return null;
  const holdouts = r.holdouts.map((h) => `${h.thread}`).join(' ');
  const what = r.kind === 'gp-stall' && r.waiter
    ? `${r.waiter.op} in thread ${r.waiter.thread} for ${ms(r.waiter.forMs)}`
    : `callbacks: ${r.pendingCallbacks} pending, oldest ${ms(r.oldestPendingMs)}, none invoked`;
  return `rcu: INFO: ${variant} detected stalls on CPUs/tasks: { ${holdouts || '-'} } (${r.kind}: ${what})`;
}
