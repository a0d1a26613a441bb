/**
 * CPU time of one OS thread, for telling a worker that spins in plain
 * JavaScript from one a loaded machine does not run. The process's CPU time
 * is no such measure when it hosts more than the schedule's threads (a test
 * runner or an API user running several torture runs at once, a worker
 * compiling or collecting garbage): their CPU would read as the holder's.
 *
 * Linux only (/proc/thread-self, /proc/self/task/<tid>/stat); elsewhere the
 * thread id reads as 0 and the caller falls back to the process's CPU time.
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
