/**
 * The simulation engine's control block: one small SharedArrayBuffer that
 * holds everything the scheduler decides with. Simulated threads run on
 * real workers but only one at a time (the one holding the baton), and
 * whoever holds the baton makes the next decision from this shared state.
 * So the decisions, the PRNG, the virtual clock, the store buffers and the
 * decision log all live here, and the whole run is a function of the seed
 * (or of a recorded decision log).
 *
 * Thread ids are the harness's thread slots 0..n-1; id n is the controller
 * (the main thread), which gets the baton for budgets, watchdog ticks,
 * failures and deadlocks.
 */

/** Header cells (Int32 indices). */
export const H = {
  BATON: 0,          // who may run
  MODE: 1,           // Mode
  STRATEGY: 2,       // Strategy
  MODEL: 3,          // Model
  THREADS: 4,        // simulated threads n; the controller is n
  RNG: 5,            // scheduler PRNG state (one word)
  STEP: 6,           // steps executed so far
  SWITCH_BELOW: 7,   // random strategy: switch when a uint32 draw is below this
  COMMIT_ONE_IN: 8,  // TSO: commit a buffered store with probability 1/this per step
  CONTROL_STEP: 9,   // hand the baton to the controller at this step
  REASON: 10,        // why the controller has the baton (Reason)
  ABORTING: 11,      // teardown: every thread unwinds with PlatformAbort
  FAILED: 12,        // a role reported a failure (class index + 1)
  FAIL_STEP: 13,
  LOG_LEN: 14,       // decision log entries
  LOG_CURSOR: 15,    // replay: next entry to apply
  LOG_OVERFLOW: 16,  // record: the log filled up (the schedule cannot be replayed)
  TRACE_POS: 17,     // trace ring: entries written so far
  BUF_TOTAL: 18,     // TSO: stores buffered over all threads
  CURRENT: 19,       // the simulated thread that ran last
  RUN_LEN: 20,       // consecutive steps of CURRENT
  PCT_NEXT: 21,      // index of the next PCT change point
  PCT_LOW: 22,       // next (lowest so far) PCT priority
  BLOCK_SEQ: 23,     // FIFO order of waiters
  PCT_COUNT: 24,     // PCT change points in use
  QUANTUM: 25,       // a thread running this many steps in a row yields
  SPIN_LIMIT: 26,    // this many steps in a row without a write count as spinning
  LOG_CAP: 27,
  TRACE_CAP: 28,
  SPINNER: 29,       // the waiting worker designated to spin (thread id + 1), 0 if none (see designate)
  PICK: 30,          // random strategy: the thread drawn in advance for the next switch (-1: none yet)
  HINT: 31,          // who will most likely get the baton at the next switch (-1: no guess); never a decision
  PCT_POINTS: 32,    // up to MAX_PCT_POINTS sorted step numbers
  SIZE: 48,
} as const;
export const MAX_PCT_POINTS = 16;

/** Float64 header cells (indices into the Float64 view). */
export const F = {
  VTIME: 0, NEXT_TIMER: 1, CONTROL_TIME: 2, STEP_MS: 3, BUFFER_MAX_MS: 4,
  /** TSO: a lower bound of the oldest buffered store's BUF_AT (Infinity: none), so the overdue check is O(1). */
  BUF_OLDEST: 5,
  SIZE: 6,
} as const;

export const enum Mode { Record = 0, Replay = 1 }
export const enum Strategy { Random = 0, Pct = 1 }
export const enum Model { Sc = 0, Tso = 1 }
export const enum Reason { None = 0, Tick = 1, Failure = 2, Deadlock = 3, Done = 4 }
export const enum Status { Runnable = 0, Waiting = 1, Sleeping = 2, Finished = 3 }
export const enum WaitOutcome { Ok = 0, NotEqual = 1, TimedOut = 2 }

