/**
 * What the kernel knows of one OS thread of this process: its CPU time (the
 * sim's hang detector tells a worker that spins in plain JavaScript from
 * one a loaded machine does not run) and the time it waited on a run queue
 * (the stall clock, run/stall-clock.ts, tells a slow machine from a stuck
 * flavor). The process's CPU time is no such measure when it hosts more
 * than one run's threads (a test runner, a soak with --cpus, an API user
 * running several torture runs at once): their CPU would read as ours.
 *
 * Linux only (/proc/thread-self, /proc/self/task/<tid>/stat and schedstat);
 * elsewhere the thread id reads as 0 and callers fall back (the process's
 * CPU time, the wall clock).
 */
import { readFileSync, readlinkSync } from 'node:fs';

/** /proc's clock ticks (USER_HZ), 100 on every Linux configuration Node runs on. */
const TICKS_PER_SECOND = 100;

/** The calling thread's OS thread id, or 0 where the platform does not tell. */
export function ownOsThreadId(): number {
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').at(-1));
    return Number.isInteger(tid) && tid > 0 ? tid : 0;
  } catch {
    return 0;
  }
}

/** User + system CPU milliseconds of thread `tid` of this process, or undefined if it cannot be read (gone, not Linux). */
export function osThreadCpuMs(tid: number): number | undefined {
  if (tid <= 0) return undefined;
  try {
    const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
    // After "pid (comm) ": state is field 3, utime and stime fields 14 and 15 (comm may hold spaces, not ')').
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    return Number.isFinite(ticks) ? (ticks * 1000) / TICKS_PER_SECOND : undefined;
  } catch {
    return undefined;
  }
}

/** Nanoseconds thread `tid` ran on a CPU and waited on a run queue, or undefined if it cannot be read (gone, not Linux). */
export function osThreadSchedNs(tid: number): { runNs: number; waitNs: number } | undefined {
  if (tid <= 0) return undefined;
  try {
    // /proc/<pid>/task/<tid>/schedstat (CONFIG_SCHED_INFO): "<ns on cpu> <ns waiting on a run queue> <timeslices>".
    const [run, wait] = readFileSync(`/proc/self/task/${tid}/schedstat`, 'utf8').split(' ').map(Number);
    return Number.isFinite(run) && Number.isFinite(wait) ? { runNs: run, waitNs: wait } : undefined;
  } catch {
    return undefined;
  }
}
