/**
 * Is the thread holding a schedule's baton spinning in plain JavaScript?
 * Under the sim engine one thread runs at a time, and it hands the baton on
 * only at a Platform call; a flavor that loops without one holds it for
 * ever, and only terminating its worker ends it. The controller, waiting
 * for the baton, asks this detector between slices of its wait.
 *
 * Spinning means all of: the holder has held the baton for the wait's wall
 * time (the stall timeout, at least 2 s) without a single step; it has made
 * its first Platform call (before it, its worker is still loading modules
 * and attaching, which burns CPU beside the other workers' loading on a
 * cold pool); and its own OS thread burnt HUNG_CPU_MS of CPU since its last
 * step. A step is microseconds of work, so a second of CPU is no step still
 * to come; a loaded machine only delays that second, it never fakes it (a
 * descheduled holder, another run in the same process, a worker's garbage
 * collection burn none of the holder's CPU). Where no thread's CPU can be
 * read (not Linux), the process's CPU time stands in, every other schedule
 * thread being parked.
 */
import { H as CH, type ControlView } from '../../../lib/platform/sim/control.js';
import { osThreadCpuMs } from '../../run/thread-cpu.js';

/** Least wall time a holder must keep the baton without a step before it can be judged. */
export const HUNG_WALL_MIN_MS = 2000;
/** CPU of its own the holder must burn since its last step to be spinning. */
const HUNG_CPU_MS = 1000;
/** Without per-thread CPU: the share of the held time the whole process must have spent on CPU. */
const SPIN_CPU_SHARE = 0.5;
/** However loaded the machine, a baton held this long without a step ends the schedule (the safety net). */
const HUNG_WALL_MAX_MS = 60_000;

function processCpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

export class HangDetector {
  /** "step:holder" when last looked at; a change is progress. */
  private seen = '';
  private since = 0;
  private tid = 0;
  private threadCpu0: number | undefined;
  private processCpu0 = 0;

  /**
   * `holderTid`: the OS thread id of the worker running a thread (-1 unknown);
   * `loading`: true while a thread's worker has not attached yet (its first Platform call is still to come).
   */
  constructor(
    private readonly v: ControlView,
    private readonly wallMs: number,
    private readonly holderTid: (thread: number) => number,
    private readonly loading: (thread: number) => boolean,
  ) {}

  /** Looks at the schedule now; true once the holder is judged to spin. */
  spinning(): boolean {
    const now = performance.now();
    const holder = Atomics.load(this.v.i32, CH.CURRENT);
    const mark = `${Atomics.load(this.v.i32, CH.STEP)}:${holder}`;
    const loading = this.loading(holder);
    if (mark !== this.seen || loading) {
      // What the holder burnt so far was work (a step was taken or the baton moved) or start-up.
      if (mark !== this.seen) this.since = now;
      this.seen = mark;
      this.tid = this.holderTid(holder);
      this.threadCpu0 = osThreadCpuMs(this.tid);
      this.processCpu0 = processCpuMs();
      // A worker that never finishes attaching is caught by the safety net alone.
      return loading && now - this.since >= HUNG_WALL_MAX_MS;
    }
    const held = now - this.since;
    if (held >= HUNG_WALL_MAX_MS) return true;
    if (held < this.wallMs) return false;
    const threadCpu = this.threadCpu0 === undefined ? undefined : osThreadCpuMs(this.tid);
    return threadCpu !== undefined
      ? threadCpu - this.threadCpu0! >= HUNG_CPU_MS
      : processCpuMs() - this.processCpu0 >= held * SPIN_CPU_SHARE;
  }
}
