/**
 * The stall clock: the clock every stall timeout is judged on. Under the sim
 * engine it is the virtual clock. On the threads engine it runs at the wall
 * clock's rate while the run's threads get the CPU they ask for, and slower
 * while other load on the machine (a second torture run, a soak's other
 * cases, a CI neighbour) keeps them waiting on a run queue.
 *
 * Why: a correct grace period needs its updater and its readers to run. On
 * a machine where they get a tenth of the CPU they ask for, it takes about
 * ten times as long in wall time, and a wall-clock stall timeout of 2 s
 * then reports a correct flavor (seen: qemu-v0's synchronize at 2.1 s with
 * no reader holding it, load 38 on 2 cores). What load does not change is
 * how much running the run's threads get before the timeout: that is what
 * this clock counts. Linux's RCU draws the same line between a stall and a
 * starved grace-period kthread ("rcu_sched kthread starved for N jiffies").
 *
 * No stall is lost: a flavor that is stuck either sleeps (its threads ask
 * for no CPU, so nothing is starved and the clock runs at the wall's rate:
 * a lost wake-up, a deadlock) or spins (its threads run, which counts), and
 * the clock never runs faster than the wall, so a stall is reported at the
 * earliest when the wall clock would have reported it. Other load only
 * delays the report, by as much as it keeps the run's threads from a CPU.
 * (No floor under the rate: one of 0.02 reported a correct qemu-v0 at load
 * 160, where its threads got less than that.)
 *
 * Before every role of the run is running the clock stands still: a grace
 * period cannot end while a thread it needs is still loading (seen: a
 * correct qemu-v0's drain reported 2.4 s into a 9.8 s start-up at load 100,
 * its call_rcu thread not yet up). Roles that never start are the
 * engine's start-up limit's business.
 *
 * The main thread counts as well: it sees roles settle and ticks the
 * checks, and while it waits for a CPU a wait that did end would look like
 * one that did not; the rate is at most the share of its own asking it got
 * (1 on a quiet machine, where it waits microseconds a tick).
 *
 * Rate over a tick, from /proc/self/task/<tid>/schedstat of the run's
 * worker threads: got = CPU they ran, asked = got + their run-queue wait
 * (both in CPUs, per wall ms); rate = got / min(asked, cores). The run's own
 * threads outnumbering the cores is not load (8 runnable threads on 2 idle
 * cores get 2 CPUs of the 2 they can: rate 1); a second run that takes half
 * the cores is (rate 0.5). Where schedstat cannot be read (not Linux) the
 * clock is the wall clock, as before.
 */
import { availableParallelism } from 'node:os';
import { osThreadSchedNs, ownOsThreadId } from './thread-cpu.js';
import { H } from './heap-layout.js';

export interface StallClock {
  /** Advance to wall (or virtual) time `nowMs`; called once a monitor tick, before the checks. */
  tick(nowMs: number): void;
  /** Stall-clock ms from `sinceMs` to `nowMs` (times on the run's clock): what a stall timeout is compared with. */
  age(sinceMs: number, nowMs: number): number;
  /** The share of the run's time so far the stall clock counted (1: the run got all the CPU it asked for). */
  share(): number;
  /** Stall-clock ms counted since every role ran: a run that counted less than its stall timeout could not have reported a stall. */
  counted(): number;
}

/** The clock the sim engine judges on: virtual time, which no load slows. */
export const VIRTUAL_STALL_CLOCK: StallClock = { tick() {}, age: (since, now) => now - since, share: () => 1, counted: () => NaN };

/** Below this many CPUs asked for, nobody waits for a CPU: nothing is starved, the clock runs at the wall's rate. */
const ASKED_NONE = 0.01;

interface Sched { runNs: number; waitNs: number }
/** The run's control cells (a SharedRun). */
type ControlCells = { i32: Int32Array; cell(h: number): number };

export class CpuStallClock implements StallClock {
  /** Samples: wall time and stall-clock time at each tick (stall = wall before the first). */
  private readonly wall: number[] = [];
  private readonly stall: number[] = [];
  private readonly last = new Map<number, Sched>();
  /** The samples when every role was first running. */
  private from: { wall: number; stall: number } | undefined;

  constructor(
    /** The OS thread ids of the run's workers (0 or less: not known yet). */
    private readonly tids: () => number[],
    /** Told the clock's value after each tick (the threads engine publishes it for the workers). */
    private readonly publish: (stallMs: number) => void = () => {},
    private readonly cores = availableParallelism(),
    private readonly sched: (tid: number) => Sched | undefined = osThreadSchedNs,
    /**
     * Whether every role is running yet: until then the clock stands still. A grace
     * period cannot end while a thread it needs (the call_rcu thread, a reader)
     * is still loading its modules, which on a loaded machine takes seconds.
     */
    private readonly started: () => boolean = () => true,
    /** The thread that makes the verdicts (this one): its own starvation stops the clock too. */
    private readonly mainTid = ownOsThreadId(),
  ) {}