/** Per-thread record (Int32 cells). */
export const T = {
  TURN: 0,          // 1: it is this thread's turn (baton flag it waits on)
  STATUS: 1,
  WAIT_CELL: 2,
  RESULT: 3,        // WaitOutcome of the last wait
  PRIO: 4,          // PCT priority
  BLOCK_SEQ: 5,
  STREAK: 6,        // steps in a row without a write (spin detection)
  BUF_HEAD: 7,
  BUF_LEN: 8,
  BLOCK_OP: 9,      // Op of the blocking call (deadlock reports)
  WAIT_EXPECTED: 10,
  PARKED: 11,       // 1: this thread's worker sleeps in the futex on TURN (needs a notify)
  BUF: 16,          // BUF_CAP (cell, value) pairs
} as const;
/** Store-buffer depth per thread; a full buffer commits its oldest entry. */
export const BUF_CAP = 16;
const T_SIZE = T.BUF + 2 * BUF_CAP;
/** Per-thread Float64 cells. */
/** BUF_AT: the virtual time each store-buffer slot was filled (BUF_CAP of them). */
export const TF = { DEADLINE: 0, SINCE: 1, BUF_AT: 2, SIZE: 2 + BUF_CAP } as const;

/**
 * Loads of the turn flag a designated worker spins on before it parks in
 * the futex: from SPIN_MIN (a fraction of a microsecond) to SPIN_MAX (some
 * tens of microseconds, about a futex round trip on a busy machine). Per
 * worker, adapted in awaitTurn; it never feeds into a decision.
 */
const SPIN_MIN = 64;
const SPIN_MAX = 1 << 15;
const spin = { loads: 1024 };

/** Values of a thread's TURN cell. */
export const enum Turn {
  /** Not its turn: it parks in the futex. */
  Wait = 0,
  /** Its turn: it holds the baton. */
  Go = 1,
  /** Not its turn yet, but it is the likely next holder: it spins (bounded) instead of parking. */
  Spin = 2,
}

/** One trace entry: step, thread, op, cell, value. */
export const TRACE_WORDS = 5;
/** One log entry: step, action (>= 0 run that thread, < 0 commit the buffer of thread -action-1). */
export const LOG_WORDS = 2;

export interface ControlSizes { threads: number; logCap: number; traceCap: number }

/** Where each part sits in the buffer (cells). */
export interface ControlLayout extends ControlSizes {
  threadBase: number;
  logBase: number;
  traceBase: number;
  /** Float64 index of the header and of the per-thread block. */
  f64Header: number;
  f64Threads: number;
  bytes: number;
}

export function controlLayout(sz: ControlSizes): ControlLayout {
  const threadBase = H.SIZE;
  const logBase = threadBase + (sz.threads + 1) * T_SIZE;
  const traceBase = logBase + sz.logCap * LOG_WORDS;
  let words = traceBase + sz.traceCap * TRACE_WORDS;
  words += words & 1;
  const f64Header = words / 2;
  const f64Threads = f64Header + F.SIZE;
  const bytes = (f64Threads + (sz.threads + 1) * TF.SIZE) * 8;
  return { ...sz, threadBase, logBase, traceBase, f64Header, f64Threads, bytes };
}

/** Node 20 has Atomics.waitAsync; the ES2022 typings do not. */
interface AtomicsWaitAsync {
  waitAsync(a: Int32Array, index: number, value: number): { async: false; value: string } | { async: true; value: Promise<string> };
}

/** Typed views of a control block; every part of the engine reads it through these. */
export class ControlView {
  readonly i32: Int32Array;
  readonly f64: Float64Array;
  readonly layout: ControlLayout;
  /** The controller's thread id. */
  readonly main: number;
  // The layout's bases as own fields: t()/tf()/hf() run on every step.
  private readonly threadBase: number;
  private readonly f64Threads: number;
  private readonly f64Header: number;

  constructor(readonly sab: SharedArrayBuffer, sizes: ControlSizes) {
    this.layout = controlLayout(sizes);
    this.threadBase = this.layout.threadBase;
    this.f64Threads = this.layout.f64Threads;
    this.f64Header = this.layout.f64Header;
    this.i32 = new Int32Array(sab);
    this.f64 = new Float64Array(sab);
    this.main = sizes.threads;
  }

