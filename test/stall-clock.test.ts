/**
 * The stall clock (run/stall-clock.ts): stall timeouts count the time the
 * run's threads could run. Other load slows it; the run's own threads
 * outnumbering the cores does not; threads that ask for no CPU (a stuck,
 * sleeping flavor) leave it at the wall's rate, so no stall is lost; and it
 * never runs faster than the wall.
 */
import { Worker } from 'node:worker_threads';
import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { CpuStallClock, publishStallClock, readStallClock } from '../torture/run/stall-clock.js';
import { ownOsThreadId } from '../torture/run/thread-cpu.js';
import { H } from '../torture/run/heap-layout.js';

/** A clock over `threads` fake threads whose run and run-queue-wait times advance by the given ms per wall ms. */
function fakeClock(threads: { run: number; wait: number }[], cores = 2) {
  const t = threads.map(() => ({ runNs: 0, waitNs: 0 }));
  let wall = 0;
  const clock = new CpuStallClock(() => threads.map((_, i) => i + 1), undefined, cores, (tid) => (t[tid - 1] ? { ...t[tid - 1] } : undefined), undefined, 0);
  const advance = (ms: number, ticks = 10) => {
    for (let k = 0; k < ticks; k++) {
      wall += ms / ticks;
      threads.forEach((th, i) => { t[i].runNs += th.run * (ms / ticks) * 1e6; t[i].waitNs += th.wait * (ms / ticks) * 1e6; });
      clock.tick(wall);
    }
  };
  clock.tick(0);
  return { clock, advance, now: () => wall };
}

describe('stall clock', () => {
  it('runs at the wall rate when the run gets the cores, even with more threads than cores', () => {
    // 8 CPU-bound threads on 2 idle cores: each runs a quarter of the time and waits the rest, behind its own run.
    const { clock, advance, now } = fakeClock(Array.from({ length: 8 }, () => ({ run: 0.25, wait: 0.75 })));
    advance(1000);
    expect(clock.age(0, now())).toBeCloseTo(1000, 6);
    expect(clock.share()).toBeCloseTo(1, 6);
  });

  it('counts only the CPU the run got of what it could use when other load takes the rest', () => {
    // 8 threads on 2 cores, but a second run takes half the machine: they get 1 CPU of 2.
    const { clock, advance, now } = fakeClock(Array.from({ length: 8 }, () => ({ run: 0.125, wait: 0.875 })));
    advance(1000);
    expect(clock.age(0, now())).toBeCloseTo(500, 6);
    // One thread that asks for a whole CPU and gets a fifth of one.
    const one = fakeClock([{ run: 0.2, wait: 0.8 }]);
    one.advance(1000);
    expect(one.clock.age(0, one.now())).toBeCloseTo(200, 6);
  });

  it('stops while the main thread, which sees waits end, waits for a CPU itself', () => {
    // Every worker asleep (a wait that ended, its news not yet seen) and the main thread got a tenth of what it asked.
    const main = { runNs: 0, waitNs: 0 };
    let wall = 0;
    const clock = new CpuStallClock(() => [1], undefined, 2, (tid) => (tid === 99 ? { ...main } : { runNs: 0, waitNs: 0 }), undefined, 99);
    clock.tick(0);
    for (let k = 0; k < 10; k++) { wall += 100; main.runNs += 10e6; main.waitNs += 90e6; clock.tick(wall); }
    expect(clock.age(0, wall)).toBeCloseTo(100, 6);
  });

  it('runs at the wall rate while nobody asks for a CPU (a flavor stuck asleep is not slowed down)', () => {
    const { clock, advance, now } = fakeClock([{ run: 0, wait: 0 }, { run: 0, wait: 0 }]);
    advance(2000);
    expect(clock.age(0, now())).toBeCloseTo(2000, 6);
  });

  it('never runs faster than the wall, and stands nearly still for threads that get almost nothing', () => {
    // Accounting noise: more CPU than the wall allows on 1 core.
    const fast = fakeClock([{ run: 1.5, wait: 0 }], 1);
    fast.advance(1000);
    expect(fast.clock.age(0, fast.now())).toBeLessThanOrEqual(1000);
    const starved = fakeClock([{ run: 0.001, wait: 0.999 }]);
    starved.advance(1000);
    expect(starved.clock.age(0, starved.now())).toBeCloseTo(1, 6);
  });

  it('judges a stamp between ticks by interpolation, and the time since the last tick at the wall rate', () => {
    const { clock, advance, now } = fakeClock([{ run: 0.5, wait: 0.5 }], 2);
    advance(1000, 4);
    // Rate 0.5 throughout: from 125 (between ticks at 0 and 250) to 1000 is 437.5 counted.
    expect(clock.age(125, now())).toBeCloseTo(437.5, 6);
    expect(clock.age(now(), now() + 100)).toBeCloseTo(100, 6);
  });

  it('stands still until every role runs (a grace period cannot end while a thread it needs is loading)', () => {
    let up = false;
    const clock = new CpuStallClock(() => [], undefined, 2, () => undefined, () => up, 0);
    clock.tick(0);
    clock.tick(3000);
    up = true;
    clock.tick(3500);
    expect(clock.age(1000, 3500)).toBeCloseTo(500, 6);
    expect(clock.share()).toBeCloseTo(1, 6);
  });

  it('is published for the roles: they read the last value, not extrapolated (a starved main thread must not make it run at the wall rate)', () => {
    const i32 = new Int32Array(new SharedArrayBuffer(H.SIZE * 4));
    const shared = { i32, cell: (h: number) => h };
    expect(readStallClock(shared)).toBe(0);
    publishStallClock(shared, 700.6);
    expect(i32[H.STALL_MS]).toBe(700);
    expect(readStallClock(shared)).toBe(700);
  });
});

