/**
 * The Platform of one simulated thread. Every call is a scheduling point:
 * the thread holding the baton asks the scheduler who runs next and, if
 * that is someone else, hands the baton over and sleeps until it comes
 * back. Only then does the call take effect, so exactly one simulated
 * thread touches shared memory at a time and the interleaving is the
 * scheduler's (seeded, or read from a log).
 *
 * Memory accesses are plain typed-array accesses: the baton hand-over is an
 * Atomics store/wait pair, which orders everything before it. Under TSO,
 * plain, relaxed and release stores go into this thread's store buffer;
 * loads look there first; fences, read-modify-writes, seq_cst stores and
 * the blocking calls (futex system calls in real life) drain it.
 */
import { PlatformAbort, type MemoryOrder, type Platform, type WaitResult } from '../platform.js';
import { ControlView, H, Model, Reason, Status, T, type ControlSizes } from './control.js';
import { Scheduler } from './scheduler.js';
import { Op, pointId } from './ops.js';
import { PointInjector, type PointInjection } from '../points.js';

const WAIT_RESULTS: WaitResult[] = ['ok', 'not-equal', 'timed-out'];

export class SimPlatform implements Platform {
  readonly engine = 'sim';
  private readonly v: ControlView;
  private readonly s: Scheduler;
  private readonly i32: Int32Array;
  private readonly tso: boolean;
  private started = false;
  /** Steps in a row without a write: a thread polling memory this long is spinning. */
  private streak = 0;
  private readonly spinLimit: number;
  private readonly hits = new Map<string, { id: number; count: number }>();
  /** A scenario's delays at named points, slept in virtual time (null: points only schedule). */
  private injector: PointInjector | null = null;

  constructor(control: SharedArrayBuffer, sizes: ControlSizes, readonly mem: Int32Array, readonly me: number) {
    this.v = new ControlView(control, sizes);
    this.s = new Scheduler(this.v, mem);
    this.i32 = this.v.i32;
    this.tso = this.i32[H.MODEL] === Model.Tso;
    this.spinLimit = this.i32[H.SPIN_LIMIT];
  }

  // ---- scheduling ----------------------------------------------------------------------

  /** The scheduling point before every call; returns the step number of the call. */
  private enter(write: boolean, yieldHint = false): number {
    if (!this.started) this.firstTurn();
    // Unwinding code (finally blocks) that calls the Platform again unwinds further.
    if (this.i32[H.ABORTING] !== 0) throw new PlatformAbort('simulation torn down');
    if (write) this.streak = 0;
    else if (++this.streak >= this.spinLimit) { this.streak = 0; yieldHint = true; }
    const s = this.s;
    if (s.needsControl()) this.handOver(this.v.main, Reason.Tick);
    const next = s.decide(this.me, yieldHint);
    if (next !== this.me) this.handOver(next, Reason.None);
    return s.tick();
  }

  private firstTurn(): void {
    this.v.awaitTurn(this.me);
    this.started = true;
    this.checkAbort();
  }

  private handOver(to: number, reason: Reason): void {
    // Who spins next: the scheduler's guess of the next holder, or this thread
    // itself when the controller takes the baton (it hands it back to CURRENT).
    let spinner = this.me;
    if (reason === Reason.None) spinner = this.i32[H.HINT];
    else this.i32[H.REASON] = reason;
    this.v.handTo(to);
    // Off the path of the hand-off: `to` already runs.
    this.v.designate(spinner);
    this.v.awaitTurn(this.me);
    this.checkAbort();
  }

  private checkAbort(): void {
    if (this.i32[H.ABORTING] !== 0) throw new PlatformAbort('simulation torn down');
  }

  /** After `me` blocked: let someone else run (time may jump), or tell the controller nobody can. */
  private reschedule(): void {
    for (;;) {
      const next = this.s.decide(this.me, false);
      if (next === this.me) return;
      if (next >= 0) { this.handOver(next, Reason.None); return; }
      this.handOver(this.v.main, Reason.Deadlock);
    }
  }

  // ---- memory -----------------------------------------------------------------------------

  load(cell: number, _order?: MemoryOrder): number {
    this.enter(false);
    const v = this.tso ? this.s.bufferedLoad(this.me, cell) : this.mem[cell];
    this.s.trace(this.me, Op.Load, cell, v);
    return v;
  }

  store(cell: number, value: number, order?: MemoryOrder): void {
    this.enter(true);
    if (this.tso && order !== 'seq_cst') {
      this.s.bufferStore(this.me, cell, value);
      this.s.trace(this.me, Op.BufferedStore, cell, value);
      return;
    }
    if (this.tso) this.s.drain(this.me);
    this.mem[cell] = value;
    this.s.trace(this.me, Op.Store, cell, value);
  }

  /**
   * A read-modify-write: a locked instruction, so it drains the buffer
   * first (x86). `b` is the operand (the expected value for a cmpxchg, with
   * `c` the desired one); a switch rather than a closure, so the call
   * allocates nothing.
   */
  private rmw(op: Op, cell: number, b: number, c = 0): number {
    this.enter(true);
    if (this.tso) this.s.drain(this.me);
    const mem = this.mem;
    const old = mem[cell];
    switch (op) {
      case Op.Exchange: mem[cell] = b; break;
      case Op.CompareExchange: if (old === b) mem[cell] = c; break;
      case Op.FetchAdd: mem[cell] = (old + b) | 0; break;
      case Op.FetchOr: mem[cell] = old | b; break;
      default: mem[cell] = old & b;
    }
    this.s.trace(this.me, op, cell, old);
    return old;
  }