  static allocate(sizes: ControlSizes): ControlView {
    return new ControlView(new SharedArrayBuffer(controlLayout(sizes).bytes), sizes);
  }

  /** Cell index of field `f` of thread `t`. */
  t(t: number, f: number): number { return this.threadBase + t * T_SIZE + f; }
  /** Float64 index of field `f` of thread `t`. */
  tf(t: number, f: number): number { return this.f64Threads + t * TF.SIZE + f; }
  /** Float64 index of header field `f`. */
  hf(f: number): number { return this.f64Header + f; }

  get threads(): number { return this.layout.threads; }
  get step(): number { return this.i32[H.STEP]; }
  get vtime(): number { return this.f64[this.hf(F.VTIME)]; }
  status(t: number): Status { return this.i32[this.t(t, T.STATUS)] as Status; }

  // ---- the baton ---------------------------------------------------------------

  /**
   * Gives the baton to `t` (Atomics orders everything written before it).
   * The futex wake (a system call) only when `t` has parked: a thread that
   * spins sees the flag by itself.
   */
  handTo(t: number): void {
    const i32 = this.i32;
    i32[H.BATON] = t;
    const turn = this.t(t, T.TURN);
    // seq_cst store, then the load of PARKED: with the waiter's store of PARKED before its
    // load of TURN (Dekker), either it sees the turn or this sees it parked.
    Atomics.store(i32, turn, Turn.Go);
    if (Atomics.load(i32, turn + (T.PARKED - T.TURN)) !== 0) Atomics.notify(i32, turn, 1);
  }

  /** Whether `t`'s worker has taken up the baton it was handed (false while it is Go and not yet seen). */
  tookTurn(t: number): boolean {
    return t >= this.threads || Atomics.load(this.i32, this.t(t, T.TURN)) !== Turn.Go;
  }

  /**
   * Makes `t` the one waiting worker that spins (the scheduler's guess of
   * the next holder, H.HINT), and stops the previous one. Called by the
   * thread that has just handed the baton on, so the futex wake of a parked
   * `t` runs beside the new holder instead of on the path of the next
   * hand-off. Only one spinner at a time: on 2 cores a second one would
   * take the core of the thread that runs. A guess only: a wrong or late
   * one costs a futex round trip, never a wrong turn (Spin is not Go).
   */
  designate(t: number): void {
    const i32 = this.i32;
    const prev = Atomics.exchange(i32, H.SPINNER, t + 1) - 1;
    if (prev >= 0 && prev !== t) Atomics.compareExchange(i32, this.t(prev, T.TURN), Turn.Spin, Turn.Wait);
    if (t < 0 || t >= this.threads) return;
    const turn = this.t(t, T.TURN);
    // CAS then the load of PARKED: the same Dekker pair as handTo's.
    if (Atomics.compareExchange(i32, turn, Turn.Wait, Turn.Spin) === Turn.Wait &&
      Atomics.load(i32, turn + (T.PARKED - T.TURN)) !== 0) Atomics.notify(i32, turn, 1);
  }

  /**
   * Blocks this worker until it is `t`'s turn: a bounded spin first when
   * it is designated (Turn.Spin), else the futex wait. A futex sleep and
   * wake costs tens of microseconds, a spinning hand-off a fraction of one;
   * how long to spin adapts to how often spinning paid off in this worker
   * (a loaded machine makes it pay less).
   */
  awaitTurn(t: number): void {
    const i32 = this.i32;
    const turn = this.t(t, T.TURN);
    const parked = turn + (T.PARKED - T.TURN);
    for (;;) {
      let v = Atomics.load(i32, turn);
      if (v === Turn.Spin) {
        const budget = spin.loads;
        let k = 0;
        while (k < budget && (v = Atomics.load(i32, turn)) === Turn.Spin) k++;
        if (v === Turn.Go) spin.loads = Math.min(SPIN_MAX, budget * 2);
        else if (v === Turn.Spin) {
          spin.loads = Math.max(SPIN_MIN, budget >> 1);
          v = Atomics.compareExchange(i32, turn, Turn.Spin, Turn.Wait);
        }
      }
      if (v === Turn.Go) break;
      // Announce the sleep before the last look at TURN (see handTo).
      Atomics.store(i32, parked, 1);
      while ((v = Atomics.load(i32, turn)) === Turn.Wait) Atomics.wait(i32, turn, Turn.Wait);
      Atomics.store(i32, parked, 0);
      if (v === Turn.Go) break;
      // Designated while parked: spin from the top.
    }
    Atomics.store(i32, turn, Turn.Wait);
  }

