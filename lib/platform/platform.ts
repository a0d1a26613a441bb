/**
 * The Platform contract: every shared-memory access and every blocking or
 * timing call an RCU implementation makes goes through one of these methods.
 *
 * Memory is one shared heap of 32-bit cells, addressed by word index
 * ("cell"). Values are int32; arithmetic wraps as in C on a 32-bit int.
 *
 * Why: the same implementation source runs under two engines. The threads
 * engine maps each call onto `Atomics` over a SharedArrayBuffer; the
 * simulation engine makes each call a scheduling point, runs sleeps on a
 * virtual clock and may buffer relaxed stores (TSO). Code in `lib/rcu/`
 * therefore never touches Atomics, timers, Date or Math.random directly.
 */

/**
 * Memory order of an access. JavaScript Atomics are sequentially consistent,
 * so the threads engine treats every order alike; the simulation engine's TSO
 * mode buffers `relaxed` and `release` stores until a fence or a seq_cst
 * operation drains them. Say what the algorithm needs, not what happens to
 * work on x86.
 */
export type MemoryOrder = 'relaxed' | 'acquire' | 'release' | 'seq_cst';

/** Result of a futex-style wait, as `Atomics.wait` reports it. */
export type WaitResult = 'ok' | 'not-equal' | 'timed-out';

export interface Platform {
  /** Which engine this is ("threads", "sim"). */
  readonly engine: string;

  load(cell: number, order?: MemoryOrder): number;
  store(cell: number, value: number, order?: MemoryOrder): void;
  exchange(cell: number, value: number, order?: MemoryOrder): number;
  /** Compare-and-exchange; returns the value seen (success iff it equals `expected`). */
  compareExchange(cell: number, expected: number, desired: number, order?: MemoryOrder): number;
  fetchAdd(cell: number, delta: number, order?: MemoryOrder): number;
  fetchOr(cell: number, bits: number, order?: MemoryOrder): number;
  fetchAnd(cell: number, bits: number, order?: MemoryOrder): number;
  /** Full memory barrier (smp_mb). */
  fence(): void;

  /**
   * Sleep while `load(cell) === expected`, until woken or `timeoutMs` passes
   * (forever when absent). May return 'ok' spuriously: callers re-check.
   */
  wait(cell: number, expected: number, timeoutMs?: number): WaitResult;
  /** Wake up to `count` waiters on `cell` (all when absent); returns how many. */
  wake(cell: number, count?: number): number;
  sleep(ms: number): void;
  /** Monotonic milliseconds (fractional) since the run started. */
  now(): number;
  /** A spin-loop hint (cpu_relax): lets the simulation engine schedule others. */
  relax(): void;
  /**
   * A named preemption point. A no-op unless the run injects delays at points
   * matching this name; the simulation engine also counts it as a
   * scheduling point. Names are `function:where`, e.g. `enqueue:after-exchange`.
   */
  point(name: string): void;
}

/**
 * Thrown out of a Platform call when the harness tears a run down (after a
 * stall or an interrupt) so that threads blocked inside an implementation
 * unwind instead of hanging. Implementations must not catch it.
 */
export class PlatformAbort extends Error {
  constructor(reason = 'run aborted') {
    super(reason);
    this.name = 'PlatformAbort';
  }
}