  tick(nowMs: number): void {
    const n = this.wall.length;
    let runNs = 0, waitNs = 0;
    for (const tid of this.tids()) {
      const d = this.delta(tid);
      runNs += d.runNs;
      waitNs += d.waitNs;
    }
    const main = this.delta(this.mainTid);
    if (n === 0) { this.push(nowMs, nowMs); return; }
    const dWall = nowMs - this.wall[n - 1];
    if (dWall <= 0) return;
    if (!this.started()) { this.push(nowMs, this.stall[n - 1]); return; }
    this.from ??= { wall: this.wall[n - 1], stall: this.stall[n - 1] };
    const got = runNs / 1e6 / dWall, asked = (runNs + waitNs) / 1e6 / dWall;
    // The main thread sees roles settle and ticks the checks: starved, it would miss the end of a wait
    // that did end (seen: "background threads did not stop" at load 180, every worker asleep and done).
    const mainAsked = main.runNs + main.waitNs;
    const mainGot = mainAsked <= 0 ? 1 : main.runNs / mainAsked;
    // The slower of the two: it is one load that starves both, and multiplying would count it twice
    // (a share of 0.005 at load 177, which leaves a 60 s case no stall timeout to judge).
    const rate = Math.min(asked < ASKED_NONE ? 1 : Math.min(1, got / Math.min(asked, this.cores)), mainGot);
    this.push(nowMs, this.stall[n - 1] + rate * dWall);
  }

  /** How much thread `tid` ran and waited since the last tick (nothing if it cannot be read or is new). */
  private delta(tid: number): Sched {
    const s = tid > 0 ? this.sched(tid) : undefined;
    if (!s) return { runNs: 0, waitNs: 0 };
    const prev = this.last.get(tid);
    this.last.set(tid, s);
    if (!prev || s.runNs < prev.runNs || s.waitNs < prev.waitNs) return { runNs: 0, waitNs: 0 };
    return { runNs: s.runNs - prev.runNs, waitNs: s.waitNs - prev.waitNs };
  }

  private push(wallMs: number, stallMs: number): void {
    this.wall.push(wallMs);
    this.stall.push(stallMs);
    this.publish(stallMs);
  }

  /** Stall-clock time at wall time `t`: interpolated between ticks, at the wall's rate outside them. */
  at(t: number): number {
    const { wall, stall } = this;
    const n = wall.length;
    if (n === 0 || t <= wall[0]) return t;
    if (t >= wall[n - 1]) return stall[n - 1] + (t - wall[n - 1]);
    let lo = 0, hi = n - 1;
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (wall[mid] <= t) lo = mid; else hi = mid;
    }
    return stall[lo] + ((t - wall[lo]) / (wall[hi] - wall[lo])) * (stall[hi] - stall[lo]);
  }

  age(sinceMs: number, nowMs: number): number {
    return Math.min(nowMs - sinceMs, this.at(nowMs) - this.at(sinceMs));
  }

  /** The share since every role ran (start-up, which the clock skips, is not load). */
  share(): number {
    const n = this.wall.length;
    if (!this.from || n === 0) return 1;
    const wallMs = this.wall[n - 1] - this.from.wall;
    return wallMs <= 0 ? 1 : this.counted() / wallMs;
  }

  counted(): number {
    const n = this.stall.length;
    return !this.from || n === 0 ? 0 : this.stall[n - 1] - this.from.stall;
  }
}

/** The main thread publishes the clock for the roles (stutter, busy loops and probes judge time on it too). */
export function publishStallClock(shared: ControlCells, stallMs: number): void {
  Atomics.store(shared.i32, shared.cell(H.STALL_MS), Math.floor(stallMs));
}

/**
 * A role's reading of the stall clock: the value last published, not
 * extrapolated. A main thread that other load keeps from ticking for
 * seconds must not make the roles' clock run at the wall's rate meanwhile
 * (seen at load 160: a correct qemu-v0's probe judged late on a clock that
 * had counted a fraction of that); between ticks this reads up to a tick
 * behind, which only delays a verdict. 0 until the first tick.
 */
export function readStallClock(shared: ControlCells): number {
  return Atomics.load(shared.i32, shared.cell(H.STALL_MS));
}
