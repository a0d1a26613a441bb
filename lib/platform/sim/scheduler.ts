/**
 * The decisions of the simulation engine, made by whichever simulated thread
 * holds the baton (or by the controller), over the shared control block:
 * who runs next (seeded random or PCT, or what a recorded log says), when
 * a store buffer commits (TSO), when timers fire, how virtual time moves.
 *
 * Virtual time: every step costs STEP_MS of it, so a thread that never
 * blocks (a reader in its loop) still lets sleepers wake; and when no
 * thread can run, time jumps to the earliest timer. With no timer left and
 * nobody runnable the run is deadlocked, and the controller is told.
 *
 * The log holds every decision that differs from the default "keep running
 * the current thread": a replay applies the log and otherwise follows the
 * default (and a fixed round robin where the current thread cannot go on),
 * which is also what a shrunk log falls back to where entries were removed.
 */
import {
  BUF_CAP, F, H, LOG_WORDS, MAX_PCT_POINTS, Mode, Model, Status, Strategy, T, TF, TRACE_WORDS, WaitOutcome,
  type ControlView,
} from './control.js';
import { Op } from './ops.js';

export interface ScheduleParams {
  mode: Mode;
  strategy: Strategy;
  model: Model;
  /** Scheduler PRNG seed. */
  rngSeed: number;
  /** Random strategy: chance per step of a scheduling choice among all runnable threads. */
  switchProbability: number;
  /** TSO: a buffered store commits with probability 1/commitOneIn per step. */
  commitOneIn: number;
  /**
   * TSO: a store commits at the latest this many virtual ms after it was
   * buffered. Real store buffers drain in nanoseconds; the bound keeps a
   * lingering store from posing as a grace-period stall (a stall detector
   * counts virtual time) while still outlasting a grace period.
   */
  bufferMaxMs: number;
  /** PCT: steps at which the running thread drops to the lowest priority (d-1 of them). */
  pctChangePoints: number[];
  /** PCT: initial priority order, a permutation of thread ids (first = highest). */
  pctOrder: number[];
  /** Virtual milliseconds per step. */
  stepMs: number;
  /** A thread running this many steps in a row yields. */
  quantum: number;
  /** This many steps in a row without a write count as a spin, which yields. */
  spinLimit: number;
}

export class Scheduler {
  readonly i32: Int32Array;
  readonly f64: Float64Array;
  readonly n: number;
  private readonly vt: number;
  private readonly nextTimer: number;
  private readonly bufOldest: number;
  private readonly bufferMaxMs: number;
  private readonly stepMs: number;
  private readonly controlTime: number;
  private readonly traceBase: number;
  private readonly cand: Int32Array;

  constructor(readonly v: ControlView, readonly mem: Int32Array) {
    this.i32 = v.i32;
    this.f64 = v.f64;
    this.n = v.threads;
    this.vt = v.hf(F.VTIME);
    this.nextTimer = v.hf(F.NEXT_TIMER);
    this.bufOldest = v.hf(F.BUF_OLDEST);
    this.bufferMaxMs = v.hf(F.BUFFER_MAX_MS);
    this.stepMs = v.hf(F.STEP_MS);
    this.controlTime = v.hf(F.CONTROL_TIME);
    this.traceBase = v.layout.traceBase;
    this.cand = new Int32Array(this.n);
  }

