/**
 * The threads engine: the Platform on real worker threads, its memory
 * accesses atomic operations on the run's shared buffer (wasm-atomics.ts:
 * inlined WebAssembly when the heap is a shared WebAssembly.Memory, else
 * `Atomics`), its waits `Atomics.wait`.
 *
 * Every blocking call waits in slices and checks the run's abort cell between
 * them, so a thread stuck inside an implementation under test unwinds with
 * PlatformAbort when the harness tears the run down, instead of hanging it.
 */
import { PlatformAbort, type MemoryOrder, type Platform, type WaitResult } from './platform.js';
import { PointInjector, type PointInjection } from './points.js';
import { jsAtomics, wasmAtomics, type CellAtomics } from './wasm-atomics.js';

export interface ThreadsPlatformOptions {
  /** Cell that becomes non-zero when the run is torn down. */
  abortCell: number;
  /**
   * This thread's "parked on" cell: while blocked in wait() it holds the
   * address of the awaited cell plus one, so that a teardown can wake it
   * (wakeParked). Without one, waits are cut into slices that re-check the
   * abort cell, which also turns a missing wake() into a mere delay.
   */
  parkCell?: number;
  /** `performance.timeOrigin + performance.now()` at run start (shared by all threads). */
  epochMs: number;
  /** Delays injected at named preemption points; none when absent. */
  injection?: PointInjection;
  /** Uniform [0,1) stream for injection decisions (seeded by the harness). */
  random?: () => number;
  /** The heap as a shared WebAssembly.Memory (its buffer is `i32`'s): accesses go through inlined wasm atomics. */
  memory?: WebAssembly.Memory;
}

/** Longest single sleep slice (and wait slice without a park cell); bounds how long an abort takes to be noticed. */
const WAIT_SLICE_MS = 50;

export class ThreadsPlatform implements Platform {
  readonly engine = 'threads';
  private readonly sleepCell = new Int32Array(new SharedArrayBuffer(4));
  private readonly injector: PointInjector | null;
  private readonly abortCell: number;
  private readonly parkCell: number | undefined;
  /** The atomic operations on the heap; one kind per thread, so every call site stays monomorphic. */
  private readonly cells: CellAtomics;
  /** Run start relative to this thread's performance clock (timeOrigin differs per thread and its getter is slow). */
  private readonly startMs: number;

  constructor(readonly i32: Int32Array, opts: ThreadsPlatformOptions) {
    this.cells = opts.memory ? wasmAtomics(opts.memory) : jsAtomics(i32);
    this.abortCell = opts.abortCell;
    this.parkCell = opts.parkCell;
    this.startMs = opts.epochMs - performance.timeOrigin;
    this.injector = opts.injection && opts.injection.probability > 0
      ? new PointInjector(opts.injection, opts.random ?? (() => 0.5), (ms) => this.sleep(ms))
      : null;
  }

  load(cell: number, _order?: MemoryOrder): number { return this.cells.load(cell); }
  store(cell: number, value: number, _order?: MemoryOrder): void { this.cells.store(cell, value); }
  exchange(cell: number, value: number, _order?: MemoryOrder): number { return this.cells.exchange(cell, value); }
  compareExchange(cell: number, expected: number, desired: number, _order?: MemoryOrder): number {
    return this.cells.compareExchange(cell, expected, desired);
  }
  fetchAdd(cell: number, delta: number, _order?: MemoryOrder): number { return this.cells.fetchAdd(cell, delta); }
  fetchOr(cell: number, bits: number, _order?: MemoryOrder): number { return this.cells.fetchOr(cell, bits); }
  fetchAnd(cell: number, bits: number, _order?: MemoryOrder): number { return this.cells.fetchAnd(cell, bits); }
  /**
   * Every access of this engine is an atomic operation (wasm or `Atomics`),
   * and those are sequentially consistent: they already appear in one total order that
   * respects program order, so a fence has nothing left to order. (An
   * `Atomics.add` on a shared cell here would only add cache-line traffic
   * to every read-side critical section.) The sim engine's TSO mode is where
   * fences matter.
   */
  fence(): void {}

  wait(cell: number, expected: number, timeoutMs?: number): WaitResult {
    if (this.parkCell !== undefined) {
      // One real futex wait, as the implementation asked for: a store without
      // a wake() leaves it asleep, exactly as on Linux. Publish where we sleep
      // first, then look at the abort flag: a teardown sets the flag and then
      // keeps waking every published cell until the thread is gone.
      Atomics.store(this.i32, this.parkCell, cell + 1);
      try {
        this.checkAbort();
        const r = Atomics.wait(this.i32, cell, expected, timeoutMs);
        this.checkAbort();
        return r;
      } finally {
        Atomics.store(this.i32, this.parkCell, 0);
      }
    }
    const deadline = timeoutMs === undefined ? Infinity : this.now() + timeoutMs;
    for (;;) {
      this.checkAbort();
      const left = deadline - this.now();
      if (left <= 0) return 'timed-out';
      const r = Atomics.wait(this.i32, cell, expected, Math.min(left, WAIT_SLICE_MS));
      if (r !== 'timed-out') return r;
    }
  }

  wake(cell: number, count?: number): number { return Atomics.notify(this.i32, cell, count); }

  sleep(ms: number): void {
    const deadline = this.now() + ms;
    for (;;) {
      this.checkAbort();
      const left = deadline - this.now();
      if (left <= 0) return;
      Atomics.wait(this.sleepCell, 0, 0, Math.min(left, WAIT_SLICE_MS));
    }
  }

  now(): number { return performance.now() - this.startMs; }

  relax(): void { this.checkAbort(); }

  point(name: string): void {
    if (this.injector !== null) {
      this.checkAbort();
      this.injector.hit(name);
    }
  }

  /** Hit counts per preemption point (only counted while injection is on). */
  pointHits(): Record<string, number> { return this.injector?.counts() ?? {}; }

  /** Main thread, during a teardown: wake whatever the given park cells say their threads sleep on. */
  static wakeParked(i32: Int32Array, parkCells: number[]): void {
    for (const pc of parkCells) {
      const c = Atomics.load(i32, pc);
      if (c !== 0) Atomics.notify(i32, c - 1);
    }
  }

  private checkAbort(): void {
    if (this.cells.load(this.abortCell) !== 0) throw new PlatformAbort();
  }
}