  /**
   * The controller's wait, synchronous and bounded: true when the baton
   * came within `timeoutMs`, false when not (then it can be called again).
   * A futex wake costs one thread wake-up; the asynchronous wait's costs
   * that plus an event-loop turn, milliseconds on a loaded machine, at
   * every controller visit. The caller lets the event loop run between
   * calls.
   */
  awaitTurnFor(t: number, timeoutMs: number): boolean {
    const i32 = this.i32;
    const turn = this.t(t, T.TURN);
    const parked = turn + (T.PARKED - T.TURN);
    const until = performance.now() + timeoutMs;
    // Parked for the whole wait, before the first look at TURN (see handTo).
    Atomics.store(i32, parked, 1);
    let v: number;
    while ((v = Atomics.load(i32, turn)) !== Turn.Go) {
      const left = until - performance.now();
      if (left <= 0) {
        Atomics.store(i32, parked, 0);
        return false;
      }
      Atomics.wait(i32, turn, v, left);
    }
    Atomics.store(i32, parked, 0);
    Atomics.store(i32, turn, Turn.Wait);
    return true;
  }

  /** The controller's wait, asynchronous: the main thread's event loop keeps running. */
  async awaitTurnAsync(t: number): Promise<void> {
    const turn = this.t(t, T.TURN);
    const parked = turn + (T.PARKED - T.TURN);
    // It never spins (the event loop must run): parked for the whole wait, before the first look at TURN.
    Atomics.store(this.i32, parked, 1);
    let v: number;
    while ((v = Atomics.load(this.i32, turn)) !== Turn.Go) {
      const r = (Atomics as unknown as AtomicsWaitAsync).waitAsync(this.i32, turn, v);
      if (r.async) await r.value;
    }
    Atomics.store(this.i32, parked, 0);
    Atomics.store(this.i32, turn, Turn.Wait);
  }

  // ---- decision log and trace ------------------------------------------------------

  logEntries(): [number, number][] {
    const n = this.i32[H.LOG_LEN];
    const out: [number, number][] = [];
    for (let i = 0; i < n; i++) {
      const at = this.layout.logBase + i * LOG_WORDS;
      out.push([this.i32[at], this.i32[at + 1]]);
    }
    return out;
  }

  loadLog(entries: readonly (readonly [number, number])[]): void {
    if (entries.length > this.layout.logCap) throw new Error(`decision log of ${entries.length} entries exceeds capacity ${this.layout.logCap}`);
    entries.forEach(([step, action], i) => {
      const at = this.layout.logBase + i * LOG_WORDS;
      this.i32[at] = step;
      this.i32[at + 1] = action;
    });
    this.i32[H.LOG_LEN] = entries.length;
    this.i32[H.LOG_CURSOR] = 0;
  }

  /** The last trace entries, oldest first: [step, thread, op, cell, value]. */
  traceEntries(): number[][] {
    const cap = this.layout.traceCap;
    const pos = this.i32[H.TRACE_POS];
    const out: number[][] = [];
    for (let k = Math.max(0, pos - cap); k < pos; k++) {
      const at = this.layout.traceBase + (k % cap) * TRACE_WORDS;
      out.push(Array.from(this.i32.subarray(at, at + TRACE_WORDS)));
    }
    return out;
  }
}