  /** A fresh schedule: every thread runnable, clock at zero, empty log and trace (controller only). */
  reset(p: ScheduleParams): void {
    const { i32, f64, v } = this;
    // The header and thread records; the log and trace are read only up to LOG_LEN and TRACE_POS.
    i32.fill(0, 0, v.layout.logBase);
    f64.fill(0, v.layout.f64Header);
    i32[H.MODE] = p.mode;
    i32[H.STRATEGY] = p.strategy;
    i32[H.MODEL] = p.model;
    i32[H.THREADS] = this.n;
    i32[H.RNG] = p.rngSeed | 0;
    i32[H.SWITCH_BELOW] = Math.min(0xffffffff, Math.floor(p.switchProbability * 4294967296)) | 0;
    i32[H.COMMIT_ONE_IN] = Math.max(1, p.commitOneIn | 0);
    i32[H.QUANTUM] = p.quantum;
    i32[H.SPIN_LIMIT] = p.spinLimit;
    i32[H.LOG_CAP] = v.layout.logCap;
    i32[H.TRACE_CAP] = v.layout.traceCap;
    i32[H.CURRENT] = v.main;
    i32[H.PICK] = -1;
    i32[H.HINT] = -1;
    const points = [...p.pctChangePoints].sort((a, b) => a - b).slice(0, MAX_PCT_POINTS);
    points.forEach((s, k) => { i32[H.PCT_POINTS + k] = s; });
    i32[H.PCT_COUNT] = points.length;
    // Initial PCT priorities sit above every value a change point hands out.
    i32[H.PCT_LOW] = 1_000_000;
    p.pctOrder.forEach((t, k) => { i32[v.t(t, T.PRIO)] = 2_000_000 - k; });
    for (let t = 0; t <= this.n; t++) f64[v.tf(t, TF.DEADLINE)] = Infinity;
    f64[this.nextTimer] = Infinity;
    f64[v.hf(F.CONTROL_TIME)] = Infinity;
    f64[v.hf(F.STEP_MS)] = p.stepMs;
    f64[v.hf(F.BUFFER_MAX_MS)] = p.bufferMaxMs;
    f64[v.hf(F.BUF_OLDEST)] = Infinity;
    i32[H.CONTROL_STEP] = 0x7fffffff;
  }

  // ---- the step ---------------------------------------------------------------------

  /** Executes the bookkeeping of one step of `CURRENT`; returns the step number. */
  tick(): number {
    const i32 = this.i32;
    this.f64[this.vt] += this.f64[this.stepMs];
    i32[H.RUN_LEN]++;
    return ++i32[H.STEP];
  }

  /** Whether the controller wants the baton before the next step. */
  needsControl(): boolean {
    const i32 = this.i32;
    return i32[H.STEP] >= i32[H.CONTROL_STEP] || this.f64[this.vt] >= this.f64[this.controlTime] || i32[H.FAILED] !== 0;
  }

  private rand(): number {
    const i32 = this.i32;
    const a = (i32[H.RNG] + 0x6d2b79f5) | 0;
    i32[H.RNG] = a;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return (t ^ (t >>> 14)) >>> 0;
  }

  private runnable(t: number): boolean { return this.i32[this.v.t(t, T.STATUS)] === Status.Runnable; }

  /**
   * Who runs next after `me` (a simulated thread, or the controller at the
   * start). `yieldHint`: `me` is spinning and should give way. Returns -1
   * when nobody can run and no timer is pending.
   */
  decide(me: number, yieldHint: boolean): number {
    const i32 = this.i32;
    if (this.f64[this.nextTimer] <= this.f64[this.vt]) this.fireTimers();
    if (i32[H.BUF_TOTAL] > 0) {
      if (this.f64[this.bufOldest] <= this.f64[this.vt] - this.f64[this.bufferMaxMs]) this.commitOverdue();
      if (i32[H.BUF_TOTAL] > 0) this.maybeCommit();
    }
    const replay = i32[H.MODE] === Mode.Replay;
    if (i32[H.RUN_LEN] >= i32[H.QUANTUM]) yieldHint = true;
    let next: number;
    for (;;) {
      next = replay ? this.replayChoice(me, yieldHint)
        : i32[H.STRATEGY] === Strategy.Pct ? this.pctChoice(me, yieldHint) : this.randomChoice(me, yieldHint);
      if (next >= 0) break;
      // Nobody can run: jump to the earliest timer, or report a deadlock.
      if (this.f64[this.nextTimer] === Infinity) return -1;
      this.f64[this.vt] = this.f64[this.nextTimer];
      this.fireTimers();
    }
    if (next !== me) {
      if (!replay) this.log(next);
      i32[H.CURRENT] = next;
      i32[H.RUN_LEN] = 0;
      i32[H.HINT] = replay ? this.replayHint(next) : i32[H.STRATEGY] === Strategy.Pct ? this.pctHint(next) : this.randomHint(next);
    } else if (yieldHint) {
      i32[H.RUN_LEN] = 0;
    }
    return next;
  }