const SPINNER = new URL('./fixtures/cpu-worker.mjs', import.meta.url);

async function start(sab: SharedArrayBuffer, spin: boolean): Promise<{ worker: Worker; tid: number }> {
  const worker = new Worker(SPINNER, { workerData: { sab, spin } });
  const tid = await new Promise<number>((r) => worker.once('message', r));
  return { worker, tid };
}

/** The clock's share over `ms` of wall time, ticking every 50 ms, for the threads `tids`. */
async function shareOver(tids: number[], ms: number): Promise<number> {
  // The test's own thread is not the run's main thread here: the hogs starve it too.
  const clock = new CpuStallClock(() => tids, undefined, undefined, undefined, undefined, 0);
  const t0 = performance.now();
  while (performance.now() - t0 < ms) {
    clock.tick(performance.now() - t0);
    await new Promise((r) => setTimeout(r, 50));
  }
  clock.tick(performance.now() - t0);
  return clock.share();
}

describe.runIf(ownOsThreadId() > 0)('stall clock on this machine (schedstat, Linux)', () => {
  it('slows for a spinning run thread that a CPU hog per core and more keeps waiting, and not for a parked one beside them', async () => {
    const stop = new SharedArrayBuffer(4);
    const hogs = await Promise.all(Array.from({ length: 2 * availableParallelism() }, () => start(stop, true)));
    const ours = await start(stop, true);
    const parked = await start(stop, false);
    try {
      // The run's spinner shares the cores with 2 hogs per core: it gets about a third of what it asks.
      expect(await shareOver([ours.tid], 1500)).toBeLessThan(0.8);
      // A parked thread asks for nothing: the load does not slow its clock.
      expect(await shareOver([parked.tid], 600)).toBeGreaterThan(0.95);
    } finally {
      Atomics.store(new Int32Array(stop), 0, 1);
      Atomics.notify(new Int32Array(stop), 0);
      await Promise.all([...hogs, ours, parked].map((w) => w.worker.terminate()));
    }
  });
});