  exchange(cell: number, value: number, _order?: MemoryOrder): number { return this.rmw(Op.Exchange, cell, value); }
  compareExchange(cell: number, expected: number, desired: number, _order?: MemoryOrder): number {
    return this.rmw(Op.CompareExchange, cell, expected, desired);
  }
  fetchAdd(cell: number, delta: number, _order?: MemoryOrder): number { return this.rmw(Op.FetchAdd, cell, delta); }
  fetchOr(cell: number, bits: number, _order?: MemoryOrder): number { return this.rmw(Op.FetchOr, cell, bits); }
  fetchAnd(cell: number, bits: number, _order?: MemoryOrder): number { return this.rmw(Op.FetchAnd, cell, bits); }

  fence(): void {
    this.enter(false);
    if (this.tso) this.s.drain(this.me);
    this.s.trace(this.me, Op.Fence, 0, 0);
  }

  // ---- blocking and time --------------------------------------------------------------------

  wait(cell: number, expected: number, timeoutMs?: number): WaitResult {
    this.enter(true);
    if (this.tso) this.s.drain(this.me);
    if (this.mem[cell] !== expected) {
      this.s.trace(this.me, Op.Wait, cell, -1);
      return 'not-equal';
    }
    if (timeoutMs !== undefined && timeoutMs <= 0) return 'timed-out';
    this.s.block(this.me, Op.Wait, cell, expected, timeoutMs);
    this.s.trace(this.me, Op.Wait, cell, expected);
    this.reschedule();
    return WAIT_RESULTS[this.i32[this.v.t(this.me, T.RESULT)]];
  }

  wake(cell: number, count?: number): number {
    this.enter(true);
    if (this.tso) this.s.drain(this.me);
    const n = this.s.wakeWaiters(cell, count ?? Infinity);
    this.s.trace(this.me, Op.Wake, cell, n);
    return n;
  }

  sleep(ms: number): void {
    if (!(ms > 0)) { this.relax(); return; }
    this.enter(true);
    if (this.tso) this.s.drain(this.me);
    this.s.block(this.me, Op.Sleep, -1, 0, ms);
    this.s.trace(this.me, Op.Sleep, -1, Math.round(ms * 1000));
    this.reschedule();
  }

  now(): number {
    this.enter(false);
    const t = this.v.vtime;
    this.s.trace(this.me, Op.Now, 0, Math.floor(t * 1000));
    return t;
  }

  relax(): void {
    this.enter(false, true);
    this.s.trace(this.me, Op.Relax, 0, 0);
  }

  point(name: string): void {
    this.enter(false);
    // One lookup per call: the count and the name's trace id (hashed once per name).
    let hit = this.hits.get(name);
    if (hit === undefined) this.hits.set(name, hit = { id: pointId(name), count: 0 });
    hit.count++;
    this.s.trace(this.me, Op.Point, hit.id, 0);
    this.injector?.hit(name);
  }

  /**
   * Stretch the scenario's points as the threads engine does, but in
   * virtual time: a delay is a virtual sleep, so a window a scenario
   * calibrated in ms (a reader held across several grace periods) is as
   * wide here as there, whatever the schedule's step rate. `random` is the
   * harness's seeded stream, so a schedule still replays from its seed.
   */
  injectDelays(cfg: PointInjection, random: () => number): void {
    this.injector = cfg.probability > 0 ? new PointInjector(cfg, random, (ms) => this.sleep(ms)) : null;
  }

  pointHits(): Record<string, number> {
    return Object.fromEntries([...this.hits].map(([name, h]) => [name, h.count]));
  }

  // ---- the harness's hooks ------------------------------------------------------------------

  /** A role saw a failure: the controller takes over before the next step. */
  failed(): void {
    // Only the baton holder may touch the control block (a crash before the first turn is reported at the end).
    if (this.started && this.i32[H.FAILED] === 0) {
      this.i32[H.FAILED] = 1;
      this.i32[H.FAIL_STEP] = this.i32[H.STEP];
    }
  }

  /**
   * The thread is done (returned, crashed or unwound). Passes the baton on
   * for good: to the next thread, or to the controller when none is left.
   * Never throws.
   */
  exit(): void {
    if (!this.started) { this.v.awaitTurn(this.me); this.started = true; }
    const { i32, v } = this;
    const aborting = i32[H.ABORTING] !== 0;
    i32[v.t(this.me, T.STATUS)] = Status.Finished;
    let all = true;
    for (let t = 0; t < v.threads; t++) if (v.status(t) !== Status.Finished) all = false;
    // A finished thread's buffered stores still commit later, as scheduler choices
    // (a thread's exit is no barrier to the others); the last one out drains them all.
    if (this.tso && all && !aborting) for (let t = 0; t < v.threads; t++) this.s.drain(t);
    if (aborting) {
      let next = v.main;
      for (let t = 0; t < v.threads; t++) if (v.status(t) !== Status.Finished) { next = t; break; }
      v.handTo(next);
      return;
    }
    const next = this.s.decide(this.me, false);
    if (next >= 0) {
      const spinner = i32[H.HINT];
      v.handTo(next);
      v.designate(spinner);
      return;
    }
    i32[H.REASON] = all ? Reason.Done : Reason.Deadlock;
    v.handTo(v.main);
  }
}