  /**
   * A scheduling choice among the runnable; a yielding thread only when
   * alone. The thread drawn in advance (H.PICK, uniform over all threads)
   * runs if it is a candidate, else one drawn among the candidates: each
   * candidate still has chance 1/k, and the hand-off usually goes to the
   * worker that was told to spin for it (randomHint).
   */
  private randomChoice(me: number, yieldHint: boolean): number {
    const i32 = this.i32;
    const meRuns = me < this.n && this.runnable(me);
    if (meRuns && !yieldHint && this.rand() >= (i32[H.SWITCH_BELOW] >>> 0)) return me;
    let k = 0;
    for (let t = 0; t < this.n; t++) if (this.runnable(t) && (t !== me || !yieldHint)) this.cand[k++] = t;
    if (k === 0) return meRuns ? me : -1;
    const pick = i32[H.PICK];
    const next = pick >= 0 && this.runnable(pick) && (pick !== me || !yieldHint) ? pick : this.cand[k === 1 ? 0 : this.rand() % k];
    i32[H.PICK] = this.rand() % this.n;
    return next;
  }

  // ---- who to keep spinning: guesses, never decisions ---------------------------------

  /** Random: the thread drawn in advance for the next switch, if it could run now. */
  private randomHint(next: number): number {
    const pick = this.i32[H.PICK];
    return pick >= 0 && pick !== next && this.runnable(pick) ? pick : -1;
  }

  /** PCT: the runnable thread of highest priority after `next`. */
  private pctHint(next: number): number {
    const { i32, v } = this;
    let best = -1;
    let bestPrio = -Infinity;
    for (let t = 0; t < this.n; t++) {
      if (t === next || !this.runnable(t)) continue;
      const pr = i32[v.t(t, T.PRIO)];
      if (pr > bestPrio) { best = t; bestPrio = pr; }
    }
    return best;
  }

  /** Replay: the thread of the log's next switch, else the round robin's next after `next`. */
  private replayHint(next: number): number {
    const i32 = this.i32;
    const base = this.v.layout.logBase;
    const len = i32[H.LOG_LEN];
    for (let c = i32[H.LOG_CURSOR]; c < len; c++) {
      const t = i32[base + c * LOG_WORDS + 1];
      if (t >= 0) return t !== next && t < this.n ? t : -1;
    }
    for (let k = 1; k < this.n; k++) {
      const t = (next + k) % this.n;
      if (this.runnable(t)) return t;
    }
    return -1;
  }

  private pctChoice(me: number, yieldHint: boolean): number {
    const { i32, v } = this;
    const at = i32[H.PCT_NEXT];
    if (me < this.n && at < i32[H.PCT_COUNT] && i32[H.STEP] >= i32[H.PCT_POINTS + at]) {
      i32[v.t(me, T.PRIO)] = i32[H.PCT_LOW]--;
      i32[H.PCT_NEXT] = at + 1;
    }
    // A spinner (or a thread past its quantum) goes to the back, so it cannot starve the others.
    if (yieldHint && me < this.n) i32[v.t(me, T.PRIO)] = i32[H.PCT_LOW]--;
    let best = -1;
    let bestPrio = -Infinity;
    for (let t = 0; t < this.n; t++) {
      if (!this.runnable(t)) continue;
      const pr = i32[v.t(t, T.PRIO)];
      if (pr > bestPrio) { best = t; bestPrio = pr; }
    }
    return best;
  }

  private replayChoice(me: number, yieldHint: boolean): number {
    const { i32, v } = this;
    const step = i32[H.STEP];
    let c = i32[H.LOG_CURSOR];
    const len = i32[H.LOG_LEN];
    const base = v.layout.logBase;
    while (c < len && i32[base + c * LOG_WORDS] < step) c++;
    if (c < len && i32[base + c * LOG_WORDS] === step && i32[base + c * LOG_WORDS + 1] >= 0) {
      const t = i32[base + c * LOG_WORDS + 1];
      i32[H.LOG_CURSOR] = c + 1;
      if (t < this.n && this.runnable(t)) return t;
    } else {
      i32[H.LOG_CURSOR] = c;
    }
    const meRuns = me < this.n && this.runnable(me);
    if (meRuns && !yieldHint) return me;
    // The default where the current thread cannot or should not go on: round robin.
    const from = me < this.n ? me + 1 : 0;
    for (let k = 0; k < this.n; k++) {
      const t = (from + k) % this.n;
      if (this.runnable(t)) return t;
    }
    return -1;
  }

  private log(action: number): void {
    const i32 = this.i32;
    const len = i32[H.LOG_LEN];
    if (len >= i32[H.LOG_CAP]) { i32[H.LOG_OVERFLOW] = 1; return; }
    const at = this.v.layout.logBase + len * LOG_WORDS;
    i32[at] = i32[H.STEP];
    i32[at + 1] = action;
    i32[H.LOG_LEN] = len + 1;
  }

  // ---- blocking and timers ------------------------------------------------------------

  /** Marks `me` blocked in a wait on `cell` (or sleeping when cell < 0) until woken or `timeoutMs` passes. */
  block(me: number, op: Op, cell: number, expected: number, timeoutMs: number | undefined): void {
    const { i32, f64, v } = this;
    const now = f64[this.vt];
    i32[v.t(me, T.STATUS)] = op === Op.Sleep ? Status.Sleeping : Status.Waiting;
    i32[v.t(me, T.WAIT_CELL)] = cell;
    i32[v.t(me, T.WAIT_EXPECTED)] = expected;
    i32[v.t(me, T.BLOCK_OP)] = op;
    i32[v.t(me, T.BLOCK_SEQ)] = ++i32[H.BLOCK_SEQ];
    i32[v.t(me, T.RESULT)] = WaitOutcome.Ok;
    const deadline = timeoutMs === undefined ? Infinity : now + timeoutMs;
    f64[v.tf(me, TF.DEADLINE)] = deadline;
    f64[v.tf(me, TF.SINCE)] = now;
    if (deadline < f64[this.nextTimer]) f64[this.nextTimer] = deadline;
  }

  /** Wakes up to `count` waiters on `cell`, oldest first; returns how many. */
  wakeWaiters(cell: number, count: number): number {
    const { i32, v } = this;
    let woken = 0;
    while (woken < count) {
      let pick = -1;
      let seq = Infinity;
      for (let t = 0; t < this.n; t++) {
        if (i32[v.t(t, T.STATUS)] === Status.Waiting && i32[v.t(t, T.WAIT_CELL)] === cell && i32[v.t(t, T.BLOCK_SEQ)] < seq) {
          pick = t;
          seq = i32[v.t(t, T.BLOCK_SEQ)];
        }
      }
      if (pick < 0) break;
      this.makeRunnable(pick, WaitOutcome.Ok);
      woken++;
    }
    return woken;
  }

  private makeRunnable(t: number, outcome: WaitOutcome): void {
    const { i32, v } = this;
    i32[v.t(t, T.STATUS)] = Status.Runnable;
    i32[v.t(t, T.RESULT)] = outcome;
    this.f64[v.tf(t, TF.DEADLINE)] = Infinity;
  }

  private fireTimers(): void {
    const { i32, f64, v } = this;
    const now = f64[this.vt];
    let next = Infinity;
    for (let t = 0; t < this.n; t++) {
      const s = i32[v.t(t, T.STATUS)];
      if (s !== Status.Waiting && s !== Status.Sleeping) continue;
      const d = f64[v.tf(t, TF.DEADLINE)];
      if (d <= now) this.makeRunnable(t, s === Status.Waiting ? WaitOutcome.TimedOut : WaitOutcome.Ok);
      else if (d < next) next = d;
    }
    f64[this.nextTimer] = next;
  }

  // ---- store buffers (TSO) --------------------------------------------------------------

  bufferStore(me: number, cell: number, value: number): void {
    const { i32, v } = this;
    if (i32[v.t(me, T.BUF_LEN)] === BUF_CAP) this.commitOldest(me);
    const len = i32[v.t(me, T.BUF_LEN)];
    const slot = (i32[v.t(me, T.BUF_HEAD)] + len) % BUF_CAP;
    i32[v.t(me, T.BUF + 2 * slot)] = cell;
    i32[v.t(me, T.BUF + 2 * slot + 1)] = value;
    const now = this.f64[this.vt];
    this.f64[v.tf(me, TF.BUF_AT + slot)] = now;
    // Commits only ever remove stores, so the bound stays a lower bound until commitOverdue recomputes it.
    if (now < this.f64[this.bufOldest]) this.f64[this.bufOldest] = now;
    i32[v.t(me, T.BUF_LEN)] = len + 1;
    i32[H.BUF_TOTAL]++;
  }

  /** A load by `me`: its own newest buffered store to `cell`, else memory. */
  bufferedLoad(me: number, cell: number): number {
    const { i32, v } = this;
    const len = i32[v.t(me, T.BUF_LEN)];
    if (len > 0) {
      const head = i32[v.t(me, T.BUF_HEAD)];
      for (let k = len - 1; k >= 0; k--) {
        const slot = (head + k) % BUF_CAP;
        if (i32[v.t(me, T.BUF + 2 * slot)] === cell) return i32[v.t(me, T.BUF + 2 * slot + 1)];
      }
    }
    return this.mem[cell];
  }

  drain(me: number): void {
    while (this.i32[this.v.t(me, T.BUF_LEN)] > 0) this.commitOldest(me);
  }

  private commitOldest(t: number): void {
    const { i32, v } = this;
    const head = i32[v.t(t, T.BUF_HEAD)];
    const cell = i32[v.t(t, T.BUF + 2 * head)];
    const value = i32[v.t(t, T.BUF + 2 * head + 1)];
    this.mem[cell] = value;
    i32[v.t(t, T.BUF_HEAD)] = (head + 1) % BUF_CAP;
    i32[v.t(t, T.BUF_LEN)]--;
    i32[H.BUF_TOTAL]--;
    this.trace(t, Op.Commit, cell, value);
  }

  /**
   * Commits every store older than the buffer bound. A function of the
   * state (virtual time, buffers), so a replay repeats it without a log
   * entry. decide() calls it only when the lower bound BUF_OLDEST says a
   * store may be overdue; it recomputes the bound exactly, so the scan over
   * the threads happens about once per overdue store, not once per step.
   */
  private commitOverdue(): void {
    const { i32, f64, v } = this;
    const limit = f64[this.vt] - f64[this.bufferMaxMs];
    let oldest = Infinity;
    for (let t = 0; t < this.n; t++) {
      while (i32[v.t(t, T.BUF_LEN)] > 0 && f64[v.tf(t, TF.BUF_AT + i32[v.t(t, T.BUF_HEAD)])] <= limit) this.commitOldest(t);
      if (i32[v.t(t, T.BUF_LEN)] > 0) oldest = Math.min(oldest, f64[v.tf(t, TF.BUF_AT + i32[v.t(t, T.BUF_HEAD)])]);
    }
    f64[this.bufOldest] = oldest;
  }

  /** A commit of some thread's oldest buffered store, as a scheduling choice. */
  private maybeCommit(): void {
    const { i32, v } = this;
    if (i32[H.MODE] === Mode.Replay) {
      const step = i32[H.STEP];
      const base = v.layout.logBase;
      let c = i32[H.LOG_CURSOR];
      while (c < i32[H.LOG_LEN] && i32[base + c * LOG_WORDS] < step) c++;
      while (c < i32[H.LOG_LEN] && i32[base + c * LOG_WORDS] === step && i32[base + c * LOG_WORDS + 1] < 0) {
        const t = -i32[base + c * LOG_WORDS + 1] - 1;
        if (t < this.n && i32[v.t(t, T.BUF_LEN)] > 0) this.commitOldest(t);
        c++;
      }
      i32[H.LOG_CURSOR] = c;
      return;
    }
    if (this.rand() % i32[H.COMMIT_ONE_IN] !== 0) return;
    let k = 0;
    for (let t = 0; t < this.n; t++) if (i32[v.t(t, T.BUF_LEN)] > 0) this.cand[k++] = t;
    const t = this.cand[k === 1 ? 0 : this.rand() % k];
    this.commitOldest(t);
    this.log(-t - 1);
  }

  // ---- trace ------------------------------------------------------------------------------

  trace(thread: number, op: Op, cell: number, value: number): void {
    const i32 = this.i32;
    const pos = i32[H.TRACE_POS]++;
    const at = this.traceBase + (pos % i32[H.TRACE_CAP]) * TRACE_WORDS;
    i32[at] = i32[H.STEP];
    i32[at + 1] = thread;
    i32[at + 2] = op;
    i32[at + 3] = cell;
    i32[at + 4] = value;
  }
}

/**
 * Version of the scheduling rules. A recorded schedule replays only under
 * the same rules: bump this whenever a change alters which decision is
 * taken where (defaults, step accounting, control points, spin detection).
 */
export const SIM_ENGINE_VERSION = 'sim/3';
